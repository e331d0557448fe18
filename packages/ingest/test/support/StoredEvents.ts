import { ClickhouseClient } from "@effect/sql-clickhouse/ClickhouseClient"
import * as Clickhouse from "@yavio/storage/Clickhouse"
import { StorageConfig } from "@yavio/storage/StorageConfig"
import { ConfigProvider, Effect, Layer } from "effect"

export interface StoredEvents {
  /** `count()`: rows as written, duplicates that merges have not removed yet included. */
  readonly rows: number
  /** `count()` over `FINAL`: rows after deduplication. */
  readonly final: number
  /** `uniqExact(event_id)`. */
  readonly distinct: number
  readonly ids: ReadonlySet<string>
}

/**
 * Opens the embedded ClickHouse store under `dataDir` in this process, counts the events, and
 * closes it again. chDB locks its directory against other processes, so the server must have
 * exited, and the next server start on the directory waits until this returned.
 */
export const readStoredEvents = (dataDir: string): Promise<StoredEvents> =>
  Effect.gen(function* () {
    const ch = yield* ClickhouseClient
    // UInt64 results arrive quoted (output_format_json_quote_64bit_integers): Number() them.
    const [counts] = yield* ch.unsafe<{ rows: string; final: string; unique_ids: string }>(
      `SELECT
         (SELECT count() FROM events) AS rows,
         (SELECT count() FROM events FINAL) AS final,
         (SELECT uniqExact(event_id) FROM events) AS unique_ids`,
    )
    const ids = yield* ch.unsafe<{ event_id: string }>(`SELECT DISTINCT event_id FROM events`)
    return {
      rows: Number(counts!.rows),
      final: Number(counts!.final),
      distinct: Number(counts!.unique_ids),
      ids: new Set(ids.map((row) => row.event_id)),
    }
  }).pipe(
    Effect.provide(
      Clickhouse.layer.pipe(
        Layer.provide(StorageConfig.layer),
        Layer.provide(
          Layer.setConfigProvider(ConfigProvider.fromMap(new Map([["YAVIO_DATA_DIR", dataDir]]))),
        ),
      ),
    ),
    Effect.orDie,
    Effect.runPromise,
  )
