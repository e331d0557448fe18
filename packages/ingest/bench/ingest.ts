/**
 * `npm run bench:ingest`: ingest throughput and latency against a freshly started `npm start`.
 *
 *  1. Starts the server exactly as `npm start` does (`node --import tsx apps/server/src/main.ts`)
 *     on a temp data dir and a free loopback port, with the per-key rate limit raised: the
 *     spec's 1,000 events/s per key (burst 5,000) would otherwise cap every phase.
 *  2. Runs the load generator (`ingest-load.ts`) in its own process: a warm-up, then open-loop
 *     phases at 5k/10k/20k events/s (p50/p99 latency), then a closed-loop maximum (events/s
 *     accepted, i.e. answered 200 after the insert, server CPU by thread, RSS). The maximum
 *     keeps 128 requests of 100 events in flight by default: 12,800 events, more than one full
 *     10,000-event insert, as a busy ingest serving many SDKs would see (with 32, inserts are
 *     capped at 3,200 events and pay chDB's large per-insert cost three times as often).
 *  3. Stops the server, then inserts the same kind of rows straight into a fresh chDB store
 *     (`ingest-raw.ts`): the physical limit the server's maximum is compared with.
 *
 * Prints one JSON line per figure on stdout; progress goes to stderr. Bounded: every phase
 * stops on time and on an event count, answers still owed 5 s after a phase are abandoned;
 * only loopback is used; temp dirs are removed.
 *
 * On a machine shared with other work, wall-clock rates measure the neighbours as much as
 * ingest: `setup` reports the CPU pressure and a JSON.parse calibration, and
 * `cpu_us_per_event` compares CPU time per event, server against a straight insert.
 *
 *   npm run bench:ingest                    the full run (~2 minutes)
 *   npm run bench:ingest -- --profile       warm-up + maximum only, the server under
 *                                           --cpu-prof; prints the top frames
 *   options: --concurrency N (maximum phase, default 128), --max-seconds N (default 15),
 *            --server-node-flags "<flags>" (extra Node flags for the server, for experiments),
 *            --keep (keep the temp dirs and the profile)
 */
import { type ChildProcess, spawn } from "node:child_process"
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs"
import { tmpdir } from "node:os"
import { dirname, join, resolve } from "node:path"
import { fileURLToPath } from "node:url"
import { freePort } from "@yavio/testkit/PlatformProcess"
import { summariseProfile } from "./cpuprofile.js"
import { makeBodies } from "./ingest-hotpath.js"
import type { LoadPlan, Phase, PhaseResult } from "./ingest-load.js"

const here = dirname(fileURLToPath(import.meta.url))
const root = resolve(here, "../../..")
const args = process.argv.slice(2)
const flag = (name: string) => args.includes(name)
const option = (name: string, fallback: number): number => {
  const at = args.indexOf(name)
  const value = at === -1 ? Number.NaN : Number(args[at + 1])
  return Number.isFinite(value) && value > 0 ? value : fallback
}

const stringOption = (name: string): string | undefined => {
  const at = args.indexOf(name)
  return at === -1 ? undefined : args[at + 1]
}
const profile = flag("--profile")
/** Extra Node flags for the server only (experiments, e.g. `--max-semi-space-size=64`). */
const serverNodeFlags = (stringOption("--server-node-flags") ?? "").split(" ").filter((f) => f !== "")
const keep = flag("--keep")
const concurrency = option("--concurrency", 128)
const maxSeconds = Math.min(option("--max-seconds", 15), 60)
const RATE_LIMIT = 10_000_000
const PER_BATCH = 100
const SEED = 20_260_101

/** The machine's CPU pressure (share of time some task waited for a CPU, last 60 s): other work. */
const cpuPressure = (): number | null => {
  try {
    const match = /avg60=([\d.]+)/.exec(readFileSync("/proc/pressure/cpu", "utf8"))
    return match === null ? null : Number(match[1])
  } catch {
    return null
  }
}
const pressureAtStart = cpuPressure()

/**
 * How fast this machine is right now: JSON.parse of request bodies on one core, MB/s of CPU
 * time (best of 3). A shared machine can be several times slower than when idle; compare runs
 * only with similar calibration.
 */
