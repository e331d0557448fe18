import type { ClickhouseClient } from "@effect/sql-clickhouse/ClickhouseClient"
import type { PgClient } from "@effect/sql-pg/PgClient"
import { Clickhouse, ClickhouseMigrator, Postgres, PostgresMigrator, StorageConfig } from "@yavio/storage"
import { PgServer, pgServerLabel } from "@yavio/testkit/PgServer"
import { TempDir } from "@yavio/testkit/TempDir"
import { ConfigProvider, Effect, Layer, Redacted } from "effect"

/** StorageConfig from exactly these variables, never the process environment. */
const configFrom = (env: Readonly<Record<string, string>>) =>
  StorageConfig.layer.pipe(
    Layer.provide(Layer.setConfigProvider(ConfigProvider.fromMap(new Map(Object.entries(env))))),
    Layer.orDie,
  )

const migrated = Layer.effectDiscard(
  Effect.all([
    Effect.flatMap(PostgresMigrator, (m) => m.run),
    Effect.flatMap(ClickhouseMigrator, (m) => m.run),
  ]),
).pipe(Layer.provide(Layer.merge(PostgresMigrator.layer, ClickhouseMigrator.layer)), Layer.orDie)

/**
 * Both stores, migrated: PostgreSQL as `backend` says, ClickHouse always chDB in this file's
 * temp dir (accounts only writes to it when deleting a tenant's analytics).
 */
const stores = (config: Layer.Layer<StorageConfig>) =>
  migrated.pipe(
    Layer.provideMerge(Layer.merge(Postgres.layer, Clickhouse.layer)),
    Layer.provide(config),
    Layer.orDie,
  )

/** A store the accounts tests run on, named for the test titles. */
export interface Backend {
  readonly label: string
  readonly store: Layer.Layer<PgClient | ClickhouseClient>
}

/** PGlite (and chDB) in this file's temp dir. */
export const pglite: Backend = {
  label: "pglite",
  store: stores(
    Layer.unwrapEffect(Effect.map(TempDir, (dir) => configFrom({ YAVIO_DATA_DIR: dir }))).pipe(
      Layer.provide(TempDir.layer("accounts")),
    ),
  ),
}

/** A throwaway database on a real PostgreSQL server (`DATABASE_URL`, else a local cluster); chDB beside it. */
export const postgresServer: Backend = {
  label: pgServerLabel(),
  store: stores(
    Layer.unwrapEffect(
      Effect.all([PgServer, TempDir]).pipe(
        Effect.map(([server, dir]) =>
          configFrom({ YAVIO_DATA_DIR: dir, DATABASE_URL: Redacted.value(server.url) }),
        ),
      ),
    ).pipe(Layer.provide(Layer.merge(PgServer.layer, TempDir.layer("accounts-server")))),
  ),
}
