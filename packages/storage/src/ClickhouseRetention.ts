import { ClickhouseClient } from "@effect/sql-clickhouse/ClickhouseClient"
import { ClickhouseMigrationFailed } from "@yavio/domain"
import { Effect } from "effect"

/**
 * The tables whose rows expire, each by the time column that says how old the row is. The
 * aggregates expire with the events they summarise: a partial aggregate row's newest
 * timestamp is its events' newest, so it goes exactly when all of them have gone.
 */
export const retentionTables: ReadonlyArray<{ readonly table: string; readonly column: string }> = [
  { table: "events", column: "timestamp" },
  { table: "sessions_agg", column: "session_end_max" },
  { table: "users_agg", column: "last_seen_max" },
  { table: "counted_events_by_bucket", column: "timestamp" },
  { table: "session_activity", column: "last_at" },
  { table: "session_buckets", column: "last_at" },
  // Keyed by a 15-minute bucket: a bucket's rows go when it starts to be too old, at most 15
  // minutes before its last events do (bucket_totals then reads those minutes from events).
  { table: "bucket_totals", column: "bucket" },
  { table: "trace_buckets", column: "bucket" },
]

export interface RetentionReport {
  readonly days: number
  /** Tables whose TTL this run set or changed; empty when all were already right. */
  readonly changed: ReadonlyArray<string>
}

interface TableRow {
  readonly name: string
  readonly engine_full: string
}

const failed = (detail: string) => (cause: unknown) => new ClickhouseMigrationFailed({ detail, cause })

/** `TTL timestamp + toIntervalDay(90)` is how the engine prints back what we set. */
const currentDays = (engineFull: string, column: string): number | undefined => {
  const match = new RegExp(`\\bTTL ${column} \\+ toIntervalDay\\((\\d+)\\)`).exec(engineFull)
  return match?.[1] === undefined ? undefined : Number(match[1])
}

/**
 * Sets `TTL <column> + INTERVAL days DAY` on every retention table whose TTL differs, so a
 * changed YAVIO_RETENTION_DAYS takes effect at the next start. The engine re-evaluates
 * existing parts in the background (materialize_ttl_after_modify), so lowering the period
 * deletes old rows without blocking start-up.
 */
export const applyRetention = (
  days: number,
): Effect.Effect<RetentionReport, ClickhouseMigrationFailed, ClickhouseClient> =>
  Effect.gen(function* () {
    if (!Number.isSafeInteger(days) || days <= 0) {
      return yield* new ClickhouseMigrationFailed({
        detail: `retention must be a positive number of days, got ${days}`,
      })
    }
    const ch = yield* ClickhouseClient
    const names = retentionTables.map(({ table }) => table)
    const rows = yield* ch<TableRow>`
      SELECT name, engine_full FROM system.tables
      WHERE database = currentDatabase() AND name IN ${ch.param("Array(String)", names)}`.pipe(
      Effect.mapError(failed("cannot read the tables' TTL")),
    )
    const changed: Array<string> = []
    for (const { table, column } of retentionTables) {
      const row = rows.find((r) => r.name === table)
      if (row === undefined) {
        return yield* new ClickhouseMigrationFailed({
          detail: `table ${table} is missing; migrations did not run`,
        })
      }
      if (currentDays(row.engine_full, column) === days) continue
      // Identifiers and a validated integer: DDL takes no bound parameters.
      yield* ch
        .asCommand(ch.unsafe(`ALTER TABLE ${table} MODIFY TTL ${column} + INTERVAL ${days} DAY`))
        .pipe(Effect.mapError(failed(`cannot set the TTL of ${table}`)))
      changed.push(table)
    }
    return { days, changed }
  }).pipe(Effect.withSpan("ClickhouseRetention.apply"))
