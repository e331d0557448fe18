import { Readable } from "node:stream"
import { ClickhouseClient } from "@effect/sql-clickhouse/ClickhouseClient"
import { Backpressure, ClickhouseWriteFailed } from "@yavio/domain"
import { Context, Deferred, Duration, Effect, Layer, Queue, Schedule } from "effect"
import { Metrics } from "./Metrics.js"

export interface EventWriterOptions {
  /** Table the rows go to. */
  readonly table: string
  /** Events one INSERT carries at most (spec: 10,000). */
  readonly maxBatchEvents: number
  /** Events waiting at most; beyond it writes fail at once with YAVIO-2402 (spec: 100,000). */
  readonly maxQueuedEvents: number
  /**
   * How long the writer waits for more requests before an insert that is not full. Zero
   * still groups: while one insert runs, every request that arrives joins the next one.
   */
  readonly linger: Duration.DurationInput
  /** Retries of a failed insert (spec: 3), exponential from `retryBase`. */
  readonly retries: number
  readonly retryBase: Duration.DurationInput
}

export const defaultEventWriterOptions: EventWriterOptions = {
  table: "events",
  maxBatchEvents: 10_000,
  maxQueuedEvents: 100_000,
  linger: Duration.millis(2),
  retries: 3,
  retryBase: Duration.millis(100),
}

interface Pending {
  /** JSONEachRow lines of one request, each ending in "\n". */
  readonly body: string
  readonly count: number
  readonly done: Deferred.Deferred<void, ClickhouseWriteFailed>
}

export interface EventWriterStats {
  readonly queuedEvents: number
  readonly inserts: number
  readonly insertedEvents: number
  readonly failedInserts: number
}

/**
 * The group-commit writer: acknowledged means written (ingest-and-storage.md, "The writer").
 *
 * A request hands over its rows and waits. One fiber drains the queue: everything that
 * arrived while the previous insert ran (up to `maxBatchEvents`) becomes one
 * `INSERT … FORMAT JSONEachRow`, and each waiting request is released only when that insert
 * returned. A failed insert is retried with backoff; if it still fails, its requests get
 * `YAVIO-2401` and the next batch tries again, so the service recovers by itself when
 * ClickHouse comes back. The queue is bounded in events: a write that would overflow it fails
 * at once with `YAVIO-2402`, so memory cannot grow with the load.
 *
 * Release (SIGTERM) stops taking writes, lets the drain finish the queue, then stops.
 */
export class EventWriter extends Context.Tag("@yavio/ingest/EventWriter")<
  EventWriter,
  {
    readonly write: (body: string, count: number) => Effect.Effect<void, ClickhouseWriteFailed | Backpressure>
    readonly stats: Effect.Effect<EventWriterStats>
  }
