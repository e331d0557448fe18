/**
 * The physical limit for `npm run bench:ingest`, run as its own process (chDB binds one data
 * directory per process): the same kind of rows the server writes, built ahead of time by
 * ingest's own decode → PII → row steps, inserted straight into a fresh chDB store (same
 * migrations, so the same table and materialised views) as JSONEachRow text in batches of
 * 10,000, through the same client call the writer makes. Also times each hot-path step per
 * event on one core, which says where the server's CPU goes without a profiler.
 *
 * Needs YAVIO_DATA_DIR (a fresh temp dir). Input: `{ rows, seed, seconds }` as one JSON
 * argument. Prints one JSON line on stdout.
 */
import { Readable } from "node:stream"
import { ClickhouseClient } from "@effect/sql-clickhouse/ClickhouseClient"
import { Clickhouse, ClickhouseMigrator, StorageConfig } from "@yavio/storage"
import { Effect, Layer } from "effect"
import { intakeCost, makeBodies, stageCosts } from "./ingest-hotpath.js"

interface RawPlan {
  readonly rows: number
  readonly seed: number
  /** Stop inserting after this long even if rows remain. */
  readonly seconds: number
}

const plan = JSON.parse(process.argv[2] ?? "") as RawPlan
const PER_INSERT = 10_000

const now = new Date()
// Request bodies as the server receives them, through ingest's own steps (each timed).
const bodies = makeBodies(plan.rows, plan.seed, now.getTime())
// Rows for every body (untimed), then the per-step costs on a slice, warmed up.
const { rows } = stageCosts(bodies, now, 1)
const { stages } = stageCosts(bodies.slice(0, 100), now, 4)
const intakeUsPerEvent = await intakeCost(bodies.slice(0, 100), 4)

const inserts: string[] = []
for (let i = 0; i < rows.length; i += PER_INSERT) {
  inserts.push(rows.slice(i, i + PER_INSERT).join(""))
}
const rowBytes = rows.reduce((n, r) => n + r.length, 0) / rows.length

const program = Effect.gen(function* () {
  yield* (yield* ClickhouseMigrator).run
  const clickhouse = yield* ClickhouseClient
  const insert = (body: string) =>
    clickhouse.insertQuery({
      table: "events",
      values: Readable.from([body.endsWith("\n") ? body.slice(0, -1) : body], { objectMode: true }),
      format: "JSONEachRow",
    })
  // One warm-up insert (first-insert costs: parts directory, MV plans), not counted.
  yield* insert(inserts[0]!)
  const cpuBefore = process.cpuUsage()
  const start = performance.now()
  const deadline = start + plan.seconds * 1000
  let inserted = 0
  const durations: number[] = []
  for (const body of inserts.slice(1)) {
    if (performance.now() > deadline) break
    const t = performance.now()
    yield* insert(body)
    durations.push(performance.now() - t)
    inserted += PER_INSERT
  }
  const seconds = (performance.now() - start) / 1000
  const cpu = process.cpuUsage(cpuBefore)
  const [count] = yield* clickhouse<{ n: string }>`SELECT count() AS n FROM events`
  durations.sort((a, b) => a - b)
  return {
    rowsPerSecond: Math.round(inserted / seconds),
    rowsInserted: inserted,
    rowsInTable: Number(count?.n ?? 0),
    seconds: Number(seconds.toFixed(3)),
    insertMsP50: Number(durations[Math.floor(durations.length / 2)]?.toFixed(1) ?? Number.NaN),
    cpuCores: Number(((cpu.user + cpu.system) / 1e6 / seconds).toFixed(2)),
    rowBytes: Math.round(rowBytes),
    stagesUsPerEvent: stages,
    intakeUsPerEvent,
  }
})

const layer = ClickhouseMigrator.layer.pipe(
  Layer.provideMerge(Clickhouse.layer),
  Layer.provideMerge(StorageConfig.layer),
)

const result = await Effect.runPromise(program.pipe(Effect.provide(layer), Effect.scoped))
process.stdout.write(`${JSON.stringify(result)}\n`)
