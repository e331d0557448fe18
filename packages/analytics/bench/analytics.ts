/**
 * `npm run bench:analytics [-- --events N] [--data-dir DIR --no-seed] [--no-merge] [--runs R] [--only overview,tools]`
 *
 * Seeds N events (default 10,000,000) over 7 days into one of three projects of a temp data dir
 * (the other two get a tenth each, so tenant filtering has something to skip), unless
 * `--data-dir` names a store seeded before (`--events` must then match, `--no-seed`). After
 * seeding it merges every table's parts (`OPTIMIZE … FINAL`, a `merge` line), what the engine
 * does by itself in the background within minutes of a bulk load: the seed's 1M-event chunks
 * each span the whole week, so until then every part overlaps every other and `FINAL` merges
 * them all on each read, which real ingest (parts in time order) never causes. `--no-merge`
 * measures that state instead. Then
 * times each view end to end through the analytics services (decoded, as the RPC handlers will
 * call them) and, as the limit, the very SQL those calls ran, executed raw on the same chDB.
 * One JSON line per view: {"view":"overview","ms":…,"raw_ms":…,"ratio":…,"goal_ms":…,
 * "raw_each_ms":[…]} (the last: each statement's raw time, to see which query dominates).
 * Medians of `--runs` (default 5) after one warm-up. The Overview reads closed buckets'
 * totals (`BucketTotals`), which a view fills after it read the events: its line adds
 * `cold_ms`, the first view with no totals at all (`bucket_totals` emptied first), and
 * `fill_ms`, the background fill that follows it; `ms` and `raw_ms` are the views after that.
 */

import { mkdtempSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { NodeRuntime } from "@effect/platform-node"
import * as Statement from "@effect/sql/Statement"
import { ClickhouseClient } from "@effect/sql-clickhouse/ClickhouseClient"
import { Clickhouse, ClickhouseMigrator, StorageConfig } from "@yavio/storage"
import { ConfigProvider, Effect, Layer } from "effect"
import { progressBar } from "../scripts/progressBar.js"
import { decodeFilter } from "../src/AnalyticsFilter.js"
import { BucketTotals } from "../src/BucketTotals.js"
import { ERROR_LIST_SORTS, Errors } from "../src/Errors.js"
import { Funnels } from "../src/Funnels.js"
import { Overview } from "../src/Overview.js"
import { decodePaging } from "../src/Paging.js"
import { Paths } from "../src/Paths.js"
import { seedEvents } from "../src/Seed.js"
import { TOOL_SORTS, Tools } from "../src/Tools.js"
import { Users } from "../src/Users.js"

const argv = process.argv.slice(2)
const option = (name: string): string | undefined => {
  const at = argv.indexOf(name)
  return at >= 0 ? argv[at + 1] : undefined
}
const EVENTS = Number((option("--events") ?? "10000000").replace(/_/g, ""))
const RUNS = Number(option("--runs") ?? 5)
const DATA_DIR = option("--data-dir") ?? mkdtempSync(join(tmpdir(), "yavio-bench-analytics-"))
const SEED = !argv.includes("--no-seed")
const MERGE = SEED && !argv.includes("--no-merge")
/** The tables a bulk load leaves in overlapping parts. */
const MERGED_TABLES = [
  "events",
  "counted_events_by_bucket",
  "session_activity",
  "session_buckets",
  "trace_buckets",
  "sessions_agg",
  "users_agg",
]
const ONLY = option("--only")?.split(",")
const DAYS = 7
const END = new Date(Math.floor(Date.now() / 60_000) * 60_000)

const target = { workspaceId: "ws_bench", projectId: "prj_bench_1" }
const others = [
  { workspaceId: "ws_bench", projectId: "prj_bench_2" },
  { workspaceId: "ws_other", projectId: "prj_bench_3" },
]

const progress = (line: string) => process.stderr.write(`[bench:analytics] ${line}\n`)
const median = (values: ReadonlyArray<number>): number => {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN
}
const round = (value: number) => Math.round(value * 10) / 10

/**
 * Every statement a view executes, compiled, so the bench can replay it raw. A statement
 * transformer sees exactly what runs (the fragments a query is built from are not statements).
 */
const recorded: Array<readonly [string, ReadonlyArray<unknown>]> = []
const recordingStatements = <E>(effect: Effect.Effect<unknown, E>): Effect.Effect<unknown, E> =>
  Statement.withTransformer(effect, (statement) =>
    Effect.sync(() => {
      recorded.push(statement.compile() as readonly [string, ReadonlyArray<unknown>])
      return statement
    }),
  )

const views = Effect.gen(function* () {
  const filter = yield* decodeFilter({
    from: new Date(END.getTime() - DAYS * 86_400_000).toISOString(),
    to: END.toISOString(),
  })
  const overview = yield* Overview
  const tools = yield* Tools
  const funnels = yield* Funnels
  const users = yield* Users
  const paths = yield* Paths
  const errors = yield* Errors
  const toolPaging = yield* decodePaging({}, TOOL_SORTS, "invocations")
  const errorPaging = yield* decodePaging({}, ERROR_LIST_SORTS, "count")
  return [
    {
      view: "overview",
      goal: 300,
      // What the RPC handler calls: KPIs and charts, their queries concurrently.
      run: () => overview.page(target, filter),
      // The first view ever of the range, then the fill it started.
      prepare: () =>
        Effect.gen(function* () {
          const ch = yield* ClickhouseClient
          const totals = yield* BucketTotals
          yield* ch.asCommand(ch`TRUNCATE TABLE bucket_totals`)
          let started = performance.now()
          yield* overview.page(target, filter)
          const cold_ms = round(performance.now() - started)
          started = performance.now()
          yield* totals.settled
          return { cold_ms, fill_ms: round(performance.now() - started) }
        }),
    },
    { view: "tools", goal: 200, run: () => tools.list(target, filter, toolPaging) },
    {
      view: "funnel",
      goal: 500,
      run: () =>
        funnels.steps(target, filter, {
          steps: ["search_done", "room_chosen", "checkout_started", "booking"],
        }),
    },
    { view: "retention", goal: 300, run: () => users.retention(target, filter, "day") },
    // The Users view's identified-session share (it ran the whole Overview page for it before).
    { view: "identified_share", goal: undefined, run: () => overview.identifiedShare(target, filter) },
    { view: "paths", goal: undefined, run: () => paths.links(target, filter) },
    {
      view: "errors",
      goal: undefined,
      run: () =>
        Effect.all(
          [
            errors.kpis(target, filter),
            errors.rateOverTime(target, filter),
            errors.categories(target, filter),
            errors.perTool(target, filter),
            errors.list(target, filter, errorPaging),
          ],
          { concurrency: "unbounded" },
        ),
    },
  ] as const
})

const main = Effect.gen(function* () {
  progress(`data dir ${DATA_DIR}`)
  const migrating = Date.now()
  const migration = yield* Effect.flatMap(ClickhouseMigrator, (migrator) => migrator.run)
  if (migration.applied.length > 0) {
    // On a store seeded before a migration, this includes backfilling its tables.
    process.stdout.write(
      `${JSON.stringify({ figure: "migrate", applied: migration.applied, seconds: round((Date.now() - migrating) / 1000) })}\n`,
    )
  }
  if (SEED) {
    const started = Date.now()
    yield* seedEvents(
      { ...target, events: EVENTS, days: DAYS, seed: 1, end: END },
      progressBar("seed prj_bench_1"),
    )
    for (const [i, project] of others.entries()) {
      yield* seedEvents(
        { ...project, events: Math.trunc(EVENTS / 10), days: DAYS, seed: i + 2, end: END },
        progressBar(`seed ${project.projectId}`),
      )
    }
    const seconds = (Date.now() - started) / 1000
    process.stdout.write(
      `${JSON.stringify({ figure: "seed", events: EVENTS + 2 * Math.trunc(EVENTS / 10), seconds: round(seconds), per_s: Math.round((EVENTS * 1.2) / seconds) })}\n`,
    )
  }
  if (MERGE) {
    const started = Date.now()
    const ch = yield* ClickhouseClient
    for (const table of MERGED_TABLES) {
      progress(`merging ${table}`)
      yield* ch.asCommand(ch.unsafe(`OPTIMIZE TABLE ${table} FINAL`))
    }
    process.stdout.write(
      `${JSON.stringify({ figure: "merge", tables: MERGED_TABLES.length, seconds: round((Date.now() - started) / 1000) })}\n`,
    )
  }
  const ch = yield* ClickhouseClient
  for (const entry of yield* views) {
    const { view, goal, run } = entry
    if (ONLY !== undefined && !ONLY.includes(view)) continue
    const prepared = "prepare" in entry ? yield* entry.prepare() : {}
    recorded.length = 0
    yield* recordingStatements(run()) // warm-up, and the SQL it runs is recorded
    const statements = [...recorded]
    if (argv.includes("--sql")) {
      for (const [sql, params] of statements) progress(`${view}: ${sql}\n  ${JSON.stringify(params)}`)
    }
    const ms: number[] = []
    const raw: number[] = []
    const each: number[][] = statements.map(() => [])
    const cpu: number[] = []
    for (let i = 0; i < RUNS; i++) {
      let started = performance.now()
      const cpuBefore = process.cpuUsage()
      yield* run()
      ms.push(performance.now() - started)
      const cpuSpent = process.cpuUsage(cpuBefore)
      cpu.push((cpuSpent.user + cpuSpent.system) / 1000)
      started = performance.now()
      for (const [j, [sql, params]] of statements.entries()) {
        const one = performance.now()
        yield* ch.unsafe(sql, params as never)
        each[j]!.push(performance.now() - one)
      }
      raw.push(performance.now() - started)
    }
    const figure = {
      view,
      ms: round(median(ms)),
      raw_ms: round(median(raw)),
      // CPU time of the service call (chDB runs in this process): less at the mercy of other
      // load on the machine than wall time, and above it when the engine used both cores.
      cpu_ms: round(median(cpu)),
      ratio: round((median(ms) / median(raw)) * 100) / 100,
      goal_ms: goal ?? null,
      queries: statements.length,
      // One after the other; the services run a view's queries concurrently.
      raw_each_ms: each.map((times) => round(median(times))),
      ...prepared,
      events: EVENTS,
    }
    process.stdout.write(`${JSON.stringify(figure)}\n`)
  }
})

const config = StorageConfig.layer.pipe(
  Layer.provide(Layer.setConfigProvider(ConfigProvider.fromMap(new Map([["YAVIO_DATA_DIR", DATA_DIR]])))),
)
const services = Layer.mergeAll(
  Overview.layer,
  Tools.layer,
  Funnels.layer,
  Users.layer,
  Paths.layer,
  Errors.layer,
)
main.pipe(
  Effect.provide(
    Layer.mergeAll(services, ClickhouseMigrator.layer).pipe(
      Layer.provideMerge(Clickhouse.layer),
      Layer.provideMerge(config),
    ),
  ),
  Effect.tapErrorCause((cause) =>
    Effect.sync(() => process.stderr.write(`bench:analytics failed\n${cause}\n`)),
  ),
  NodeRuntime.runMain,
)
