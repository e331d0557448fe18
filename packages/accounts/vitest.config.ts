import { defineProject } from "vitest/config"

export default defineProject({
  test: {
    name: "accounts",
    include: ["test/**/*.test.ts"],
    // One forked process per file: each file owns its PGlite directory or PostgreSQL database.
    pool: "forks",
    // Generous: files start real engines and servers, and CI shares two cores.
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
})
