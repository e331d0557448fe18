import { PgClient } from "@effect/sql-pg/PgClient"
import { expect, layer } from "@effect/vitest"
import { Effect, Layer } from "effect"
import type { Migration } from "../../src/Migration.js"
import { postgresMigrations } from "../../src/migrations/postgres/index.js"
import { postgresError } from "../../src/PostgresErrors.js"
import { PostgresMigrator } from "../../src/PostgresMigrator.js"

/** Every table of ingest-and-storage.md §3. */
export const expectedTables = [
  "account_locks",
  "api_keys",
  "funnels",
  "invitations",
  "login_attempts",
  "oauth_accounts",
  "projects",
  "schema_migrations",
  "sessions",
  "stripe_webhook_events",
  "users",
  "verification_tokens",
  "workspace_members",
  "workspaces",
]

const allIds = [
  "0001_accounts",
  "0002_workspaces",
  "0003_billing",
  "0004_api_key_lookup",
  "0005_account_locks",
  "0006_row_level_security",
  "0007_funnels",
]

/** Each test starts from an empty schema, so none depends on another's leftovers. */
export const resetSchema = Effect.gen(function* () {
  const sql = yield* PgClient
  yield* sql.unsafe("DROP SCHEMA public CASCADE")
  yield* sql.unsafe("CREATE SCHEMA public")
})

const runWith = <E, R>(migrator: Layer.Layer<PostgresMigrator, E, R>) =>
  Effect.flatMap(PostgresMigrator, (m) => m.run).pipe(Effect.provide(migrator))
const runMigrator = () => runWith(PostgresMigrator.layer)

/**
 * The migration tests both backends run. `clients` gives fresh, independent connections to
 * the same database when the backend has more than one session to offer (servers).
 */
