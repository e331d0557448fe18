/**
 * Builds the publishable entries (sdk.md §1):
 *   dist/server/index.mjs  ESM bundle of src/index.ts
 *   dist/server/index.cjs  CJS bundle of the same
 *   dist/server/**.d.ts    declarations (tsc --emitDeclarationOnly, tsconfig.build.json)
 *   dist/react/index.mjs   the widget hook (src/react/index.ts): browser, ES2022, minified
 *   dist/react/**.d.ts     its declarations (tsconfig.react.json)
 * The server bundles target Node 20 and keep MCP, React and Node builtins external (peer
 * dependencies / the runtime); everything else of ours is inlined, so the package has no
 * runtime dependencies. The react bundle keeps only `react` external; its minified, gzipped
 * size is the widget budget (scripts/size.ts).
 *
 *   node --import tsx packages/sdk/scripts/build.ts [--outdir <dir>] [--no-types]
 */

import { spawn } from "node:child_process"
import { rm } from "node:fs/promises"
import { createRequire } from "node:module"
import { isAbsolute, join, resolve } from "node:path"
import { fileURLToPath } from "node:url"
import { type BuildOptions as EsbuildOptions, build as esbuild } from "esbuild"

export const PACKAGE_DIR = fileURLToPath(new URL("..", import.meta.url))
export const DEFAULT_OUTDIR = join(PACKAGE_DIR, "dist")

/** Resolved at run time by the host: peers, optional peers and Node's own modules. */
export const EXTERNAL = ["@modelcontextprotocol/*", "react", "react-dom", "react/*", "node:*"]

export interface BuildOptions {
  /** Where `server/` is written. Default `packages/sdk/dist`. */
  readonly outdir?: string
  /** Emit `.d.ts` files with tsc. Default true. */
  readonly types?: boolean
}

export interface BuildResult {
  readonly esm: string
  readonly cjs: string
  readonly types: string | undefined
  /** dist/react/index.mjs */
  readonly react: string
  /** The source files esbuild put into the react bundle (relative to the package). */
  readonly reactInputs: ReadonlyArray<string>
}

/**
 * The widget bundle: browser platform, ES2022, minified, `react` the only external. The
 * `@yavio/source` condition is deliberately absent: nothing of the workspace may be pulled in.
 */
export const buildReact = async (outfile: string): Promise<ReadonlyArray<string>> => {
  const result = await esbuild({
    absWorkingDir: PACKAGE_DIR,
    entryPoints: ["src/react/index.ts"],
    bundle: true,
    platform: "browser",
    target: "es2022",
    format: "esm",
    minify: true,
    external: ["react"],
    legalComments: "none",
    metafile: true,
    logLevel: "warning",
    outfile,
  })
  return Object.keys(result.metafile.inputs)
}

const runTsc = (args: ReadonlyArray<string>): Promise<void> => {
  const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc")
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [tsc, ...args], {
      cwd: PACKAGE_DIR,
      stdio: ["ignore", "pipe", "pipe"],
    })
    let output = ""
    child.stdout.on("data", (chunk: Buffer) => {
      output += chunk.toString()
    })
    child.stderr.on("data", (chunk: Buffer) => {
      output += chunk.toString()
    })
    child.on("error", reject)
    child.on("exit", (code) =>
      code === 0 ? resolvePromise() : reject(new Error(`tsc exited with ${code}:\n${output}`)),
    )
  })
}

export const build = async (options: BuildOptions = {}): Promise<BuildResult> => {
  const outdir = resolve(options.outdir ?? DEFAULT_OUTDIR)
  const serverDir = join(outdir, "server")
  const reactDir = join(outdir, "react")
  await rm(serverDir, { recursive: true, force: true })
  await rm(reactDir, { recursive: true, force: true })

  const common: EsbuildOptions = {
    absWorkingDir: PACKAGE_DIR, // paths in the bundle's comments stay relative to the package
    entryPoints: ["src/index.ts"],
    bundle: true,
    platform: "node",
    target: "node20",
    external: EXTERNAL,
    // The published bundle is built from source, like the workspace sees it.
    conditions: ["@yavio/source"],
    legalComments: "none",
    sourcemap: false,
    logLevel: "warning",
  }
  const esm = join(serverDir, "index.mjs")
  const cjs = join(serverDir, "index.cjs")
  const react = join(reactDir, "index.mjs")
  const [, , reactInputs] = await Promise.all([
    esbuild({ ...common, format: "esm", outfile: esm }),
    esbuild({ ...common, format: "cjs", outfile: cjs }),
    buildReact(react),
  ])

  let types: string | undefined
  if (options.types !== false) {
    await runTsc(["-p", "tsconfig.build.json", "--outDir", serverDir])
    await runTsc(["-p", "tsconfig.react.json", "--outDir", reactDir])
    types = join(serverDir, "index.d.ts")
  }
  return { esm, cjs, types, react, reactInputs }
}

const isMain = process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)
if (isMain) {
  const args = process.argv.slice(2)
  const at = args.indexOf("--outdir")
  const outdirArg = at >= 0 ? args[at + 1] : undefined
  const outdir = outdirArg === undefined ? undefined : isAbsolute(outdirArg) ? outdirArg : resolve(outdirArg)
  build({ ...(outdir === undefined ? {} : { outdir }), types: !args.includes("--no-types") }).then(
    (result) => {
      for (const file of [result.esm, result.cjs, result.types, result.react])
        if (file !== undefined) console.log(`built ${file}`)
    },
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : error)
      process.exitCode = 1
    },
  )
}