const calibrate = (): number => {
  const bodies = makeBodies(10_000, SEED, Date.now())
  const bytes = bodies.reduce((n, b) => n + b.length, 0)
  let best = Number.POSITIVE_INFINITY
  for (let round = 0; round < 3; round++) {
    const start = process.cpuUsage()
    for (const body of bodies) JSON.parse(body)
    const used = process.cpuUsage(start)
    best = Math.min(best, used.user + used.system)
  }
  return Math.round(bytes / best)
}
const calibrationAtStart = calibrate()
const usPerEvent = (cores: number, eventsPerSecond: number) =>
  eventsPerSecond > 0 ? Math.round((cores * 1e6) / eventsPerSecond) : null

const log = (line: string) => process.stderr.write(`bench: ${line}\n`)
const emit = (figure: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(figure)}\n`)

/** The environment of a child that must use embedded stores, whatever the caller's shell says. */
const childEnv = (extra: Record<string, string>): NodeJS.ProcessEnv => {
  const env = { ...process.env, ...extra }
  for (const name of ["DATABASE_URL", "CLICKHOUSE_URL", "NODE_OPTIONS"]) delete env[name]
  return env
}

const waitForExit = (child: ChildProcess, ms: number): Promise<number | null> =>
  new Promise((resolveExit) => {
    if (child.exitCode !== null) return resolveExit(child.exitCode)
    const timer = setTimeout(() => {
      log(`pid ${child.pid} did not exit in ${ms} ms: killing it`)
      child.kill("SIGKILL")
    }, ms)
    child.on("exit", (code) => {
      clearTimeout(timer)
      resolveExit(code)
    })
  })

/** Runs a bench script to completion; resolves with its stdout lines. */
const runScript = (script: string, input: unknown, env: NodeJS.ProcessEnv, timeoutMs: number) =>
  new Promise<ReadonlyArray<string>>((resolveRun, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", join(here, script), JSON.stringify(input)], {
      cwd: root,
      env,
      stdio: ["ignore", "pipe", "inherit"],
    })
    let out = ""
    child.stdout.setEncoding("utf8")
    child.stdout.on("data", (chunk: string) => {
      out += chunk
      for (const line of chunk.split("\n")) if (line.startsWith("{")) log(`${script}: ${line.slice(0, 240)}`)
    })
    const timer = setTimeout(() => {
      log(`${script} ran over ${timeoutMs} ms: killing it`)
      child.kill("SIGKILL")
    }, timeoutMs)
    child.on("error", reject)
    child.on("exit", (code) => {
      clearTimeout(timer)
      if (code === 0) resolveRun(out.split("\n").filter((l) => l.startsWith("{")))
      else reject(new Error(`${script} exited with ${code}`))
    })
  })

// ---------------------------------------------------------------------------------------------
// The server.

const dataDir = mkdtempSync(join(tmpdir(), "yavio-bench-ingest-"))
const profileDir = join(dataDir, "profile")
const port = await freePort()
const serverArgs = [
  ...serverNodeFlags,
  ...(profile ? ["--cpu-prof", `--cpu-prof-dir=${profileDir}`] : []),
  "--import",
  "tsx",
  "apps/server/src/main.ts",
]
log(`starting the server (${serverArgs.join(" ")}) on 127.0.0.1:${port}, data in ${dataDir}`)
const server = spawn(process.execPath, serverArgs, {
  cwd: root,
  env: childEnv({
    YAVIO_DATA_DIR: dataDir,
    YAVIO_INGEST_PORT: String(port),
    YAVIO_DASHBOARD_PORT: String(await freePort()),
    YAVIO_HOST: "127.0.0.1",
    YAVIO_RATE_LIMIT_EVENTS_PER_SECOND: String(RATE_LIMIT),
    YAVIO_RATE_LIMIT_BURST: String(RATE_LIMIT),
  }),
  stdio: ["ignore", "pipe", "pipe"],
})
let serverLog = ""
server.stdout.setEncoding("utf8")
server.stderr.setEncoding("utf8")
server.stdout.on("data", (chunk: string) => {
  serverLog += chunk
})
// Error logs (one JSON line each) are kept, not echoed: a failing insert would flood stderr.
server.stderr.on("data", (chunk: string) => {
  if (serverLog.length < 1_000_000) serverLog += chunk
})

const stopServer = async () => {
  if (server.exitCode !== null) return
  server.kill("SIGTERM")
  const code = await waitForExit(server, 60_000)
  log(`server exited (${code})`)
}
process.on("SIGINT", () => {
  server.kill("SIGKILL")
  process.exit(130)
})

const startedAt = performance.now()
await new Promise<void>((resolveReady, reject) => {
  const timer = setTimeout(
    () => reject(new Error(`the server did not start in 120 s:\n${serverLog}`)),
    120_000,
  )
  const check = () => {
    if (serverLog.includes("ingest listening")) {
      clearTimeout(timer)
      resolveReady()
    }
  }
  server.stdout.on("data", check)
  server.on("exit", (code) =>
    reject(new Error(`the server exited (${code}) before listening:\n${serverLog}`)),
  )
})
log(`server listening after ${Math.round(performance.now() - startedAt)} ms (pid ${server.pid})`)
const { apiKey } = JSON.parse(readFileSync(join(dataDir, "local.json"), "utf8")) as { apiKey: string }

const phases: ReadonlyArray<Phase> = profile
  ? [
      { kind: "max", name: "warmup", concurrency: 16, seconds: 3 },
      { kind: "max", name: "max", concurrency, seconds: maxSeconds },
    ]
  : [
      { kind: "max", name: "warmup", concurrency: 16, seconds: 4 },
      { kind: "rate", name: "rate_5000", eventsPerSecond: 5_000, seconds: 8 },
      { kind: "rate", name: "rate_10000", eventsPerSecond: 10_000, seconds: 8 },
      { kind: "rate", name: "rate_20000", eventsPerSecond: 20_000, seconds: 8 },
      { kind: "max", name: "max", concurrency, seconds: maxSeconds },
    ]
const loadPlan: LoadPlan = {
  url: `http://127.0.0.1:${port}`,
  apiKey,
  serverPid: server.pid!,
  templates: 300,
  perBatch: PER_BATCH,
  seed: SEED,
  maxEvents: 3_000_000,
  phases,
}