export const postgresMigrationSuite = <R = never>(
  label: string,
  store: Layer.Layer<PgClient | R, unknown>,
  options: { readonly freshClient?: Layer.Layer<PgClient, unknown, R> } = {},
) =>
  layer(store, { timeout: "90 seconds", excludeTestServices: true })(
    `postgres migrations [${label}]`,
    (it) => {
      it.effect(`creates every table [${label}]`, () =>
        Effect.gen(function* () {
          yield* resetSchema
          const report = yield* runMigrator()
          expect(report.applied).toEqual(allIds)
          expect(report.skipped).toEqual([])

          const sql = yield* PgClient
          const tables = yield* sql<{ table_name: string }>`
          SELECT table_name FROM information_schema.tables
          WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name`
          expect(tables.map((t) => t.table_name)).toEqual(expectedTables)

          const [index] = yield* sql<{ indexdef: string }>`
          SELECT indexdef FROM pg_indexes WHERE indexname = 'api_keys_active_key_hash_idx'`
          expect(index?.indexdef).toMatch(/UNIQUE INDEX .* \(key_hash\) WHERE \(revoked_at IS NULL\)/)

          const recorded = yield* sql<{ version: number; name: string; checksum: string }>`
          SELECT version, name, checksum FROM schema_migrations ORDER BY version`
          expect(recorded.map((r) => r.version)).toEqual(postgresMigrations.map((m) => m.version))
          expect(recorded.every((r) => /^[0-9a-f]{64}$/.test(r.checksum))).toBe(true)
        }),
      )

      it.effect(`a second run applies nothing [${label}]`, () =>
        Effect.gen(function* () {
          yield* resetSchema
          yield* runMigrator()
          const again = yield* runMigrator()
          expect(again).toEqual({ applied: [], skipped: allIds })
        }),
      )

      it.effect(`a changed applied migration fails with YAVIO-5205 [${label}]`, () =>
        Effect.gen(function* () {
          yield* resetSchema
          yield* runMigrator()
          const sql = yield* PgClient
          yield* sql`UPDATE schema_migrations SET checksum = ${"0".repeat(64)} WHERE version = 2`
          const error = yield* Effect.flip(runMigrator())
          expect(error._tag).toBe("PostgresMigrationFailed")
          expect(error.code).toBe("YAVIO-5205")
          expect(error.message).toContain("0002_workspaces has changed")
        }),
      )

      it.effect(`a failing migration leaves the schema as it was [${label}]`, () =>
        Effect.gen(function* () {
          yield* resetSchema
          yield* runMigrator()
          const broken: Migration = {
            version: postgresMigrations.length + 1,
            name: "broken",
            statements: ["CREATE TABLE half_done (id integer)", "SELECT no_such_column FROM users"],
          }
          const error = yield* Effect.flip(
            runWith(PostgresMigrator.layerWith([...postgresMigrations, broken])),
          )
          expect(error.code).toBe("YAVIO-5205")
          expect(error.message).toContain(
            `${String(postgresMigrations.length + 1).padStart(4, "0")}_broken failed`,
          )
          const sql = yield* PgClient
          const [row] = yield* sql<{ exists: boolean; applied: string }>`
          SELECT to_regclass('public.half_done') IS NOT NULL AS exists,
                 (SELECT count(*) FROM schema_migrations)::text AS applied`
          expect(row).toEqual({ exists: false, applied: String(postgresMigrations.length) })
        }),
      )

      it.effect(`constraints map to catalog errors [${label}]`, () =>
        Effect.gen(function* () {
          yield* resetSchema
          yield* runMigrator()
          const sql = yield* PgClient
          yield* sql`INSERT INTO users (email) VALUES ('ada@example.com')`
          const duplicate = yield* Effect.flip(sql`INSERT INTO users (email) VALUES ('ada@example.com')`)
          const unique = postgresError(duplicate)
          expect(unique._tag).toBe("PostgresUniqueViolation")
          expect(unique.code).toBe("YAVIO-5202")
          expect(unique.detail).toBe("users_email_key")

          const orphan = yield* Effect.flip(
            sql`INSERT INTO projects (workspace_id, name, slug) VALUES (gen_random_uuid(), 'p', 'p')`,
          )
          expect(postgresError(orphan).code).toBe("YAVIO-5203")

          // Defaults of the billing fields and the partial unique index on live keys.
          const [user] = yield* sql<{ id: string }>`SELECT id FROM users`
          const [ws] = yield* sql<{ id: string; plan: string; billing_status: string }>`
          INSERT INTO workspaces (name, slug, owner_id) VALUES ('W', 'w', ${user!.id})
          RETURNING id, plan, billing_status`
          expect(ws).toMatchObject({ plan: "community", billing_status: "active" })
          const [project] = yield* sql<{ id: string }>`
          INSERT INTO projects (workspace_id, name, slug) VALUES (${ws!.id}, 'P', 'p') RETURNING id`
          const key = {
            project_id: project!.id,
            workspace_id: ws!.id,
            key_hash: "h1",
            key_prefix: "yav_abcd",
          }
          yield* sql`INSERT INTO api_keys ${sql.insert(key)}`
          expect(postgresError(yield* Effect.flip(sql`INSERT INTO api_keys ${sql.insert(key)}`)).code).toBe(
            "YAVIO-5202",
          )
          yield* sql`UPDATE api_keys SET revoked_at = now()`
          yield* sql`INSERT INTO api_keys ${sql.insert(key)}`
        }),
      )

      const fresh = options.freshClient
      if (fresh !== undefined) {
        it.effect(`two concurrent migrators apply once [${label}]`, () =>
          Effect.gen(function* () {
            yield* resetSchema
            // Each run builds its own client (its own connection), like two starting processes.
            const separateProcess = runWith(PostgresMigrator.layer.pipe(Layer.provide(Layer.fresh(fresh))))
            const [a, b] = yield* Effect.all([separateProcess, separateProcess], { concurrency: 2 })
            const applied = [...a.applied, ...b.applied].sort()
            expect(applied).toEqual(allIds)
            expect([a.skipped.length, b.skipped.length].sort()).toEqual([0, allIds.length])
            const sql = yield* PgClient
            const [row] = yield* sql<{ n: string }>`SELECT count(*)::text AS n FROM schema_migrations`
            expect(row?.n).toBe(String(postgresMigrations.length))
          }).pipe(Effect.orDie),
        )
      }
    },
  )
