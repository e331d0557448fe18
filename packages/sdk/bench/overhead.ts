/**
 * `npm run bench:sdk`: the tool-call overhead of `withYavio` (sdk.md §8).
 *
 * The same tool, called by a real MCP client over the in-memory transport, on a bare server and
 * on `withYavio`-wrapped ones, for v1 (@modelcontextprotocol/sdk) and v2
 * (@modelcontextprotocol/server + client, 2026-07-28 era). Three arms per generation, alternated
 * in blocks whose order rotates every block, so machine noise hits every arm alike:
 *
 *  - bare:    the server unwrapped;
 *  - wrapped: events go through the real HTTP transport to a local sink (a node:http server on
 *             127.0.0.1 answering 200 `{"accepted":n}`, run in a worker thread so its parsing
 *             does not share the event loop with the calls being timed);
 *  - dead:    the endpoint is a closed port (connections refused, the sender backs off).
 *
 * Then heap growth: heapUsed (and V8's old and code spaces) after a full gc, before and after
 * 100,000 calls, with the sender flushed: bare, then wrapped twice — the first wrapped pass still
 * compiles the wrapped path, the second is the figure. Last, bare vs wrapped again after something used the `yavio`
 * singleton: handlers then run inside AsyncLocalStorage (`_with_singleton` figures).
 *
 * Prints one JSON line per figure on stdout; progress on stderr.
 *
 *   npm run bench:sdk                 full run (20,000 timed calls per arm)
 *   npm run bench:sdk -- --quick      smoke run (1,000 calls per arm, 5,000 for the heap)
 *   options: --calls N, --heap-calls N, --only v1|v2, --arms bare,wrapped,dead, --no-heap, --source,
 *            --no-pipeline (skip the per-event and flush figures of pipeline.ts),
 *            --no-singleton (skip the `_with_singleton` figures: the same calls in a process that
 *            asked for the request without `extra`, so AsyncLocalStorage runs on every call)
 *
 * What is timed is the published bundle (dist/server/index.mjs, built into a temp dir first),
 * as users run it; `--source` times src/ through tsx instead, whose keep-names helpers add a
 * few µs per call.
 *
 * Profiling the wrapped path (then `profile-summary.ts` on the .cpuprofile written to ./prof):
 *   node --cpu-prof --cpu-prof-dir=prof --conditions=@yavio/source --import tsx \
 *     packages/sdk/bench/overhead.ts --only v1 --arms wrapped --no-heap --source
 */

import { mkdtempSync } from "node:fs"
import { createServer } from "node:net"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { setImmediate as nextMacrotask } from "node:timers/promises"
import { pathToFileURL } from "node:url"
import { getHeapSpaceStatistics } from "node:v8"
import { Worker } from "node:worker_threads"
import { Client as ClientV2, InMemoryTransport as InMemoryV2 } from "@modelcontextprotocol/client"
import { Client as ClientV1 } from "@modelcontextprotocol/sdk/client/index.js"
import { InMemoryTransport as InMemoryV1 } from "@modelcontextprotocol/sdk/inMemory.js"
import { McpServer as McpServerV1 } from "@modelcontextprotocol/sdk/server/mcp.js"
import { McpServer as McpServerV2 } from "@modelcontextprotocol/server"
import { serveStdio } from "@modelcontextprotocol/server/stdio"
import * as z from "zod"
import { build } from "../scripts/build.js"
import type * as Sdk from "../src/server/index.js"
import { pipelineFigures } from "./pipeline.js"

const argv = process.argv.slice(2)
const flag = (name: string): boolean => argv.includes(name)
const option = (name: string): string | undefined => {
  const index = argv.indexOf(name)
  return index >= 0 ? argv[index + 1] : undefined
}
const QUICK = flag("--quick")
const CALLS = Number(option("--calls") ?? (QUICK ? 1_000 : 20_000))
const HEAP_CALLS = Number(option("--heap-calls") ?? (QUICK ? 5_000 : 100_000))
const WARM_UP = QUICK ? 300 : 3_000
const BLOCK = 100
const ONLY = option("--only")
/** Arms to run (profiling: `--arms wrapped --no-heap`); the bare arm is the baseline of every figure. */
const ARMS = (option("--arms") ?? "bare,wrapped,dead").split(",")
const HEAP = !flag("--no-heap")
/** Time the TypeScript source instead of the published bundle (profiles then name our frames). */
const SOURCE = flag("--source")
const PIPELINE = !flag("--no-pipeline")
/** Also time a process that uses the singleton (AsyncLocalStorage on for every call). */
const SINGLETON = !flag("--no-singleton")

