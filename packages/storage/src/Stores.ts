import { SqlClient } from "@effect/sql/SqlClient"
import type { ClickhouseClient } from "@effect/sql-clickhouse/ClickhouseClient"
import type { PgClient } from "@effect/sql-pg/PgClient"
import type { ClickhouseConnectionRefused, InvalidEnv, PostgresConnectionRefused } from "@yavio/domain"
import { Context, Layer } from "effect"
import * as Clickhouse from "./Clickhouse.js"
import { ClickhouseMigrator } from "./ClickhouseMigrator.js"
import * as Postgres from "./Postgres.js"
import { PostgresMigrator } from "./PostgresMigrator.js"
import { StorageConfig } from "./StorageConfig.js"

/**
 * Both stores and their migrators, configured from the environment: what a process that
 * runs everything (`npm start`) provides. Asks for `PgClient` and `ClickhouseClient` by
 * their own tags; the ambiguous `SqlClient` is left out on purpose.
 */
export const layer: Layer.Layer<
  StorageConfig | PgClient | ClickhouseClient | PostgresMigrator | ClickhouseMigrator,
  InvalidEnv | PostgresConnectionRefused | ClickhouseConnectionRefused
> = Layer.mergeAll(PostgresMigrator.layer, ClickhouseMigrator.layer).pipe(
  Layer.provideMerge(
    // Both stores provide the generic `SqlClient`; merged, one would silently shadow the other.
    // The casts restate what omit keeps: its type is an `Exclude`, which also drops PgClient
    // and ClickhouseClient because both extend SqlClient structurally.
    Layer.mergeAll(
      Layer.map(Postgres.layer, (context) => Context.omit(SqlClient)(context) as Context.Context<PgClient>),
      Layer.map(
        Clickhouse.layer,
        (context) => Context.omit(SqlClient)(context) as Context.Context<ClickhouseClient>,
      ),
    ),
  ),
  Layer.provideMerge(StorageConfig.layer),
)
