import { PgClient } from "@effect/sql-pg/PgClient"
import { expect, layer } from "@effect/vitest"
import { TempDir } from "@yavio/testkit/TempDir"
import { ConfigProvider, Effect, Layer } from "effect"
import { formatMigrationSummary, migrateAll } from "../src/migrateAll.js"
import * as Postgres from "../src/Postgres.js"
import * as Stores from "../src/Stores.js"

/**
 * The start-up path on the embedded engines: both stores from configuration, both migrated,
 * closed, and opened again from the same directory. Reopening in the same process only works
 * if the layer released chDB and PGlite completely.
 */
const startOnce = (dir: string) =>
  Effect.gen(function* () {
    const summary = yield* migrateAll
    // While this "process" holds the directory, a second one is refused, not let in to share
    // PGlite's files (PGlite itself does not lock them).
    const second = yield* Effect.flip(Effect.scoped(Layer.build(Postgres.layer)))
    expect(second.code).toBe("YAVIO-5200")
    expect(second.message).toMatch(/in use by process \d+/)
    const sql = yield* PgClient
    yield* sql`INSERT INTO users (email) VALUES (${`run${Date.now()}@example.com`})`
    const [users] = yield* sql<{ n: string }>`SELECT count(*)::text AS n FROM users`
    return { summary, users: Number(users?.n) }
  }).pipe(
    Effect.provide(Stores.layer),
    Effect.withConfigProvider(ConfigProvider.fromMap(new Map([["YAVIO_DATA_DIR", dir]]))),
  )

layer(TempDir.layer("migrate-all"), { timeout: "60 seconds", excludeTestServices: true })(
  "migrateAll [pglite + chdb]",
  (it) => {
    it.effect(
      "migrates both stores, then finds them migrated after a restart [pglite + chdb]",
      () =>
        Effect.gen(function* () {
          const dir = yield* TempDir
          const first = yield* startOnce(dir)
          expect(first.summary.postgres).toEqual({
            mode: "embedded",
            applied: [
              "0001_accounts",
              "0002_workspaces",
              "0003_billing",
              "0004_api_key_lookup",
              "0005_account_locks",
              "0006_row_level_security",
              "0007_funnels",
            ],
            skipped: [],
          })
          expect(first.summary.clickhouse).toMatchObject({
            mode: "embedded",
            applied: [
              "0001_events",
              "0002_sessions",
              "0003_users",
              "0004_tool_registry",
              "0005_view_rollups",
              "0006_session_buckets",
              "0007_counted_buckets",
              "0008_drop_counted_events",
              "0009_bucket_totals",
              "0010_trace_buckets",
            ],
            skipped: [],
          })
          const lines = formatMigrationSummary(first.summary)
          console.log(lines.join("\n"))
          expect(lines[0]).toBe(
            "postgres (embedded): applied 0001_accounts, 0002_workspaces, 0003_billing, 0004_api_key_lookup, 0005_account_locks, 0006_row_level_security, 0007_funnels; 0 already applied",
          )

          const second = yield* startOnce(dir)
          expect(second.summary.postgres.applied).toEqual([])
          expect(second.summary.clickhouse.applied).toEqual([])
          expect(second.summary.clickhouse.retention.changed).toEqual([])
          expect(formatMigrationSummary(second.summary)).toEqual([
            "postgres (embedded): none applied; 7 already applied",
            "clickhouse (embedded): none applied; 10 already applied; retention 90 days",
          ])
          // The first run's row survived the restart: data lives in the directory.
          expect(second.users).toBe(2)
        }),
      // Two cold starts of PGlite (WebAssembly) and chDB.
      60_000,
    )
  },
)