let results: ReadonlyArray<PhaseResult & { averageEventBytes: number }>
try {
  const lines = await runScript("ingest-load.ts", loadPlan, childEnv({}), 240_000)
  results = lines.map((l) => JSON.parse(l) as PhaseResult & { averageEventBytes: number })
} finally {
  await stopServer()
}
const errorLines = serverLog.split("\n").filter((l) => l.includes('"level":"ERROR"') || l.includes("YAVIO-2"))
if (errorLines.length > 0) log(`server logged ${errorLines.length} error lines; first: ${errorLines[0]}`)

const byName = new Map(results.map((r) => [r.name, r]))
const max = byName.get("max")

// ---------------------------------------------------------------------------------------------
// Figures.

emit({
  figure: "setup",
  cores: (await import("node:os")).availableParallelism(),
  node: process.version,
  events_per_batch: PER_BATCH,
  avg_event_bytes: results[0]?.averageEventBytes,
  max_concurrency: concurrency,
  server_node_flags: serverNodeFlags,
  rate_limit_events_per_s: RATE_LIMIT,
  cpu_pressure_avg60_pct: { at_start: pressureAtStart, at_end: cpuPressure() },
  json_parse_mb_per_cpu_s: { at_start: calibrationAtStart, at_end: calibrate() },
  note: "per-key rate limit raised via YAVIO_RATE_LIMIT_EVENTS_PER_SECOND/_BURST: the default 1,000 events/s (burst 5,000) would cap every phase at 1,000 events/s",
})

for (const rate of [5_000, 10_000, 20_000]) {
  const r = byName.get(`rate_${rate}`)
  if (r === undefined) continue
  const common = {
    offered_events_per_s: rate,
    accepted_events_per_s: r.acceptedEventsPerSecond,
    non_200: r.requests - (r.statuses["200"] ?? 0),
    server_cpu_cores: r.serverCpuCores,
    server_cpu_us_per_event: usPerEvent(r.serverCpuCores, r.acceptedEventsPerSecond),
    server_cpu_by_thread: r.serverThreadCores,
    events_per_insert: r.eventsPerInsert,
    insert_ms_mean: r.insertMsMean,
  }
  emit({ figure: "p50_latency_ms", value: r.latencyMs.p50, ...common })
  emit({
    figure: "p99_latency_ms",
    value: r.latencyMs.p99,
    ...common,
    ...(rate === 10_000 ? { goal: 100, met: r.latencyMs.p99 < 100 } : {}),
  })
}

