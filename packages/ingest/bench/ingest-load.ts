/**
 * The load generator of `npm run bench:ingest`, run as its own process by `ingest.ts`: sends
 * pre-built batches to the ingest server over loopback with a keep-alive agent, phase by
 * phase, and prints one JSON line per phase on stdout.
 *
 * - `rate` phases are open-loop: batches are due at a fixed rate whatever the server does,
 *   and latency is measured from when a batch was due (so a stalled server cannot hide its
 *   stall by slowing the sender down — no coordinated omission).
 * - `max` phases are closed-loop: `concurrency` senders each keep one request in flight.
 *
 * Every loop is bounded by its phase's time and by `maxEvents`; the target must be loopback.
 *
 * Input: one JSON argument, `LoadPlan` below.
 */
import { readdirSync, readFileSync } from "node:fs"
import { Agent, type ClientRequest, request } from "node:http"
import { makeBatchTemplates, stampBatch } from "./ingest-events.js"

export type Phase =
  | {
      readonly kind: "rate"
      readonly name: string
      readonly eventsPerSecond: number
      readonly seconds: number
    }
  | { readonly kind: "max"; readonly name: string; readonly concurrency: number; readonly seconds: number }

export interface LoadPlan {
  readonly url: string
  readonly apiKey: string
  readonly serverPid: number
  readonly templates: number
  readonly perBatch: number
  readonly seed: number
  /** Hard cap on events sent by one phase. */
  readonly maxEvents: number
  readonly phases: ReadonlyArray<Phase>
}

export interface PhaseResult {
  readonly name: string
  readonly kind: Phase["kind"]
  readonly offeredEventsPerSecond: number | null
  readonly concurrency: number | null
  readonly seconds: number
  readonly requests: number
  readonly eventsSent: number
  readonly eventsAccepted: number
  readonly statuses: Readonly<Record<string, number>>
  readonly acceptedEventsPerSecond: number
  readonly writtenByMetrics: number
  /** ClickHouse inserts the writer made during the phase, their mean size and duration. */
  readonly inserts: number
  readonly eventsPerInsert: number
  readonly insertMsMean: number
  readonly latencyMs: {
    readonly p50: number
    readonly p90: number
    readonly p99: number
    readonly max: number
  }
  readonly serverCpuCores: number
  /** The same by kind of thread (see `serverThreadCpu`). Threads that ended are missing. */
  readonly serverThreadCores: Readonly<Record<string, number>>
  readonly serverRssMb: { readonly end: number; readonly peak: number }
  readonly loadCpuCores: number
  /** Batches that were due but could not be sent before the phase ended (rate phases). */
  readonly unsent: number
  /** The phase's span on the monotonic clock, in µs (the clock of V8's CPU profiles on Linux). */
  readonly monotonicUs: { readonly start: number; readonly end: number }
}

const plan = JSON.parse(process.argv[2] ?? "") as LoadPlan
const target = new URL(plan.url)
if (!["127.0.0.1", "localhost", "[::1]"].includes(target.hostname)) {
  throw new Error(`the load generator only targets loopback, not ${target.hostname}`)
}

const CLOCK_TICKS = 100
/** How long a phase waits for its last answers after its time is up. */
const GRACE_MS = 5_000
const serverCpuSeconds = (): number => {
  // Fields after the command name (which may hold spaces): utime and stime are the 12th and
  // 13th after the closing parenthesis.
  const stat = readFileSync(`/proc/${plan.serverPid}/stat`, "utf8")
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ")
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS
}
/**
 * CPU seconds of the server's threads by kind: the JS main thread; Node's other threads (the
 * libuv pool, where chDB runs each query's calling side, and V8's GC helpers); the engine's
 * query threads (`ThreadPool`); its merges (`MergeMutate`); the engine's other pools.
 */
