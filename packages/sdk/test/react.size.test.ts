/**
 * The widget bundle budget and isolation (sdk.md §1, §7.8): `@yavio/sdk/react`, built as
 * published (minified, `react` external), is at most 4096 bytes gzipped, contains nothing but
 * `src/react/` (no server code, no Effect, no Node built-ins), and imports only `react`.
 */

import { readFileSync } from "node:fs"
import { mkdtemp, readFile, rm } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { buildReact, PACKAGE_DIR } from "../scripts/build.js"
import { BUDGET_BYTES, measure, type SizeReport } from "../scripts/size.js"
import { SDK_VERSION } from "../src/react/version.js"

let report: SizeReport
let dir: string
let code: string
let inputs: ReadonlyArray<string>

beforeAll(async () => {
  report = await measure()
  dir = await mkdtemp(join(tmpdir(), "yavio-react-bundle-"))
  inputs = await buildReact(join(dir, "index.mjs"))
  code = await readFile(join(dir, "index.mjs"), "utf8")
}, 60_000)

afterAll(async () => {
  if (dir !== undefined) await rm(dir, { recursive: true, force: true })
})

describe("@yavio/sdk/react bundle", () => {
  it(`is at most ${BUDGET_BYTES} bytes minified and gzipped`, () => {
    expect(report.budgetBytes).toBe(4096)
    expect(report.gzipBytes).toBeLessThanOrEqual(BUDGET_BYTES)
    expect(report.withinBudget).toBe(true)
  })

  it("is built from src/react/ only: no server, core or transport code, no dependency", () => {
    expect(report.foreignInputs).toEqual([])
    expect(inputs.length).toBeGreaterThan(0)
    for (const input of inputs) expect(input).toMatch(/^src\/react\//)
  })

  it("imports react and nothing else; no Effect, no Node built-ins, no MCP", () => {
    const imports = [...code.matchAll(/\bfrom\s*"([^"]+)"|\bimport\s*"([^"]+)"|\bimport\(\s*"([^"]+)"/g)].map(
      (m) => m[1] ?? m[2] ?? m[3],
    )
    expect(new Set(imports)).toEqual(new Set(["react"]))
    expect(code).not.toMatch(/["']effect["'/]|@effect\/|["']node:|AsyncLocalStorage|@modelcontextprotocol/)
  })

  it("exports useYavio and extractWidgetConfig, no default", () => {
    expect(code).toMatch(/export\s*\{[^}]*\bas useYavio\b/)
    expect(code).toMatch(/export\s*\{[^}]*\bas extractWidgetConfig\b/)
    expect(code).not.toMatch(/as default\b/)
  })

  it("package.json exports ./react (source for the workspace, dist for consumers)", () => {
    const pkg = JSON.parse(readFileSync(join(PACKAGE_DIR, "package.json"), "utf8")) as {
      version: string
      exports: Record<string, unknown>
    }
    expect(pkg.exports["./react"]).toEqual({
      "@yavio/source": "./src/react/index.ts",
      types: "./dist/react/index.d.ts",
      import: "./dist/react/index.mjs",
    })
    expect(SDK_VERSION).toBe(pkg.version) // the widget's sdk_version follows the package
  })
})
