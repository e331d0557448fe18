import { defineProject } from "vitest/config"

// Workspace code imports `@yavio/sdk` from source through the custom export condition
// `@yavio/source` (package.json `exports`); published consumers get dist/. Tests run in Vite's
// server (SSR) environment, whose conditions are configured apart from the client's.
const conditions = ["@yavio/source", "module", "node", "development|production"]

export default defineProject({
  resolve: { conditions },
  ssr: { resolve: { conditions } },
  test: {
    name: "sdk",
    include: ["test/**/*.test.ts"],
    // Generous: some files start child processes and servers, and CI shares two cores.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
})
