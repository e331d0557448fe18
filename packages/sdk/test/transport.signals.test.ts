import { type ChildProcess, spawn } from "node:child_process"
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { build } from "esbuild"
import { afterAll, beforeAll, describe, it } from "vitest"
import { signalExitCode } from "../src/transport/signals.js"
import { type IngestServer, startIngestServer } from "./transport.support.js"

// sdk.md §6.4 in real processes: SIGTERM / SIGINT / beforeExit flush every sink; the exit
// code is 128 + signal when the SDK is the only listener, the host's otherwise.

// The child is bundled once to plain JS so each spawn costs a bare Node start-up.
const tempDir = mkdtempSync(join(tmpdir(), "yavio-signals-"))
const fixture = join(tempDir, "fixture.mjs")
beforeAll(async () => {
  await build({
    entryPoints: [fileURLToPath(new URL("./transport.signals.fixture.ts", import.meta.url))],
    outfile: fixture,
    bundle: true,
    platform: "node",
    format: "esm",
    logLevel: "silent",
  })
})
afterAll(() => {
  rmSync(tempDir, { recursive: true, force: true })
})

// Each test has its own ingest server, so the (process-spawning) tests run concurrently.
const servers: IngestServer[] = []
afterAll(async () => {
  await Promise.all(servers.map((server) => server.close()))
})
const newServer = async (): Promise<IngestServer> => {
  const server = await startIngestServer()
  servers.push(server)
  return server
}

interface Run {
  readonly child: ChildProcess
  /** First stdout line: `ready <SIGTERM listeners> <beforeExit listeners>`. */
  readonly ready: Promise<string>
  readonly exit: Promise<{ readonly code: number | null; readonly signal: NodeJS.Signals | null }>
  readonly stderr: () => string
}

const run = (server: IngestServer, mode: string, sinks = 1): Run => {
  const child = spawn(process.execPath, [fixture], {
    env: {
      ...process.env,
      YAVIO_TEST_MODE: mode,
      YAVIO_TEST_BASE_URL: server.baseUrl,
      YAVIO_TEST_SINKS: String(sinks),
    },
    stdio: ["ignore", "pipe", "pipe"],
  })
  let stdout = ""
  let stderr = ""
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString()
  })
  const ready = new Promise<string>((resolve) => {
    child.stdout?.on("data", (chunk: Buffer) => {
      stdout += chunk.toString()
      if (stdout.includes("\n")) resolve(stdout.split("\n")[0] ?? "")
    })
  })
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on("exit", (code, signal) => resolve({ code, signal })),
  )
  return { child, ready, exit, stderr: () => stderr }
}

const eventNames = (server: IngestServer) => server.events().map((event) => event.event_name)

// Spawning Node is slow on a busy machine: generous timeouts, and the tests run side by side.
describe.concurrent("shutdown hooks", { timeout: 30_000 }, () => {
  it.for([
    ["SIGTERM", 143],
    ["SIGINT", 130],
  ] as const)(
    "%s with only the SDK listening: flushes, then exits with %i",
    async ([signal, code], { expect }) => {
      expect(signalExitCode(signal)).toBe(code)
      const server = await newServer()
      const child = run(server, "alone")
      expect(await child.ready).toBe("ready 1 1")
      child.child.kill(signal)
      expect(await child.exit).toEqual({ code, signal: null })
      expect(eventNames(server)).toEqual(["sink0-0", "sink0-1", "sink0-2"])
    },
  )

  it("with a host listener: flushes and leaves the exit to the host", async ({ expect }) => {
    const server = await newServer()
    const child = run(server, "host")
    expect(await child.ready).toBe("ready 2 1")
    child.child.kill("SIGTERM")
    expect(await child.exit).toEqual({ code: 42, signal: null })
    expect(eventNames(server)).toEqual(["sink0-0", "sink0-1", "sink0-2"])
  })

  it("installed once per process, flushing every sink", async ({ expect }) => {
    const server = await newServer()
    const child = run(server, "alone", 3)
    expect(await child.ready).toBe("ready 1 1")
    child.child.kill("SIGTERM")
    expect((await child.exit).code).toBe(143)
    expect([...eventNames(server)].sort()).toEqual(
      [
        "sink0-0",
        "sink0-1",
        "sink0-2",
        "sink1-0",
        "sink1-1",
        "sink1-2",
        "sink2-0",
        "sink2-1",
        "sink2-2",
      ].sort(),
    )
    const keys = new Set(server.requests.map((request) => request.headers.authorization))
    expect(keys).toEqual(new Set(["Bearer yav_sink0", "Bearer yav_sink1", "Bearer yav_sink2"]))
  })

  it("beforeExit: a process that runs out of work delivers its tail and exits normally", async ({
    expect,
  }) => {
    const server = await newServer()
    const child = run(server, "beforeExit")
    await child.ready
    expect(await child.exit).toEqual({ code: 0, signal: null })
    expect(eventNames(server)).toEqual(["sink0-0", "sink0-1", "sink0-2"])
    expect(child.stderr()).toBe("")
  })

  it("the flush timer is unref'd: without hooks the process exits at once", async ({ expect }) => {
    const server = await newServer()
    const started = performance.now()
    const child = run(server, "unref")
    await child.ready
    expect(await child.exit).toEqual({ code: 0, signal: null })
    expect(performance.now() - started).toBeLessThan(8_000) // not held by the 10 s interval
    expect(server.requests).toHaveLength(0)
  })
})