const serverThreadCpu = (): Map<string, { readonly kind: string; readonly seconds: number }> => {
  const threads = new Map<string, { kind: string; seconds: number }>()
  let tasks: string[]
  try {
    tasks = readdirSync(`/proc/${plan.serverPid}/task`)
  } catch {
    return threads
  }
  for (const tid of tasks) {
    try {
      const stat = readFileSync(`/proc/${plan.serverPid}/task/${tid}/stat`, "utf8")
      const name = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"))
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ")
      const seconds = (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS
      const kind =
        tid === String(plan.serverPid)
          ? "jsMain"
          : name === "node" || name.startsWith("libuv") || name.startsWith("V8")
            ? "nodeWorkers"
            : name === "ThreadPool" || name.startsWith("QueryPipeline")
              ? "chQueryThreads"
              : name === "MergeMutate"
                ? "chMerges"
                : "chOther"
      threads.set(tid, { kind, seconds })
    } catch {
      // The thread ended between the listing and the read.
    }
  }
  return threads
}

/** CPU cores used by kind of thread between two readings (threads that ended meanwhile are missed). */
const threadCores = (
  before: ReturnType<typeof serverThreadCpu>,
  after: ReturnType<typeof serverThreadCpu>,
  seconds: number,
): Record<string, number> => {
  const by: Record<string, number> = { jsMain: 0, nodeWorkers: 0, chQueryThreads: 0, chMerges: 0, chOther: 0 }
  for (const [tid, thread] of after) {
    by[thread.kind] = (by[thread.kind] ?? 0) + thread.seconds - (before.get(tid)?.seconds ?? 0)
  }
  for (const kind of Object.keys(by)) by[kind] = round(by[kind]! / seconds)
  return by
}

const serverRssMb = (): number => {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${plan.serverPid}/status`, "utf8"))
  return match === null ? 0 : Number(match[1]) / 1024
}

const agent = new Agent({ keepAlive: true, maxSockets: 256 })

const get = (path: string): Promise<string> =>
  new Promise((resolve, reject) => {
    const req = request({ host: target.hostname, port: target.port, path, agent }, (res) => {
      let text = ""
      res.setEncoding("utf8")
      res.on("data", (chunk: string) => {
        text += chunk
      })
      res.on("end", () => resolve(text))
    })
    req.on("error", reject)
    req.end()
  })

/** Counters of the server's /metrics that a phase reports the change of. */
interface ServerCounters {
  readonly written: number
  readonly inserts: number
  readonly insertedEvents: number
  readonly insertSeconds: number
}
const serverCounters = async (): Promise<ServerCounters> => {
  const text = await get("/metrics")
  const sum = (prefix: string) => {
    let total = 0
    for (const line of text.split("\n")) {
      if (line.startsWith(prefix)) total += Number(line.split(" ").pop())
    }
    return total
  }
  return {
    written: sum("yavio_ingest_events_written_total"),
    inserts: sum("yavio_ingest_batch_size_count"),
    insertedEvents: sum("yavio_ingest_batch_size_sum"),
    insertSeconds: sum("yavio_ingest_batch_write_duration_seconds_sum"),
  }
}

const headers = {
  authorization: `Bearer ${plan.apiKey}`,
  "content-type": "application/json",
}

/** Requests in flight, so a phase can abandon the ones its grace period did not see answered. */
const open = new Set<ClientRequest>()
let abandoning = false

/** Sends one body; resolves with the status, 0 for a transport error, -1 if abandoned. */
const post = (body: Buffer): Promise<number> =>
  new Promise((resolve) => {
    const req: ClientRequest = request(
      {
        host: target.hostname,
        port: target.port,
        path: "/v1/events",
        method: "POST",
        agent,
        headers: { ...headers, "content-length": body.length },
      },
      (res) => {
        res.resume()
        res.on("end", () => {
          open.delete(req)
          resolve(res.statusCode ?? 0)
        })
      },
    )
    req.on("error", () => {
      open.delete(req)
      resolve(abandoning ? -1 : 0)
    })
    open.add(req)
    req.end(body)
  })

const started = performance.now()
const templates = makeBatchTemplates(plan.templates, plan.perBatch, plan.seed, Date.now())
const averageEventBytes =
  templates.reduce((n, t) => n + t.bytes.length, 0) / templates.length / Math.max(1, plan.perBatch)
process.stderr.write(
  `load: ${templates.length} batch templates of ${plan.perBatch} events (${Math.round(averageEventBytes)} B/event) built in ${Math.round(performance.now() - started)} ms\n`,
)

let nextId = 1
let nextTemplate = 0
const nextBody = (): Buffer => {
  const template = templates[nextTemplate]!
  nextTemplate = (nextTemplate + 1) % templates.length
  const body = stampBatch(template, nextId)
  nextId += plan.perBatch
  return body
}

const percentile = (sorted: ReadonlyArray<number>, p: number): number =>
  sorted.length === 0
    ? Number.NaN
    : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!

const round = (x: number, digits = 2): number => Number(x.toFixed(digits))

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

const runPhase = async (phase: Phase): Promise<PhaseResult> => {
  const latencies: number[] = []
  const statuses: Record<string, number> = {}
  let requests = 0
  let eventsSent = 0
  let eventsAccepted = 0
  let unsent = 0
  let peakRss = serverRssMb()
  const before = await serverCounters()
  const cpuBefore = serverCpuSeconds()
  const threadsBefore = serverThreadCpu()
  const loadCpuBefore = process.cpuUsage()
  const rssTimer = setInterval(() => {
    peakRss = Math.max(peakRss, serverRssMb())
  }, 250)

  const send = async (dueAt: number) => {
    const body = nextBody()
    requests++
    eventsSent += plan.perBatch
    const status = await post(body)
    latencies.push(performance.now() - dueAt)
    statuses[status] = (statuses[status] ?? 0) + 1
    if (status === 200) eventsAccepted += plan.perBatch
  }

  const monotonicStart = Number(process.hrtime.bigint() / 1000n)
  const t0 = performance.now()
  const deadline = t0 + phase.seconds * 1000
  const inFlight = new Set<Promise<void>>()
  if (phase.kind === "rate") {
    const interval = (1000 * plan.perBatch) / phase.eventsPerSecond
    let due = 0
    while (performance.now() < deadline) {
      const now = performance.now()
      // Send everything that is due, then sleep until the next one is.
      while (t0 + due * interval <= now && eventsSent + plan.perBatch <= plan.maxEvents) {
        const p = send(t0 + due * interval).finally(() => inFlight.delete(p))
        inFlight.add(p)
        due++
      }
      const wait = t0 + due * interval - performance.now()
      await sleep(Math.max(0, Math.min(wait, deadline - performance.now())))
    }
    unsent = Math.max(0, Math.floor((phase.seconds * 1000) / interval) - due)
  } else {
    const worker = async () => {
      while (performance.now() < deadline && eventsSent + plan.perBatch <= plan.maxEvents) {
        await send(performance.now())
      }
    }
    for (let i = 0; i < phase.concurrency; i++) {
      const p = worker().finally(() => inFlight.delete(p))
      inFlight.add(p)
    }
  }
  // Answers still owed after the grace period are abandoned (status -1, latency up to then),
  // so a server that fell behind cannot stretch the run without bound.
  const settled = Promise.all(inFlight).then(() => true)
  if (!(await Promise.race([settled, sleep(GRACE_MS).then(() => false)]))) {
    abandoning = true
    for (const req of open) req.destroy()
    await settled
    abandoning = false
  }
  const elapsed = (performance.now() - t0) / 1000
  const monotonicEnd = Number(process.hrtime.bigint() / 1000n)
  clearInterval(rssTimer)
  const cpu = serverCpuSeconds() - cpuBefore
  const byThread = threadCores(threadsBefore, serverThreadCpu(), elapsed)
  const loadCpu = process.cpuUsage(loadCpuBefore)
  const after = await serverCounters()
  const inserts = after.inserts - before.inserts
  latencies.sort((a, b) => a - b)
  return {
    name: phase.name,
    kind: phase.kind,
    offeredEventsPerSecond: phase.kind === "rate" ? phase.eventsPerSecond : null,
    concurrency: phase.kind === "max" ? phase.concurrency : null,
    seconds: round(elapsed, 3),
    requests,
    eventsSent,
    eventsAccepted,
    statuses,
    acceptedEventsPerSecond: Math.round(eventsAccepted / elapsed),
    writtenByMetrics: after.written - before.written,
    inserts,
    eventsPerInsert: inserts === 0 ? 0 : Math.round((after.insertedEvents - before.insertedEvents) / inserts),
    insertMsMean:
      inserts === 0 ? 0 : round((1000 * (after.insertSeconds - before.insertSeconds)) / inserts, 1),
    latencyMs: {
      p50: round(percentile(latencies, 50)),
      p90: round(percentile(latencies, 90)),
      p99: round(percentile(latencies, 99)),
      max: round(latencies[latencies.length - 1] ?? Number.NaN),
    },
    serverCpuCores: round(cpu / elapsed),
    serverThreadCores: byThread,
    serverRssMb: { end: Math.round(serverRssMb()), peak: Math.round(Math.max(peakRss, serverRssMb())) },
    loadCpuCores: round((loadCpu.user + loadCpu.system) / 1e6 / elapsed),
    unsent,
    monotonicUs: { start: monotonicStart, end: monotonicEnd },
  }
}

/**
 * Waits (at most 20 s) until the server has written everything it took: a phase that offered
 * more than the server could take leaves a queue behind (abandoned requests' events are still
 * written), which must not count against the next phase.
 */
const settle = async (): Promise<void> => {
  const deadline = performance.now() + 20_000
  let last = (await serverCounters()).written
  let steadySince = performance.now()
  while (performance.now() < deadline && performance.now() - steadySince < 1_000) {
    await sleep(250)
    const written = (await serverCounters()).written
    if (written !== last) {
      last = written
      steadySince = performance.now()
    }
  }
}

for (const phase of plan.phases) {
  await settle()
  const result = await runPhase(phase)
  process.stdout.write(`${JSON.stringify({ ...result, averageEventBytes: Math.round(averageEventBytes) })}\n`)
}
agent.destroy()
