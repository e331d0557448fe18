/**
 * The real Yavio server (`npm start` = `node --import tsx apps/server/src/main.ts`) as a child
 * process on embedded stores (PGlite + chDB) in a temp directory: its first start provisions a
 * local project and API key into `$YAVIO_DATA_DIR/local.json`, exactly what a developer gets.
 *
 * chDB locks its data directory against other processes, so the stored events are read
 * (`readStore`) only after `stop()`.
 */

import { type ChildProcess, spawn } from "node:child_process"
import { mkdtempSync, readFileSync, rmSync } from "node:fs"
import { createServer } from "node:net"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"

/** The repository root: `npm start` runs from there. */
export const REPO_ROOT = fileURLToPath(new URL("../../../", import.meta.url))

/**
 * Variables that would move the server off the embedded stores, pin its secrets or bind it
 * elsewhere: never inherited from whoever runs the tests.
 */
const NOT_INHERITED = [
  "DATABASE_URL",
  "CLICKHOUSE_URL",
  "CLICKHOUSE_USER",
  "CLICKHOUSE_PASSWORD",
  "CLICKHOUSE_DATABASE",
  "JWT_SECRET",
  "API_KEY_HASH_SECRET",
  "YAVIO_HOST",
  "YAVIO_MIGRATE_ONLY",
  "YAVIO_API_KEY",
  "YAVIO_ENDPOINT",
  "PORT",
]

/** The environment of a platform child process: ours minus `NOT_INHERITED`, plus `extra`. */
export const platformEnv = (extra: Readonly<Record<string, string>> = {}): NodeJS.ProcessEnv => {
  const env: NodeJS.ProcessEnv = { ...process.env }
  for (const name of NOT_INHERITED) delete env[name]
  return Object.assign(env, extra)
}

/** A loopback port that was free a moment ago (the listener is closed again before returning). */
export const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer()
    server.once("error", reject)
    server.listen(0, "127.0.0.1", () => {
      const address = server.address()
      const port = typeof address === "object" && address !== null ? address.port : 0
      server.close(() => resolve(port))
    })
  })

/** What the first start wrote to `local.json` (fields this suite reads). */
export interface LocalInstall {
  readonly apiKey: string
  readonly projectId: string
  readonly workspaceId: string
  readonly ingestUrl: string
  /** The local admin: logs in to the dashboard at once. */
  readonly email: string
  readonly password: string
}

export interface PlatformProcess {
  /** `http://127.0.0.1:<port>`: the ingest base URL (events at `/v1/events`). */
  readonly url: string
  /** `http://127.0.0.1:<port>`: the dashboard (pages, `/api/auth/*`, `/api/rpc`). */
  readonly dashboardUrl: string
  readonly dataDir: string
  readonly install: LocalInstall
  /** stdout and stderr so far, for failure messages. */
  readonly output: () => string
  /** SIGTERM and wait for the exit (SIGKILL past `timeoutMs`); idempotent. */
  readonly stop: (timeoutMs?: number) => Promise<void>
  /** Removes the data directory (after `stop`). */
  readonly remove: () => void
}

const exitOf = (child: ChildProcess): Promise<void> =>
  new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve()
    else child.once("exit", () => resolve())
  })

/** Resolves when `promise` does, or after `ms` with `false`. */
const settlesWithin = async (promise: Promise<unknown>, ms: number): Promise<boolean> => {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms)
  })
  try {
    return await Promise.race([promise.then(() => true), timeout])
  } finally {
    clearTimeout(timer)
  }
}

/**
 * Starts the server on a fresh data directory and a free port; resolves once it logged
 * "ingest listening" and "dashboard listening" and `local.json` exists. Rejects with the
 * server's output when it exits first or takes longer than `timeoutMs`.
 */
export const startPlatform = async (
  options: { readonly timeoutMs?: number; readonly env?: Readonly<Record<string, string>> } = {},
): Promise<PlatformProcess> => {
  const dataDir = mkdtempSync(join(tmpdir(), "yavio-platform-"))
  const port = await freePort()
  // npm start also serves the dashboard: a port of its own, so parallel files never collide.
  const dashboardPort = await freePort()
  const env = platformEnv({
    ...options.env,
    YAVIO_DATA_DIR: dataDir,
    YAVIO_INGEST_PORT: String(port),
    YAVIO_DASHBOARD_PORT: String(dashboardPort),
  })

  const child = spawn(process.execPath, ["--import", "tsx", "apps/server/src/main.ts"], {
    cwd: REPO_ROOT,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  })
  let output = ""
  const append = (chunk: string) => {
    output += chunk
  }
  child.stdout?.setEncoding("utf8").on("data", append)
  child.stderr?.setEncoding("utf8").on("data", append)
  const exited = exitOf(child)

  const stop = async (timeoutMs = 10_000): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return
    child.kill("SIGTERM")
    if (!(await settlesWithin(exited, timeoutMs))) {
      child.kill("SIGKILL")
      await exited
    }
  }
  const remove = () => rmSync(dataDir, { recursive: true, force: true })

  const listening = new Promise<void>((resolve, reject) => {
    const check = () => {
      if (output.includes("ingest listening") && output.includes("dashboard listening")) {
        child.stdout?.off("data", check)
        resolve()
      }
    }
    child.stdout?.on("data", check)
    void exited.then(() => reject(new Error(`the server exited before listening:\n${output}`)))
  })
  const timeoutMs = options.timeoutMs ?? 90_000
  let timer: NodeJS.Timeout | undefined
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`the server did not listen within ${timeoutMs} ms:\n${output}`)),
      timeoutMs,
    )
  })
  try {
    await Promise.race([listening, deadline])
  } catch (error) {
    await stop(2_000)
    remove()
    throw error
  } finally {
    clearTimeout(timer)
  }
  const install = JSON.parse(readFileSync(join(dataDir, "local.json"), "utf8")) as LocalInstall
  return {
    url: `http://127.0.0.1:${port}`,
    dashboardUrl: `http://127.0.0.1:${dashboardPort}`,
    dataDir,
    install,
    output: () => output,
    stop,
    remove,
  }
}
