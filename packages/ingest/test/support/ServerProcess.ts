import { type ChildProcess, spawn } from "node:child_process"
import { readFileSync } from "node:fs"
import { freePort, platformEnv, REPO_ROOT } from "@yavio/testkit/PlatformProcess"

export { freePort, REPO_ROOT }

export interface ProcessExit {
  readonly code: number | null
  readonly signal: NodeJS.Signals | null
}

interface Spawned {
  readonly child: ChildProcess
  /** stdout and stderr so far, interleaved: for failure messages. */
  readonly output: () => string
  readonly exited: Promise<ProcessExit>
}

const spawnNode = (script: string, env: Readonly<Record<string, string>>): Spawned => {
  const child = spawn(process.execPath, ["--import", "tsx", script], {
    cwd: REPO_ROOT,
    env: platformEnv(env),
    stdio: ["ignore", "pipe", "pipe"],
  })
  let output = ""
  child.stdout?.setEncoding("utf8").on("data", (chunk: string) => {
    output += chunk
  })
  child.stderr?.setEncoding("utf8").on("data", (chunk: string) => {
    output += chunk
  })
  // Resolves once the process is gone and reaped (its pid no longer counts as alive).
  const exited = new Promise<ProcessExit>((resolve) => {
    child.once("exit", (code, signal) => resolve({ code, signal }))
  })
  return { child, output: () => output, exited }
}

/** Resolves with `promise`, or rejects with `message()` once `ms` passed. */
export const within = <A>(ms: number, promise: Promise<A>, message: () => string): Promise<A> => {
  let timer: NodeJS.Timeout | undefined
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${message()} (after ${ms} ms)`)), ms)
  })
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer))
}

export interface ServerProcess {
  readonly url: string
  readonly pid: number
  readonly output: () => string
  readonly exited: Promise<ProcessExit>
  readonly kill: (signal: NodeJS.Signals) => void
}

/** Processes started and not yet seen to exit: `killAll` (afterEach) ends them. */
const running = new Set<ServerProcess>()

/**
 * `npm start` as a child process (`node --import tsx apps/server/src/main.ts` from the
 * repository root) on `dataDir` and `port`; resolves when it logs "ingest listening", rejects
 * with its output if it exits first or does not get there in `timeoutMs`.
 */
export const startServer = async (options: {
  readonly dataDir: string
  readonly port: number
  readonly env?: Readonly<Record<string, string>>
  readonly timeoutMs?: number
}): Promise<ServerProcess> => {
  const spawned = spawnNode("apps/server/src/main.ts", {
    YAVIO_DATA_DIR: options.dataDir,
    YAVIO_INGEST_PORT: String(options.port),
    // npm start also serves the dashboard API: a port of its own, so parallel files never collide.
    YAVIO_DASHBOARD_PORT: String(await freePort()),
    ...options.env,
  })
  const { child, output, exited } = spawned
  const server: ServerProcess = {
    url: `http://127.0.0.1:${options.port}`,
    pid: child.pid ?? -1,
    output,
    exited,
    kill: (signal) => {
      child.kill(signal)
    },
  }
  running.add(server)
  void exited.then(() => running.delete(server))
  const listening = new Promise<void>((resolve, reject) => {
    const onData = () => {
      if (output().includes("ingest listening")) {
        child.stdout?.off("data", onData)
        resolve()
      }
    }
    child.stdout?.on("data", onData)
    void exited.then((exit) =>
      reject(new Error(`the server exited (${JSON.stringify(exit)}) before listening:\n${output()}`)),
    )
  })
  const timeoutMs = options.timeoutMs ?? 60_000
  try {
    await within(timeoutMs, listening, () => `the server did not start listening:\n${output()}`)
  } catch (error) {
    child.kill("SIGKILL")
    await exited
    throw error
  }
  return server
}

/** SIGKILLs every server still running and waits until each is reaped. */
export const killAll = async (): Promise<void> => {
  const left = [...running]
  for (const server of left) server.kill("SIGKILL")
  await Promise.all(left.map((server) => server.exited))
}

/** What the first start provisioned (`$YAVIO_DATA_DIR/local.json`). */
export const readLocalInstall = (dataDir: string): { readonly apiKey: string; readonly projectId: string } =>
  JSON.parse(readFileSync(`${dataDir}/local.json`, "utf8"))