const loadSdk = async (): Promise<typeof Sdk> => {
  if (SOURCE) return import("../src/server/index.js")
  const { esm } = await build({ outdir: mkdtempSync(join(tmpdir(), "yavio-bench-sdk-")), types: false })
  return (await import(pathToFileURL(esm).href)) as typeof Sdk
}
const heapUsedMb = (): number => {
  ;(globalThis as { gc?: () => void }).gc?.()
  return process.memoryUsage().heapUsed / 1024 / 1024
}
const heapBeforeSdk = heapUsedMb()
const { createYavio, withYavio } = await loadSdk()

const progress = (line: string): void => {
  process.stderr.write(`[bench:sdk] ${line}\n`)
}
const emit = (figure: Record<string, unknown>): void => {
  process.stdout.write(`${JSON.stringify(figure)}\n`)
}

const gc = (globalThis as { gc?: () => void }).gc

/** A local ingest stand-in in a worker thread: 200 `{"accepted":n}` for every POST. */
const SINK_SOURCE = `
const { createServer } = require("node:http")
const { parentPort } = require("node:worker_threads")
let events = 0
let requests = 0
const server = createServer((req, res) => {
  const chunks = []
  req.on("data", (chunk) => chunks.push(chunk))
  req.on("end", () => {
    let n = 0
    try { n = JSON.parse(Buffer.concat(chunks).toString("utf8")).events.length } catch {}
    events += n
    requests++
    const body = JSON.stringify({ accepted: n })
    res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(body) })
    res.end(body)
  })
})
server.keepAliveTimeout = 60000
server.listen(0, "127.0.0.1", () => parentPort.postMessage({ port: server.address().port }))
parentPort.on("message", (message) => {
  if (message === "stats") parentPort.postMessage({ events, requests })
  if (message === "close") server.close(() => process.exit(0))
})
`

interface Sink {
  readonly port: number
  readonly stats: () => Promise<{ events: number; requests: number }>
  readonly close: () => Promise<void>
}

const startSink = async (): Promise<Sink> => {
  const worker = new Worker(SINK_SOURCE, { eval: true })
  const port = await new Promise<number>((resolve, reject) => {
    worker.once("message", (message: { port: number }) => resolve(message.port))
    worker.once("error", reject)
  })
  return {
    port,
    stats: () =>
      new Promise((resolve) => {
        worker.once("message", resolve)
        worker.postMessage("stats")
      }),
    close: async () => {
      worker.postMessage("close")
      await new Promise((resolve) => worker.once("exit", resolve))
    },
  }
}

/** A port that was free a moment ago and has no listener now: connections are refused. */
const closedPort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer()
    server.once("error", reject)
    server.listen(0, "127.0.0.1", () => {
      const address = server.address()
      const port = typeof address === "object" && address !== null ? address.port : 0
      server.close(() => resolve(port))
    })
  })

const API_KEY_LIVE = `yav_${"benchLiveKey".padEnd(32, "0")}`
const API_KEY_DEAD = `yav_${"benchDeadKey".padEnd(32, "0")}`

/** The tool: a small search answer with structured content; no explicit tracking calls. */
const answer = (city: string) => ({
  content: [{ type: "text" as const, text: `2 rooms in ${city}` }],
  structuredContent: { rooms: [{ id: "R1" }, { id: "R2" }] },
})

type Call = (city: string) => Promise<unknown>

interface Arm {
  readonly name: string
  readonly call: Call
  readonly close: () => Promise<void>
}

