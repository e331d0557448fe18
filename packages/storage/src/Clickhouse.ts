import { mkdirSync } from "node:fs"
import { type ClickHouseClient, type ClickHouseClientConfigOptions, createClient } from "@clickhouse/client"
import * as Reactivity from "@effect/experimental/Reactivity"
import { SqlClient } from "@effect/sql/SqlClient"
import * as ClickhouseClient from "@effect/sql-clickhouse/ClickhouseClient"
import { ClickhouseConnectionRefused } from "@yavio/domain"
import { createChdbConnection } from "chdb/connection"
import { Context, Effect, Layer, Redacted, type Scope } from "effect"
import { type ClickhouseSettings, StorageConfig } from "./StorageConfig.js"

const refused = (detail: string) => (cause: unknown) => new ClickhouseConnectionRefused({ detail, cause })

// Results arrive as JSON: without quoting, UInt64/Int64 values (counts, uniqExact) above 2^53
// would be silently rounded by JSON.parse. Readers cast to a narrower type or parse strings.
const clickhouseSettings = { output_format_json_quote_64bit_integers: 1 } as const

/**
 * A row value that is already a string is taken as pre-serialised `JSONEachRow` text and
 * passed through: the ingest writer serialises each request's rows once, on the request's
 * own time, and inserts many requests' text as one body. Any other value is JSON-encoded as
 * usual. (A bare string is never a valid JSON row, so nothing else relies on quoting it.)
 */
export const PRESERIALISED_JSON = {
  parse: JSON.parse,
  stringify: (value: unknown): string => (typeof value === "string" ? value : JSON.stringify(value)),
}

type ClientConnection = NonNullable<ClickHouseClientConfigOptions["connection"]>
type EmbeddedSettings = Extract<ClickhouseSettings, { mode: "embedded" }>
type ServerSettings = Extract<ClickhouseSettings, { mode: "server" }>

/**
 * chDB runs the ClickHouse engine inside this process on a data directory, behind the same
 * `@clickhouse/client` API as a server. The engine allows one data directory per process and
 * locks it against other processes, so the directory doubles as the single-writer guard.
 */
const embedded = (
  settings: EmbeddedSettings,
): Effect.Effect<ClickhouseClient.ClickhouseClient, ClickhouseConnectionRefused, Scope.Scope> =>
  Effect.gen(function* () {
    yield* Effect.try({
      try: () => mkdirSync(settings.dataDir, { recursive: true }),
      catch: refused(`cannot create ${settings.dataDir}`),
    })
    const connection = yield* Effect.acquireRelease(
      Effect.try({
        try: () => createChdbConnection({ path: settings.dataDir }),
        catch: refused(
          `cannot open the embedded ClickHouse in ${settings.dataDir} (is another process using it?)`,
        ),
      }),
      // Closing twice is a no-op: the client below closes it first on a normal release; this
      // one covers a failure between opening the engine and building the client.
      (connection) => Effect.promise(() => connection.close()).pipe(Effect.ignore),
    )
    const client = yield* ClickhouseClient.make({
      // chDB implements the client's Connection contract against its own copy of the types.
      connection: connection as unknown as ClientConnection,
      database: settings.database,
      clickhouse_settings: clickhouseSettings,
      json: PRESERIALISED_JSON,
    }).pipe(Effect.mapError(refused("cannot start the embedded ClickHouse")))
    // A chDB session ignores the client's `database` option (that is an HTTP parameter);
    // `USE` sets the session's current database, which later statements inherit.
    yield* client
      .asCommand(
        Effect.zipRight(
          client.unsafe(`CREATE DATABASE IF NOT EXISTS ${settings.database}`),
          client.unsafe(`USE ${settings.database}`),
        ),
      )
      .pipe(Effect.mapError(refused(`cannot create database ${settings.database}`)))
    return client
  }).pipe(Effect.provide(Reactivity.layer))

/**
 * A server answers queries for a database only once it exists, so a short-lived client
 * without a database creates it first.
 */
const server = (
  settings: ServerSettings,
): Effect.Effect<ClickhouseClient.ClickhouseClient, ClickhouseConnectionRefused, Scope.Scope> =>
  Effect.gen(function* () {
    const credentials = {
      url: settings.url,
      username: settings.user,
      password: Redacted.value(settings.password),
    }
    yield* Effect.acquireUseRelease(
      Effect.sync((): ClickHouseClient => createClient(credentials)),
      (bootstrap) =>
        Effect.tryPromise({
          try: () => bootstrap.command({ query: `CREATE DATABASE IF NOT EXISTS ${settings.database}` }),
          catch: refused(`cannot reach CLICKHOUSE_URL or create database ${settings.database}`),
        }),
      (bootstrap) => Effect.promise(() => bootstrap.close()).pipe(Effect.ignore),
    )
    return yield* ClickhouseClient.make({
      ...credentials,
      database: settings.database,
      clickhouse_settings: clickhouseSettings,
      json: PRESERIALISED_JSON,
    }).pipe(Effect.mapError(refused("cannot connect to CLICKHOUSE_URL")))
  }).pipe(Effect.provide(Reactivity.layer))

const make = Effect.gen(function* () {
  const { clickhouse } = yield* StorageConfig
  const client = yield* clickhouse.mode === "server" ? server(clickhouse) : embedded(clickhouse)
  return Context.make(ClickhouseClient.ClickhouseClient, client).pipe(Context.add(SqlClient, client))
})

/**
 * The analytics store as `ClickhouseClient` and as the generic `SqlClient`, its database
 * created if missing and current. Code that also sees the PostgreSQL layer must ask for
 * `ClickhouseClient.ClickhouseClient`: both layers provide `SqlClient`.
 */
export const layer: Layer.Layer<
  ClickhouseClient.ClickhouseClient | SqlClient,
  ClickhouseConnectionRefused,
  StorageConfig
> = Layer.scopedContext(make)
