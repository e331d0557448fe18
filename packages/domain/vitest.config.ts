import { defineProject } from "vitest/config"

export default defineProject({
  test: {
    name: "domain",
    include: ["test/**/*.test.ts"],
    // chDB is a native engine that segfaults under worker threads: one forked process per file.
    pool: "forks",
    // Generous: several files start real engines and servers, and CI shares two cores.
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
})
