/**
 * Reads what ingest wrote: opens the embedded ClickHouse (chDB) under a stopped server's data
 * directory in this process through `@yavio/storage`, runs the queries, and closes it again.
 */

import { ClickhouseClient } from "@effect/sql-clickhouse/ClickhouseClient"
import * as Clickhouse from "@yavio/storage/Clickhouse"
import { StorageConfig } from "@yavio/storage/StorageConfig"
import { ConfigProvider, Effect, Layer } from "effect"

export type Query = <A extends object = Record<string, unknown>>(sql: string) => Promise<ReadonlyArray<A>>

/** A ClickHouse string literal (the ids and names in this suite are plain, but quote anyway). */
export const literal = (value: string): string => `'${value.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`

/**
 * Runs `use` with a query function on the store of `dataDir`; the engine is closed when `use`
 * settles. The server owning the directory must have exited (chDB locks it).
 */
export const withStore = <T>(dataDir: string, use: (query: Query) => Promise<T>): Promise<T> =>
  Effect.gen(function* () {
    const ch = yield* ClickhouseClient
    const query: Query = <A extends object>(sql: string) =>
      Effect.runPromise(ch.unsafe<A>(sql).pipe(Effect.orDie)) as Promise<ReadonlyArray<A>>
    return yield* Effect.promise(() => use(query))
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