/** Self and inclusive time of the server's main thread during the maximum phase. */
const profileSummary = (window: { start: number; end: number } | undefined) => {
  // One profile per thread that ran JS (tsx's loader has its own): the main thread's is the largest.
  const file = readdirSync(profileDir)
    .filter((f) => f.endsWith(".cpuprofile"))
    .sort((a, b) => statSync(join(profileDir, b)).size - statSync(join(profileDir, a)).size)[0]
  if (file === undefined) return Promise.resolve(log("no .cpuprofile was written"))
  log(`profile: ${join(profileDir, file)}${keep ? "" : " (removed; --keep keeps it)"}`)
  return summariseProfile(join(profileDir, file), window, emit)
}

try {
  if (profile) {
    if (max !== undefined) {
      emit({
        figure: "max_events_per_s",
        value: max.acceptedEventsPerSecond,
        server_cpu_cores: max.serverCpuCores,
        server_cpu_by_thread: max.serverThreadCores,
        events_per_insert: max.eventsPerInsert,
        note: "under --cpu-prof: slower than a plain run",
      })
    }
    await profileSummary(max?.monotonicUs)
  } else if (max !== undefined) {
    log("inserting the same rows straight into a fresh chDB store (the physical limit)")
    const rawDir = mkdtempSync(join(tmpdir(), "yavio-bench-raw-"))
    let raw: {
      rowsPerSecond: number
      rowsInserted: number
      insertMsP50: number
      cpuCores: number
      rowBytes: number
      stagesUsPerEvent: Record<string, number>
      intakeUsPerEvent: number
    }
    try {
      const [line] = await runScript(
        "ingest-raw.ts",
        { rows: 130_000, seed: SEED, seconds: 20 },
        childEnv({ YAVIO_DATA_DIR: rawDir }),
        180_000,
      )
      raw = JSON.parse(line!) as typeof raw
    } finally {
      rmSync(rawDir, { recursive: true, force: true })
    }
    emit({
      figure: "max_events_per_s",
      value: max.acceptedEventsPerSecond,
      limit: raw.rowsPerSecond,
      ratio: Number((max.acceptedEventsPerSecond / raw.rowsPerSecond).toFixed(3)),
      goal: 50_000,
      met: max.acceptedEventsPerSecond >= 50_000,
      concurrency,
      seconds: max.seconds,
      written_per_metrics: max.writtenByMetrics,
      accepted: max.eventsAccepted,
      non_200: max.requests - (max.statuses["200"] ?? 0),
      p50_latency_ms: max.latencyMs.p50,
      p99_latency_ms: max.latencyMs.p99,
      events_per_insert: max.eventsPerInsert,
      insert_ms_mean: max.insertMsMean,
    })
    // Wall-clock rates measure the neighbours too on a shared machine; CPU per event does not.
    const serverUs = usPerEvent(max.serverCpuCores, max.acceptedEventsPerSecond)
    const rawUs = usPerEvent(raw.cpuCores, raw.rowsPerSecond)
    emit({
      figure: "cpu_us_per_event",
      server: serverUs,
      raw_insert: rawUs,
      ratio: serverUs === null || rawUs === null ? null : Number((rawUs / serverUs).toFixed(3)),
      intake_one_core: raw.intakeUsPerEvent,
      note: "server = all its threads (JS, chDB, merges) per accepted event at maximum; raw_insert = the same per row inserted straight; ratio = raw/server",
    })
    emit({
      figure: "max_server_cpu_cores",
      value: max.serverCpuCores,
      by_thread: max.serverThreadCores,
      load_generator_cpu_cores: max.loadCpuCores,
    })
    emit({ figure: "max_server_rss_mb", value: max.serverRssMb.peak, end: max.serverRssMb.end })
    emit({
      figure: "raw_insert_rows_per_s",
      value: raw.rowsPerSecond,
      rows: raw.rowsInserted,
      rows_per_insert: 10_000,
      insert_ms_p50: raw.insertMsP50,
      cpu_cores: raw.cpuCores,
      row_bytes: raw.rowBytes,
    })
    emit({
      figure: "hot_path_cpu_us_per_event",
      intake_whole: raw.intakeUsPerEvent,
      ...raw.stagesUsPerEvent,
      note: "one core, no HTTP, no ClickHouse: Intake.ingest with a stub writer, and its steps apart",
    })
  }
} finally {
  if (!keep) rmSync(dataDir, { recursive: true, force: true })
  else log(`kept ${dataDir}`)
}