const armV1 = async (name: string, wrap: (server: McpServerV1) => McpServerV1): Promise<Arm> => {
  const server = wrap(new McpServerV1({ name: "hotel", version: "1.0.0" }))
  server.registerTool("search_rooms", { inputSchema: { city: z.string() } }, async ({ city }) => answer(city))
  const [clientTransport, serverTransport] = InMemoryV1.createLinkedPair()
  await server.connect(serverTransport)
  const client = new ClientV1({ name: "claude-ai", version: "0.1.0" }, { capabilities: {} })
  await client.connect(clientTransport)
  return {
    name,
    call: (city) => client.callTool({ name: "search_rooms", arguments: { city } }),
    close: () => client.close(),
  }
}

const armV2 = async (name: string, wrap: (server: McpServerV2) => McpServerV2): Promise<Arm> => {
  const factory = () => {
    const server = wrap(new McpServerV2({ name: "hotel", version: "2.0.0" }))
    server.registerTool("search_rooms", { inputSchema: z.object({ city: z.string() }) }, async ({ city }) =>
      answer(city),
    )
    return server
  }
  const [clientTransport, serverTransport] = InMemoryV2.createLinkedPair()
  const handle = serveStdio(factory as never, { transport: serverTransport } as never) as {
    close: () => Promise<void>
  }
  const client = new ClientV2({ name: "openai-mcp", version: "1.0.0" }, {
    capabilities: {},
    versionNegotiation: { mode: { pin: "2026-07-28" } },
  } as never)
  await client.connect(clientTransport)
  return {
    name,
    call: (city) => client.callTool({ name: "search_rooms", arguments: { city } }),
    close: async () => {
      await client.close()
      await handle.close()
    },
  }
}

