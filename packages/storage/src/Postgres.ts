import { mkdirSync } from "node:fs"
import * as Reactivity from "@effect/experimental/Reactivity"
import { SqlClient } from "@effect/sql/SqlClient"
import * as PgClient from "@effect/sql-pg/PgClient"
import { PGlite } from "@electric-sql/pglite"
import { PGLiteSocketServer } from "@electric-sql/pglite-socket"
import { PostgresConnectionRefused } from "@yavio/domain"
import { Context, Duration, Effect, Layer, type Scope } from "effect"
import { lockDataDir } from "./DataDirLock.js"
import { StorageConfig } from "./StorageConfig.js"

const refused = (detail: string) => (cause: unknown) => new PostgresConnectionRefused({ detail, cause })

const connectTimeout = Duration.seconds(10)

/**
 * PGlite is PostgreSQL compiled to WebAssembly with a single backend: one session. Serving it
 * through pglite-socket lets the same `pg`-based PgClient (and so the same SQL and error
 * codes) run against it as against a server. Release runs in reverse: pool, socket, engine,
 * lock.
 */
const embedded = (
  dataDir: string,
): Effect.Effect<PgClient.PgClient, PostgresConnectionRefused, Scope.Scope> =>
  Effect.gen(function* () {
    yield* Effect.try({
      try: () => mkdirSync(dataDir, { recursive: true }),
      catch: refused(`cannot create ${dataDir}`),
    })
    yield* lockDataDir(`${dataDir}.lock`).pipe(
      Effect.mapError((reason) => new PostgresConnectionRefused({ detail: `${dataDir}: ${reason}` })),
    )
    const db = yield* Effect.acquireRelease(
      Effect.tryPromise({
        try: () => PGlite.create({ dataDir }),
        catch: refused(`cannot open the embedded database in ${dataDir}`),
      }),
      (db) => Effect.promise(() => db.close()).pipe(Effect.ignore),
    )
    const server = new PGLiteSocketServer({
      db,
      host: "127.0.0.1",
      port: 0,
      // The pool holds one connection; the second slot lets a reconnect land while the
      // server is still tearing down the previous socket (it frees slots asynchronously).
      maxConnections: 2,
    })
    yield* Effect.acquireRelease(
      Effect.tryPromise({ try: () => server.start(), catch: refused("cannot start the embedded socket") }),
      () => Effect.promise(() => server.stop()).pipe(Effect.ignore),
    )
    const port = Number(server.getServerConn().split(":").at(-1))
    return yield* PgClient.make({
      host: "127.0.0.1",
      port,
      username: "postgres",
      database: "postgres",
      // One session: a second pooled connection would share (and corrupt) its transaction state.
      maxConnections: 1,
      // Nothing to reclaim from an in-process engine; reconnecting after idling only adds latency.
      idleTimeout: Duration.zero,
      connectTimeout,
      applicationName: "yavio",
    }).pipe(Effect.mapError(refused("cannot connect to the embedded database")))
  }).pipe(Effect.provide(Reactivity.layer))

const server = (
  url: Parameters<typeof PgClient.make>[0]["url"],
): Effect.Effect<PgClient.PgClient, PostgresConnectionRefused, Scope.Scope> =>
  PgClient.make({ url, connectTimeout, applicationName: "yavio" }).pipe(
    // `detail` is shown to operators: name the variable, never echo the URL (it holds a password).
    Effect.mapError(refused("cannot connect to DATABASE_URL")),
    Effect.provide(Reactivity.layer),
  )

const make = Effect.gen(function* () {
  const { postgres } = yield* StorageConfig
  const client = yield* postgres.mode === "server" ? server(postgres.url) : embedded(postgres.dataDir)
  return Context.make(PgClient.PgClient, client).pipe(Context.add(SqlClient, client))
})

/**
 * The application store as `PgClient` and as the generic `SqlClient`. Code that also sees the
 * ClickHouse layer must ask for `PgClient.PgClient`: both layers provide `SqlClient`.
 */
export const layer: Layer.Layer<PgClient.PgClient | SqlClient, PostgresConnectionRefused, StorageConfig> =
  Layer.scopedContext(make)
