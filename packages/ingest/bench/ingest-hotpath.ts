/**
 * CPU cost of the ingest hot path per event, on one core, without HTTP or ClickHouse: the
 * whole `Intake.ingest` of a 100-event request (parse, limits, decode, enrich, PII, rows,
 * metrics, Effect) with a writer that returns at once, and each step on its own.
 *
 * Run: `node --import tsx packages/ingest/bench/ingest-hotpath.ts [events]`. Prints one JSON
 * line on stdout (µs of CPU per event, best of several rounds). `ingest-raw.ts` uses `stageCosts`.
 */
import { pathToFileURL } from "node:url"
import { checkTimestampWindow, decodeEvent, timestampToDate } from "@yavio/domain"
import { scrubEventReporting } from "@yavio/pii"
import { Effect, Either, Layer, ManagedRuntime } from "effect"
import { clickhouseDateTime, type RowContext, type TruncationCode, toRow } from "../src/EventRow.js"
import { EventWriter } from "../src/EventWriter.js"
import { Intake } from "../src/Intake.js"
import { Metrics } from "../src/Metrics.js"
import { Pii } from "../src/Pii.js"
import { defaultRateLimits, RateLimiter } from "../src/RateLimiter.js"
import { makeBatchTemplates } from "./ingest-events.js"

const PER_REQUEST = 100

/** Request bodies as the server receives them (distinct texts, so every event owns its strings). */
export const makeBodies = (events: number, seed: number, nowMs: number): ReadonlyArray<string> =>
  makeBatchTemplates(Math.ceil(events / PER_REQUEST), PER_REQUEST, seed, nowMs).map((t) =>
    t.bytes.toString("utf8"),
  )

/**
 * Best of `rounds`, in ms of CPU time (of the whole process, so GC threads count): on a
 * machine shared with other work, wall time mostly measures the neighbours.
 */
const best = (rounds: number, run: () => void): number => {
  let min = Number.POSITIVE_INFINITY
  for (let i = 0; i < rounds; i++) {
    const start = process.cpuUsage()
    run()
    const used = process.cpuUsage(start)
    min = Math.min(min, (used.user + used.system) / 1000)
  }
  return min
}

/**
 * Each step of the per-event work, timed apart over the same events (µs per event, best of
 * `rounds`), and the rows it produces.
 */
export const stageCosts = (bodies: ReadonlyArray<string>, now: Date, rounds = 5) => {
  const context: RowContext = {
    workspaceId: "00000000-0000-4000-8000-000000000001",
    projectId: "00000000-0000-4000-8000-000000000002",
    ingestedAt: clickhouseDateTime(now),
    countryCode: undefined,
    sessionId: undefined,
    source: undefined,
    newEventId: () => crypto.randomUUID(),
  }
  const count = bodies.length * PER_REQUEST
  const us = (ms: number) => Number(((ms * 1000) / count).toFixed(2))
  let raw: ReadonlyArray<unknown> = []
  const parse = best(rounds, () => {
    raw = bodies.flatMap((b) => (JSON.parse(b) as { events: ReadonlyArray<unknown> }).events)
  })
  let decoded: ReadonlyArray<Record<string, unknown>> = []
  const decode = best(rounds, () => {
    decoded = raw.map((e) => {
      const result = decodeEvent(e)
      if (Either.isLeft(result)) throw new Error(`bench event rejected: ${result.left.message}`)
      return result.right as unknown as Record<string, unknown>
    })
  })
  let timestamps: ReadonlyArray<Date> = []
  const window = best(rounds, () => {
    timestamps = decoded.map((e) => {
      const timestamp = timestampToDate(e.timestamp as string)
      if (checkTimestampWindow(timestamp, now) !== null) throw new Error("bench event outside the window")
      return timestamp
    })
  })
  let scrubbed: ReadonlyArray<Record<string, unknown>> = []
  const pii = best(rounds, () => {
    scrubbed = decoded.map((e) => scrubEventReporting(e).value)
  })
  let rows: ReadonlyArray<string> = []
  const notices: TruncationCode[] = []
  const row = best(rounds, () => {
    rows = scrubbed.map((e, i) => toRow(e, timestamps[i]!, context, notices))
  })
  return {
    stages: {
      jsonParse: us(parse),
      decode: us(decode),
      timestampWindow: us(window),
      pii: us(pii),
      toRow: us(row),
    },
    rows,
  }
}

/** The whole `Intake.ingest` per event (one request at a time, writer stubbed), µs. */
export const intakeCost = async (bodies: ReadonlyArray<string>, rounds = 5): Promise<number> => {
  const writer = Layer.succeed(
    EventWriter,
    EventWriter.of({
      write: () => Effect.void,
      stats: Effect.succeed({ queuedEvents: 0, inserts: 0, insertedEvents: 0, failedInserts: 0 }),
    }),
  )
  const limits = { ...defaultRateLimits, keyEventsPerSecond: 1e12, keyBurst: 1e12 }
  const runtime = ManagedRuntime.make(
    Intake.layer.pipe(
      Layer.provide(Layer.mergeAll(writer, Pii.layer, RateLimiter.layerWith(limits))),
      Layer.provide(Metrics.layer),
    ),
  )
  const intake = await runtime.runPromise(Intake)
  const credential = {
    _tag: "ApiKey",
    owner: { keyId: "bench", workspaceId: "w", projectId: "p" },
  } as const
  const ms = best(rounds, () => {
    for (const body of bodies) {
      const outcome = runtime.runSync(intake.ingest(credential, body, undefined))
      if (outcome.status !== 200) throw new Error(`bench request answered ${outcome.status}`)
    }
  })
  await runtime.dispose()
  return Number(((ms * 1000) / (bodies.length * PER_REQUEST)).toFixed(2))
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const events = Number(process.argv[2] ?? 20_000)
  const now = new Date()
  const bodies = makeBodies(events, 20_260_101, now.getTime())
  const bytes = bodies.reduce((n, b) => n + b.length, 0) / (bodies.length * PER_REQUEST)
  const { stages, rows } = stageCosts(bodies, now)
  const intake = await intakeCost(bodies)
  const rowBytes = rows.reduce((n, r) => n + r.length, 0) / rows.length
  process.stdout.write(
    `${JSON.stringify({ events: bodies.length * PER_REQUEST, eventBytes: Math.round(bytes), rowBytes: Math.round(rowBytes), intakeUsPerEvent: intake, stagesUsPerEvent: stages })}\n`,
  )
}
