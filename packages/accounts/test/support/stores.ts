import type { PgClient } from "@effect/sql-pg/PgClient"
import { Postgres, PostgresMigrator, StorageConfig } from "@yavio/storage"
import { PgServer, pgServerLabel } from "@yavio/testkit/PgServer"
import { TempDir } from "@yavio/testkit/TempDir"
import { ConfigProvider, Effect, Layer, Redacted } from "effect"

/** StorageConfig from exactly these variables, never the process environment. */
const configFrom = (env: Readonly<Record<string, string>>) =>
  StorageConfig.layer.pipe(
    Layer.provide(Layer.setConfigProvider(ConfigProvider.fromMap(new Map(Object.entries(env))))),
    Layer.orDie,
  )

const migrated = Layer.effectDiscard(Effect.flatMap(PostgresMigrator, (m) => m.run)).pipe(
  Layer.provide(PostgresMigrator.layer),
  Layer.orDie,
)

const withMigrations = <E, R>(client: Layer.Layer<PgClient, E, R>) =>
  migrated.pipe(Layer.provideMerge(client))

/** A store the accounts tests run on, named for the test titles. */
export interface Backend {
  readonly label: string
  readonly store: Layer.Layer<PgClient>
}

/** PGlite in this file's temp dir, migrated. */
export const pglite: Backend = {
  label: "pglite",
  store: withMigrations(
    Postgres.layer.pipe(
      Layer.provide(Layer.unwrapEffect(Effect.map(TempDir, (dir) => configFrom({ YAVIO_DATA_DIR: dir })))),
      Layer.provide(TempDir.layer("accounts")),
    ),
  ).pipe(Layer.orDie),
}

/** A throwaway database on a real PostgreSQL server (`DATABASE_URL`, else a local cluster), migrated. */
export const postgresServer: Backend = {
  label: pgServerLabel(),
  store: withMigrations(
    Postgres.layer.pipe(
      Layer.provide(
        Layer.unwrapEffect(
          Effect.map(PgServer, (server) => configFrom({ DATABASE_URL: Redacted.value(server.url) })),
        ),
      ),
      Layer.provide(PgServer.layer),
    ),
  ).pipe(Layer.orDie),
}