const percentile = (sorted: ReadonlyArray<number>, p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? Number.NaN

const round = (value: number, digits = 1): number => {
  const factor = 10 ** digits
  return Math.round(value * factor) / factor
}

/** One overhead figure: a percentile of the bare arm against the same percentile of a wrapped one. */
const emitOverhead = (figure: string, sdk: string, bare: number, wrapped: number): void => {
  emit({
    figure,
    sdk,
    bare: round(bare),
    wrapped: round(wrapped),
    delta: round(wrapped - bare),
    ratio: round(wrapped / bare, 3),
    calls: CALLS,
  })
}

/** Per-call latencies (µs) of every arm: blocks of BLOCK calls, arm order rotated each block. */
const measure = async (arms: ReadonlyArray<Arm>, calls: number): Promise<Map<string, number[]>> => {
  for (let i = 0; i < WARM_UP; i++) {
    for (const arm of arms) await arm.call("Rome")
    await nextMacrotask()
  }
  const samples = new Map<string, number[]>(arms.map((arm) => [arm.name, []]))
  const blocks = Math.ceil(calls / BLOCK)
  let n = 0
  for (let block = 0; block < blocks; block++) {
    for (let k = 0; k < arms.length; k++) {
      const arm = arms[(block + k) % arms.length]!
      const out = samples.get(arm.name)!
      for (let i = 0; i < BLOCK && out.length < calls; i++) {
        const city = `City ${n++ & 1023}`
        const started = performance.now()
        await arm.call(city)
        out.push((performance.now() - started) * 1000)
        // The in-memory transport runs on microtasks only: without a turn of the event loop
        // between calls the SDK's sender (real I/O) would never run, as it would on any real
        // transport. Untimed, and the same for every arm.
        await nextMacrotask()
      }
    }
  }
  return samples
}

const heapMb = (): number => {
  gc?.()
  gc?.()
  return process.memoryUsage().heapUsed / 1024 / 1024
}

/** Used size (MB) of V8's old space (objects that survived) and code space (JIT output). */
const spacesMb = (): { readonly old: number; readonly code: number } => {
  const used = (name: string): number =>
    (getHeapSpaceStatistics().find((space) => space.space_name === name)?.space_used_size ?? 0) / 1024 / 1024
  return { old: used("old_space"), code: used("code_space") }
}

interface Growth {
  /** heapUsed growth (MB, after gc). */
  readonly total: number
  /** Of which old space: what stays reachable (a leak shows here)… */
  readonly old: number
  /** …and code space: compiled code, which grows as V8 optimises more of the path. */
  readonly code: number
}

/** Heap growth (after gc) over `calls` calls of one arm. */
const heapGrowth = async (arm: Arm, calls: number, settle: () => Promise<void>): Promise<Growth> => {
  await settle()
  const before = heapMb()
  const spacesBefore = spacesMb()
  for (let i = 0; i < calls; i++) {
    await arm.call(`City ${i & 1023}`)
    await nextMacrotask()
  }
  await settle()
  const total = heapMb() - before
  const spacesAfter = spacesMb()
  return { total, old: spacesAfter.old - spacesBefore.old, code: spacesAfter.code - spacesBefore.code }
}

const runGeneration = async (sdk: "v1" | "v2", sink: Sink, deadPort: number): Promise<void> => {
  const live = { apiKey: API_KEY_LIVE, endpoint: `http://127.0.0.1:${sink.port}` }
  const dead = { apiKey: API_KEY_DEAD, endpoint: `http://127.0.0.1:${deadPort}` }
  const make = (name: string, wrap: <T>(server: T) => T): Promise<Arm> =>
    sdk === "v1" ? armV1(name, wrap) : armV2(name, wrap)
  const all: ReadonlyArray<readonly [string, <T>(server: T) => T]> = [
    ["bare", (server) => server],
    ["wrapped", (server) => withYavio(server, live)],
    ["dead", (server) => withYavio(server, dead)],
  ]
  const arms: Arm[] = []
  for (const [name, wrap] of all) if (ARMS.includes(name)) arms.push(await make(name, wrap))
  progress(`${sdk}: ${WARM_UP} warm-up + ${CALLS} calls per arm (${arms.map((a) => a.name).join(", ")})`)
  const started = performance.now()
  const samples = await measure(arms, CALLS)
  progress(`${sdk}: measured in ${round((performance.now() - started) / 1000)} s`)
  const sorted = new Map([...samples].map(([name, values]) => [name, [...values].sort((a, b) => a - b)]))
  const bare = sorted.get("bare")
  for (const [name, values] of sorted) {
    progress(
      `${sdk} ${name}: p50 ${round(percentile(values, 50))} µs, p99 ${round(percentile(values, 99))} µs`,
    )
  }
  if (bare === undefined) {
    for (const arm of arms) await arm.close()
    return
  }
  for (const [p, figure] of [
    [50, "tool_call_overhead_p50_us"],
    [99, "tool_call_overhead_p99_us"],
  ] as const) {
    const b = percentile(bare, p)
    for (const variant of ["wrapped", "dead"] as const) {
      const values = sorted.get(variant)
      if (values === undefined) continue
      emitOverhead(variant === "wrapped" ? figure : `${figure}_dead_endpoint`, sdk, b, percentile(values, p))
    }
  }

  if (!HEAP) {
    for (const arm of arms) await arm.close()
    return
  }

  // Heap: flush the live sender so queued events do not count as growth.
  const liveTracker = createYavio(live)
  const settle = async (): Promise<void> => {
    await liveTracker.flush()
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  const bareArm = arms.find((arm) => arm.name === "bare")
  const wrappedArm = arms.find((arm) => arm.name === "wrapped")
  if (bareArm === undefined || wrappedArm === undefined) {
    for (const arm of arms) await arm.close()
    return
  }
  progress(
    `${sdk}: heap over ${HEAP_CALLS} calls, bare, then wrapped twice${gc === undefined ? " (no gc!)" : ""}`,
  )
  const bareGrowth = await heapGrowth(bareArm, HEAP_CALLS, settle)
  // The first pass still compiles and optimises the wrapped path (code space, and feedback and
  // bytecode in old space); the second shows what stays per call. Both are printed.
  const wrappedFirst = await heapGrowth(wrappedArm, HEAP_CALLS, settle)
  const wrappedGrowth = await heapGrowth(wrappedArm, HEAP_CALLS, settle)
  emit({
    figure: "heap_after_100k_calls_mb",
    sdk,
    bare: round(bareGrowth.total, 2),
    wrapped: round(wrappedGrowth.total, 2),
    bare_old_space: round(bareGrowth.old, 2),
    wrapped_old_space: round(wrappedGrowth.old, 2),
    bare_code_space: round(bareGrowth.code, 2),
    wrapped_code_space: round(wrappedGrowth.code, 2),
    wrapped_first_pass: round(wrappedFirst.total, 2),
    wrapped_first_pass_old_space: round(wrappedFirst.old, 2),
    heap_used_mb: round(heapMb(), 2),
    calls: HEAP_CALLS,
    gc: gc !== undefined,
  })
  for (const arm of arms) await arm.close()
}

/**
 * The same comparison in a process whose code asks for the request without `extra` (the `yavio`
 * singleton): from the first question on, every tool callback runs inside AsyncLocalStorage
 * (src/server/context.ts). Runs after every other figure, since the switch is for good.
 */
const runWithSingleton = async (sdk: "v1" | "v2", sink: Sink): Promise<void> => {
  const live = { apiKey: API_KEY_LIVE, endpoint: `http://127.0.0.1:${sink.port}` }
  const arms = [
    sdk === "v1" ? await armV1("bare", (server) => server) : await armV2("bare", (server) => server),
    sdk === "v1"
      ? await armV1("wrapped", (server) => withYavio(server, live))
      : await armV2("wrapped", (server) => withYavio(server, live)),
  ]
  progress(`${sdk}: ${WARM_UP} warm-up + ${CALLS} calls per arm, AsyncLocalStorage on (singleton used)`)
  const samples = await measure(arms, CALLS)
  const bare = [...(samples.get("bare") ?? [])].sort((a, b) => a - b)
  const wrapped = [...(samples.get("wrapped") ?? [])].sort((a, b) => a - b)
  for (const p of [50, 99] as const) {
    emitOverhead(
      `tool_call_overhead_p${p}_us_with_singleton`,
      sdk,
      percentile(bare, p),
      percentile(wrapped, p),
    )
  }
  for (const arm of arms) await arm.close()
}

const main = async (): Promise<void> => {
  const sink = await startSink()
  const deadPort = await closedPort()
  const started = performance.now()
  try {
    {
      // Memory baseline (§8: < 10 MB): the SDK loaded, one wrapped server, nothing queued.
      const server = withYavio(new McpServerV1({ name: "idle", version: "1.0.0" }), {
        apiKey: API_KEY_LIVE,
        endpoint: `http://127.0.0.1:${sink.port}`,
      })
      const baseline = heapUsedMb() - heapBeforeSdk
      emit({
        figure: "memory_baseline_mb",
        value: round(baseline, 2),
        target_mb: 10,
        server: server !== undefined,
      })
    }
    if (PIPELINE) {
      progress("per-event costs and the 100-event flush")
      await pipelineFigures(`http://127.0.0.1:${sink.port}`, emit)
    }
    for (const sdk of ["v1", "v2"] as const) {
      if (ONLY !== undefined && ONLY !== sdk) continue
      await runGeneration(sdk, sink, deadPort)
    }
    if (SINGLETON && ARMS.includes("wrapped")) {
      // One question from outside any request switches the storage on for the process.
      createYavio({ apiKey: API_KEY_LIVE, endpoint: `http://127.0.0.1:${sink.port}` }).track("bench_asks")
      for (const sdk of ["v1", "v2"] as const) {
        if (ONLY !== undefined && ONLY !== sdk) continue
        await runWithSingleton(sdk, sink)
      }
    }
    await createYavio({ apiKey: API_KEY_LIVE, endpoint: `http://127.0.0.1:${sink.port}` }).flush()
    const stats = await sink.stats()
    progress(`sink received ${stats.events} events in ${stats.requests} requests`)
  } finally {
    // Give the dead-endpoint sender its bounded shutdown; the live one delivers its tail.
    await Promise.race([
      Promise.all([
        createYavio({ apiKey: API_KEY_LIVE, endpoint: `http://127.0.0.1:${sink.port}` }).shutdown(),
        createYavio({ apiKey: API_KEY_DEAD, endpoint: `http://127.0.0.1:${deadPort}` }).shutdown(),
      ]),
      new Promise((resolve) => setTimeout(resolve, 6_000).unref()),
    ])
    await sink.close()
  }
  progress(`done in ${round((performance.now() - started) / 1000)} s`)
  process.exit(0)
}

await main()
