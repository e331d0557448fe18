import type { SqlClient } from "@effect/sql/SqlClient"
import { ClickhouseClient } from "@effect/sql-clickhouse/ClickhouseClient"
import { TempDir } from "@yavio/testkit/TempDir"
import { Effect, Layer } from "effect"
import * as Clickhouse from "../../src/Clickhouse.js"
import type { StorageConfig } from "../../src/StorageConfig.js"
import { storageConfigFrom } from "./config.js"
import { embeddedConfig } from "./stores.js"

export interface ClickhouseBackend {
  /** "chdb" or "clickhouse-server": goes into test names. */
  readonly label: string
  readonly layer: Layer.Layer<ClickhouseClient | SqlClient | StorageConfig | TempDir>
}

/** Drops the test database before the client closes (finalizers run in reverse). */
const dropDatabaseOnClose = (database: string) =>
  Layer.scopedDiscard(
    Effect.gen(function* () {
      const ch = yield* ClickhouseClient
      yield* Effect.addFinalizer(() =>
        ch.asCommand(ch.unsafe(`DROP DATABASE IF EXISTS ${database} SYNC`)).pipe(Effect.ignore),
      )
    }),
  )

/**
 * chDB always; a ClickHouse server too when CLICKHOUSE_URL is set (then in a database of its
 * own per test file, dropped afterwards).
 */
export const clickhouseBackends = (
  prefix: string,
  env: Readonly<Record<string, string>> = {},
): ReadonlyArray<ClickhouseBackend> => {
  const chdb: ClickhouseBackend = {
    label: "chdb",
    layer: Clickhouse.layer.pipe(Layer.provideMerge(embeddedConfig(prefix, env)), Layer.orDie),
  }
  const url = process.env.CLICKHOUSE_URL
  if (!url) return [chdb]
  const database = `yavio_test_${prefix.replace(/\W/g, "_")}_${process.pid}`
  const serverConfig = Layer.unwrapEffect(
    Effect.map(TempDir, (dir) =>
      storageConfigFrom({
        ...env,
        YAVIO_DATA_DIR: dir,
        CLICKHOUSE_URL: url,
        CLICKHOUSE_DATABASE: database,
        ...(process.env.CLICKHOUSE_USER ? { CLICKHOUSE_USER: process.env.CLICKHOUSE_USER } : {}),
        ...(process.env.CLICKHOUSE_PASSWORD ? { CLICKHOUSE_PASSWORD: process.env.CLICKHOUSE_PASSWORD } : {}),
      }),
    ),
  ).pipe(Layer.provideMerge(TempDir.layer(prefix)))
  const server: ClickhouseBackend = {
    label: "clickhouse-server",
    layer: dropDatabaseOnClose(database).pipe(
      Layer.provideMerge(Clickhouse.layer),
      Layer.provideMerge(serverConfig),
      Layer.orDie,
    ),
  }
  return [chdb, server]
}

/** Drops every table and view of the current database: each test starts from nothing. */
export const resetDatabase = Effect.gen(function* () {
  const ch = yield* ClickhouseClient
  const tables = yield* ch<{ name: string }>`
    SELECT name FROM system.tables WHERE database = currentDatabase()
    ORDER BY engine = 'MaterializedView' DESC, name`
  for (const { name } of tables) {
    yield* ch.asCommand(ch.unsafe(`DROP TABLE IF EXISTS ${name} SYNC`))
  }
})
