import { execFile } from "node:child_process"
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs"
import { join } from "node:path"
import { promisify } from "node:util"
import * as viaPackage from "@yavio/sdk"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { type BuildResult, build, PACKAGE_DIR } from "../scripts/build.js"
import * as viaSource from "../src/index.js"

// The publishable bundles (sdk.md §1), built into a throw-away directory inside the package
// (.tmp/ is gitignored) so the externals resolve from the workspace's node_modules like they
// would from an app's. The .d.ts step (a full tsc run, seconds) is left to `npm run build`;
// `tsc -b` type-checks the same sources.

const REPO_ROOT = join(PACKAGE_DIR, "..", "..")
let outdir: string
let result: BuildResult

beforeAll(async () => {
  mkdirSync(join(PACKAGE_DIR, ".tmp"), { recursive: true })
  outdir = mkdtempSync(join(PACKAGE_DIR, ".tmp", "build-"))
  result = await build({ outdir, types: false })
}, 60_000)
afterAll(() => {
  if (outdir !== undefined) rmSync(outdir, { recursive: true, force: true })
})

/** Loads both bundles in a plain Node process and reports their exports. */
const loadInNode = async (): Promise<{ esm: Record<string, string>; cjs: Record<string, string> }> => {
  const script = `
    const { pathToFileURL } = require("node:url")
    const describe = (mod) => Object.fromEntries(Object.keys(mod).sort().map((k) => [k, typeof mod[k]]))
    import(pathToFileURL(process.argv[1]).href).then((esm) => {
      const cjs = require(process.argv[2])
      if (esm.MAX_EVENT_BYTES !== 51200 || cjs.MAX_EVENT_BYTES !== 51200) throw new Error("values differ")
      process.stdout.write(JSON.stringify({ esm: describe(esm), cjs: describe(cjs) }))
    })
  `
  const { stdout } = await promisify(execFile)(process.execPath, ["-e", script, result.esm, result.cjs], {
    cwd: PACKAGE_DIR,
  })
  return JSON.parse(stdout) as { esm: Record<string, string>; cjs: Record<string, string> }
}

describe("build", () => {
  it("writes dist/server/index.mjs and index.cjs", () => {
    expect(result.esm).toBe(join(outdir, "server", "index.mjs"))
    expect(result.cjs).toBe(join(outdir, "server", "index.cjs"))
    expect(result.types).toBeUndefined()
    for (const file of [result.esm, result.cjs]) expect(existsSync(file)).toBe(true)
  })

  it("both bundles load in Node with the same named exports, no default export", async () => {
    const { esm, cjs } = await loadInNode()
    expect(esm).toEqual(cjs)
    expect(esm).toMatchObject({
      validateEvent: "function",
      MAX_EVENT_BYTES: "number",
      KNOWN_EVENT_TYPES: "object",
    })
    expect(esm).not.toHaveProperty("default")
  })

  it("bundles contain no Effect, no inlined MCP or React, and no absolute paths", () => {
    for (const file of [result.esm, result.cjs]) {
      const code = readFileSync(file, "utf8")
      expect(code).not.toMatch(/(?:from\s*|require\(\s*|import\(\s*)["']effect(?:\/[^"']*)?["']/)
      expect(code).not.toMatch(/["']@effect\//)
      expect(code).not.toContain("node_modules/@modelcontextprotocol")
      expect(code).not.toContain("node_modules/react")
      expect(code).not.toContain(PACKAGE_DIR)
      expect(code).not.toContain(REPO_ROOT)
      expect(code).not.toContain("file://")
    }
  })

  it("workspace imports of @yavio/sdk resolve to the source (custom condition @yavio/source)", () => {
    expect(viaPackage.validateEvent).toBe(viaSource.validateEvent)
    const pkg = JSON.parse(readFileSync(join(PACKAGE_DIR, "package.json"), "utf8")) as {
      exports: Record<string, Record<string, string>>
      dependencies?: unknown
    }
    expect(pkg.exports["."]).toEqual({
      "@yavio/source": "./src/index.ts",
      types: "./dist/server/index.d.ts",
      import: "./dist/server/index.mjs",
      require: "./dist/server/index.cjs",
    })
    expect(pkg.dependencies).toBeUndefined() // zero runtime dependencies
  })
})
