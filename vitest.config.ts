import { defineConfig } from "vitest/config"

// vitest 3.2 replaced vitest.workspace.ts with `test.projects`; each package or app with
// tests (and each example) is a project with its own vitest.config.ts.
export default defineConfig({
  test: {
    projects: ["packages/*", "apps/*", "examples/*"],
    // Builds the dashboard app once, before any file starts the platform (which would otherwise
    // build it on its first start, every file racing for the same lock).
    globalSetup: ["./scripts/buildDashboard.ts"],
  },
})
