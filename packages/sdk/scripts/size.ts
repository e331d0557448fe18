/**
 * The widget size budget (sdk.md §7.8): builds `@yavio/sdk/react` exactly as published
 * (minified, `react` external), gzips it at level 9 and prints one JSON line with the size and
 * the 4096-byte budget. Exits 1 above the budget, or when the bundle pulled in anything that is
 * not `src/react/` (server code, Effect, Node built-ins).
 *
 *   npm run size -w @yavio/sdk     # node --import tsx scripts/size.ts
 */

import { mkdtemp, readFile, rm } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join, resolve } from "node:path"
import { fileURLToPath } from "node:url"
import { gzipSync } from "node:zlib"
import { buildReact } from "./build.js"

export const BUDGET_BYTES = 4096

export interface SizeReport {
  readonly minifiedBytes: number
  readonly gzipBytes: number
  readonly budgetBytes: number
  /** Inputs outside `src/react/`: must be empty. */
  readonly foreignInputs: ReadonlyArray<string>
  readonly withinBudget: boolean
}

export const measure = async (): Promise<SizeReport> => {
  const dir = await mkdtemp(join(tmpdir(), "yavio-react-size-"))
  try {
    const file = join(dir, "index.mjs")
    const inputs = await buildReact(file)
    const code = await readFile(file)
    const gzipBytes = gzipSync(code, { level: 9 }).length
    const foreignInputs = inputs.filter((input) => !input.startsWith("src/react/"))
    return {
      minifiedBytes: code.length,
      gzipBytes,
      budgetBytes: BUDGET_BYTES,
      foreignInputs,
      withinBudget: gzipBytes <= BUDGET_BYTES && foreignInputs.length === 0,
    }
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

const isMain = process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)
if (isMain) {
  measure().then(
    (report) => {
      console.log(JSON.stringify({ figure: "react_bundle_min_gzip_bytes", ...report }))
      if (!report.withinBudget) {
        console.error(
          report.foreignInputs.length > 0
            ? `@yavio/sdk/react pulls in code outside src/react/: ${report.foreignInputs.join(", ")}`
            : `@yavio/sdk/react is ${report.gzipBytes} bytes gzipped, over the ${BUDGET_BYTES}-byte budget`,
        )
        process.exitCode = 1
      }
    },
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : error)
      process.exitCode = 1
    },
  )
}