>() {
  static readonly make = (options: EventWriterOptions = defaultEventWriterOptions) =>
    Effect.gen(function* () {
      const clickhouse = yield* ClickhouseClient
      const metrics = yield* Metrics
      let pending: Pending[] = []
      let queuedEvents = 0
      let accepting = true
      let inserts = 0
      let insertedEvents = 0
      let failedInserts = 0
      // A wake-up signal that cannot be lost: a signal sent while the drain is busy stays
      // in the one-slot queue and the drain sees it on its next take.
      const wake = yield* Queue.sliding<void>(1)
      const drained = yield* Deferred.make<void>()

      // The stream is made anew for every attempt: a failed attempt may have read it to the
      // end, and retrying with a drained stream would insert nothing and report success.
      const insertOnce = (body: string) => {
        const rows = body.endsWith("\n") ? body.slice(0, -1) : body
        return Effect.suspend(() =>
          clickhouse.insertQuery({
            table: options.table,
            // One pre-serialised value; the client's JSON codec passes strings through (see
            // PRESERIALISED_JSON in storage) and appends the final newline itself.
            values: Readable.from([rows], { objectMode: true }),
            format: "JSONEachRow",
          }),
        )
      }
      const insert = (body: string) =>
        insertOnce(body).pipe(
          Effect.retry(
            Schedule.exponential(options.retryBase).pipe(
              Schedule.intersect(Schedule.recurs(options.retries)),
            ),
          ),
        )

      const takeBatch = (): Pending[] => {
        let events = 0
        let n = 0
        while (n < pending.length) {
          const next = pending[n]!
          if (n > 0 && events + next.count > options.maxBatchEvents) break
          events += next.count
          n++
        }
        const batch = pending.slice(0, n)
        pending = pending.slice(n)
        return batch
      }

      const succeeded = (group: ReadonlyArray<Pending>, events: number, startedAt: number) =>
        Effect.gen(function* () {
          metrics.batchWriteDuration.observe((performance.now() - startedAt) / 1000)
          metrics.batchSize.observe(events)
          inserts++
          insertedEvents += events
          for (const p of group) yield* Deferred.succeed(p.done, undefined)
        })

      const failed = (group: ReadonlyArray<Pending>, events: number, cause: unknown) =>
        Effect.gen(function* () {
          failedInserts++
          yield* Effect.logError("ClickHouse insert failed after retries").pipe(
            Effect.annotateLogs({ "err.code": "YAVIO-2401", events }),
            Effect.annotateLogs("cause", String((cause as { cause?: unknown }).cause ?? cause)),
          )
          const error = new ClickhouseWriteFailed({ cause, retryAfterSeconds: 5 })
          for (const p of group) yield* Deferred.fail(p.done, error)
        })

      const flushOnce = Effect.gen(function* () {
        const batch = takeBatch()
        if (batch.length === 0) return
        const count = batch.reduce((sum, p) => sum + p.count, 0)
        const body = batch.length === 1 ? batch[0]!.body : batch.map((p) => p.body).join("")
        const startedAt = performance.now()
        const result = yield* Effect.either(insert(body))
        queuedEvents -= count
        if (result._tag === "Right") return yield* succeeded(batch, count, startedAt)
        if (batch.length === 1) return yield* failed(batch, count, result.left)
        // One request's rows may be what the store refuses: insert each request on its own
        // so a poisoned request cannot fail the others that shared its insert.
        for (const p of batch) {
          const t0 = performance.now()
          const alone = yield* Effect.either(insertOnce(p.body))
          if (alone._tag === "Right") yield* succeeded([p], p.count, t0)
          else yield* failed([p], p.count, alone.left)
        }
      })

      const drain = Effect.gen(function* () {
        while (true) {
          if (pending.length === 0) {
            if (!accepting) return
            yield* Queue.take(wake)
            continue
          }
          if (queuedEvents < options.maxBatchEvents && accepting) yield* Effect.sleep(options.linger)
          yield* flushOnce
        }
      }).pipe(Effect.ensuring(Deferred.succeed(drained, undefined)))

      metrics.setBackpressureProbe(() =>
        !accepting || queuedEvents >= options.maxQueuedEvents - options.maxBatchEvents ? 1 : 0,
      )
      yield* Effect.forkScoped(drain)
      yield* Effect.addFinalizer(() =>
        Effect.gen(function* () {
          accepting = false
          yield* Queue.offer(wake, undefined)
          yield* Deferred.await(drained)
        }),
      )

      const write = (body: string, count: number) =>
        Effect.suspend((): Effect.Effect<void, ClickhouseWriteFailed | Backpressure> => {
          if (count === 0) return Effect.void
          if (!accepting)
            return Effect.fail(new Backpressure({ detail: "shutting down", retryAfterSeconds: 1 }))
          if (queuedEvents + count > options.maxQueuedEvents) {
            return Effect.fail(new Backpressure({ retryAfterSeconds: 1 }))
          }
          return Effect.flatMap(Deferred.make<void, ClickhouseWriteFailed>(), (done) => {
            pending.push({ body, count, done })
            queuedEvents += count
            return Queue.offer(wake, undefined).pipe(Effect.zipRight(Deferred.await(done)))
          })
        })

      const stats = Effect.sync(() => ({ queuedEvents, inserts, insertedEvents, failedInserts }))

      return EventWriter.of({ write, stats })
    })

  static readonly layer = (options: EventWriterOptions = defaultEventWriterOptions) =>
    Layer.scoped(this, this.make(options))
}
