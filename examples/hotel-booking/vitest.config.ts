import { defineProject } from "vitest/config"

// The example imports `@yavio/sdk` from source through the workspace export condition
// `@yavio/source` (see packages/sdk/vitest.config.ts); tests run in Vite's SSR environment.
const conditions = ["@yavio/source", "module", "node", "development|production"]

export default defineProject({
  resolve: { conditions },
  ssr: { resolve: { conditions } },
  test: {
    name: "example",
    include: ["test/**/*.test.ts"],
    pool: "forks",
  },
})
