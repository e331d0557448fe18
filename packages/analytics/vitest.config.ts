import { defineProject } from "vitest/config"

export default defineProject({
  test: {
    name: "analytics",
    include: ["test/**/*.test.ts"],
    // chDB is a native engine that segfaults under worker threads: one forked process per file.
    pool: "forks",
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
})
