import { HttpServer } from "@effect/platform"
import { ClickhouseClient } from "@effect/sql-clickhouse/ClickhouseClient"
import { PgClient } from "@effect/sql-pg/PgClient"
import { migrateAll, StorageConfig, Stores } from "@yavio/storage"
import { TempDir } from "@yavio/testkit/TempDir"
import { ConfigProvider, Effect, Layer, ManagedRuntime } from "effect"
import { generateApiKey, hashApiKey } from "../../src/ApiKeys.js"
import { defaultEventWriterOptions, type EventWriterOptions } from "../../src/EventWriter.js"
import { IngestSecrets } from "../../src/IngestSecrets.js"
import { IngestServer } from "../../src/IngestServer.js"
import { defaultRateLimits, type RateLimits } from "../../src/RateLimiter.js"

export const TEST_SECRETS = {
  jwtSecret: "test-jwt-secret-0123456789abcdef",
  apiKeyHashSecret: "test-hash-secret-0123456789abcd",
}

export interface Tenant {
  readonly apiKey: string
  readonly keyId: string
  readonly workspaceId: string
  readonly projectId: string
}

export interface IngestHarness {
  readonly url: string
  readonly dataDir: string
  /** Creates a user, workspace, project and API key straight in PostgreSQL. */
  readonly createTenant: (slug: string) => Promise<Tenant>
  /** Runs SQL on the ClickHouse store the service writes to (rows as JSON objects). */
  readonly clickhouse: <A = Record<string, unknown>>(query: string) => Promise<ReadonlyArray<A>>
  readonly postgres: <A = Record<string, unknown>>(query: string) => Promise<ReadonlyArray<A>>
  readonly close: () => Promise<void>
}

export interface IngestHarnessOptions {
  readonly rateLimits?: Partial<RateLimits>
  readonly writer?: Partial<EventWriterOptions>
  /**
   * More variables for the storage configuration (never read from the process environment),
   * e.g. `DATABASE_URL` to run on a PostgreSQL server instead of PGlite. Migrations run there.
   */
  readonly env?: Readonly<Record<string, string>>
  /**
   * Wraps the ClickHouse client the service writes with (e.g. a fault switch around the real
   * engine: ClickhouseFaults). The harness's own `clickhouse` queries use the real client.
   */
  readonly wrapClickhouse?: (client: ClickhouseClient) => ClickhouseClient
}

/**
 * The ingest service in this test process, on the real embedded engines (PGlite + chDB) in a
 * temp directory, listening on an ephemeral loopback port. One per test file: chDB allows one
 * data directory per process, and vitest forks a process per file.
 */
export const startIngest = async (options: IngestHarnessOptions = {}): Promise<IngestHarness> => {
  const storage = Layer.unwrapEffect(
    Effect.map(TempDir, (dir) =>
      Stores.layer.pipe(
        Layer.provide(
          Layer.setConfigProvider(
            ConfigProvider.fromMap(new Map([["YAVIO_DATA_DIR", dir], ...Object.entries(options.env ?? {})])),
          ),
        ),
      ),
    ),
  ).pipe(Layer.provideMerge(TempDir.layer("ingest")))
  const { wrapClickhouse } = options
  const server = IngestServer({
    port: 0,
    host: "127.0.0.1",
    version: "test",
    rateLimits: { ...defaultRateLimits, ...options.rateLimits },
    writer: { ...defaultEventWriterOptions, ...options.writer },
  }).pipe(Layer.provide(IngestSecrets.layer(TEST_SECRETS)), (layer) =>
    wrapClickhouse === undefined
      ? layer
      : Layer.provide(layer, Layer.effect(ClickhouseClient, Effect.map(ClickhouseClient, wrapClickhouse))),
  )
  const runtime = ManagedRuntime.make(
    server.pipe(
      // Migrations must finish before the server takes requests.
      Layer.provideMerge(Layer.effectDiscard(migrateAll)),
      Layer.provideMerge(storage),
      Layer.orDie,
    ),
  )
  const { url, dataDir } = await runtime.runPromise(
    Effect.gen(function* () {
      const http = yield* HttpServer.HttpServer
      const address = http.address
      if (address._tag !== "TcpAddress") throw new Error("expected a TCP address")
      const config = yield* StorageConfig
      return { url: `http://127.0.0.1:${address.port}`, dataDir: config.dataDir }
    }),
  )

  const createTenant = (slug: string) =>
    runtime.runPromise(
      Effect.gen(function* () {
        const sql = yield* PgClient
        const apiKey = generateApiKey()
        return yield* sql.withTransaction(
          Effect.gen(function* () {
            const [user] = yield* sql<{ id: string }>`
              INSERT INTO users (email, password_hash) VALUES (${`${slug}@example.test`}, NULL) RETURNING id`
            const [workspace] = yield* sql<{ id: string }>`
              INSERT INTO workspaces (name, slug, owner_id) VALUES (${slug}, ${slug}, ${user!.id}) RETURNING id`
            const [project] = yield* sql<{ id: string }>`
              INSERT INTO projects (workspace_id, name, slug) VALUES (${workspace!.id}, ${slug}, ${slug}) RETURNING id`
            const [key] = yield* sql<{ id: string }>`
              INSERT INTO api_keys (project_id, workspace_id, key_hash, key_prefix)
              VALUES (${project!.id}, ${workspace!.id}, ${hashApiKey(TEST_SECRETS.apiKeyHashSecret, apiKey)}, ${apiKey.slice(0, 8)})
              RETURNING id`
            return { apiKey, keyId: key!.id, workspaceId: workspace!.id, projectId: project!.id }
          }),
        )
      }).pipe(Effect.orDie),
    )

  const clickhouse = <A>(query: string) =>
    runtime.runPromise(
      Effect.flatMap(ClickhouseClient, (ch) => ch.unsafe<A & object>(query)).pipe(Effect.orDie),
    ) as Promise<ReadonlyArray<A>>
  const postgres = <A>(query: string) =>
    runtime.runPromise(
      Effect.flatMap(PgClient, (pg) => pg.unsafe<A & object>(query)).pipe(Effect.orDie),
    ) as Promise<ReadonlyArray<A>>

  return { url, dataDir, createTenant, clickhouse, postgres, close: () => runtime.dispose() }
}
