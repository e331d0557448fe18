import { defineProject } from "vitest/config"

// Tests import `@yavio/sdk` from source (the workspace export condition `@yavio/source`).
const conditions = ["@yavio/source", "module", "node", "development|production"]

export default defineProject({
  resolve: { conditions },
  ssr: { resolve: { conditions } },
  test: {
    name: "dashboard",
    include: ["test/**/*.test.ts"],
    pool: "forks",
    // Each file starts the real platform (embedded stores) and a real Chromium on two shared cores.
    testTimeout: 120_000,
    hookTimeout: 180_000,
    // Pages answer within a second or two here, but the machine is shared: poll up to 15 s.
    expect: { poll: { timeout: 15_000, interval: 100 } },
  },
})
