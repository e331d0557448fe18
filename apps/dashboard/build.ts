/**
 * Builds the app when its sources changed since the last build, so `npm start` and `npm test`
 * always serve what is checked out without a separate build step. A content hash of the sources
 * (not mtimes: a fresh clone has new mtimes everywhere) is kept in `dist/.source-hash`. Several
 * processes may ask at once (parallel test files starting the platform): one builds under a lock
 * directory, the others wait for it.
 */
import { spawn } from "node:child_process"
import { createHash } from "node:crypto"
import { existsSync } from "node:fs"
import { mkdir, readdir, readFile, rm, stat, writeFile } from "node:fs/promises"
import { createRequire } from "node:module"
import { dirname, join } from "node:path"
import { fileURLToPath } from "node:url"

export const appDir = dirname(fileURLToPath(import.meta.url))
export const distDir = join(appDir, "dist")
const hashFile = join(distDir, ".source-hash")
const lockDir = join(appDir, ".build-lock")
const STALE_LOCK_MS = 5 * 60_000

const sourceFiles = async (dir: string): Promise<Array<string>> => {
  const entries = await readdir(dir, { withFileTypes: true })
  const nested = await Promise.all(
    entries.map((e) =>
      e.isDirectory() ? sourceFiles(join(dir, e.name)) : Promise.resolve([join(dir, e.name)]),
    ),
  )
  return nested.flat()
}

export const sourceHash = async (): Promise<string> => {
  const files = [
    ...(await sourceFiles(join(appDir, "src"))),
    join(appDir, "vite.config.ts"),
    join(appDir, "package.json"),
  ]
  const hash = createHash("sha256")
  // Bumped when the build recipe itself changes, so existing dist/ directories are rebuilt.
  hash.update("recipe 2: NODE_ENV=production")
  for (const file of files.sort()) {
    hash.update(file.slice(appDir.length))
    hash.update(await readFile(file))
  }
  return hash.digest("hex")
}

const upToDate = async (hash: string) =>
  existsSync(join(distDir, "server", "server.js")) &&
  (await readFile(hashFile, "utf8").catch(() => "")) === hash

const runVite = () =>
  new Promise<void>((resolve, reject) => {
    // vite's package exports hide its bin; resolve the package and take the bin beside it.
    const vite = join(
      dirname(createRequire(join(appDir, "package.json")).resolve("vite/package.json")),
      "bin",
      "vite.js",
    )
    const child = spawn(process.execPath, [vite, "build"], {
      cwd: appDir,
      // Vite takes NODE_ENV from the environment: a build started under vitest (NODE_ENV=test)
      // shipped React's development build (warnings, dev checks, slower renders).
      env: { ...process.env, NODE_ENV: "production" },
      stdio: ["ignore", "inherit", "inherit"],
    })
    child.on("error", reject)
    child.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`vite build exited with ${code}`))))
  })

const takeLock = async (): Promise<boolean> => {
  try {
    await mkdir(lockDir)
    return true
  } catch {
    const age = await stat(lockDir).then(
      (s) => Date.now() - s.mtimeMs,
      () => 0,
    )
    if (age > STALE_LOCK_MS) await rm(lockDir, { recursive: true, force: true })
    return false
  }
}

/** Resolves once `dist/` matches the sources; `log` hears about a build (it takes ~10 s). */
export const ensureBuilt = async (log: (line: string) => void = () => {}): Promise<void> => {
  const hash = await sourceHash()
  const deadline = Date.now() + STALE_LOCK_MS
  while (!(await upToDate(hash))) {
    if (await takeLock()) {
      try {
        if (await upToDate(hash)) return
        log("building the dashboard (its sources changed since the last build)…")
        const started = Date.now()
        await runVite()
        await writeFile(hashFile, hash)
        log(`dashboard built in ${((Date.now() - started) / 1000).toFixed(1)} s`)
        return
      } finally {
        await rm(lockDir, { recursive: true, force: true })
      }
    }
    // Another process is building: wait for its result (or for its lock to go stale).
    if (Date.now() > deadline)
      throw new Error(`the dashboard build by another process did not finish (lock ${lockDir})`)
    await new Promise((resolve) => setTimeout(resolve, 250))
  }
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  ensureBuilt((line) => console.log(`yavio: ${line}`)).catch((error: unknown) => {
    console.error(error)
    process.exitCode = 1
  })
}
