import { ClickhouseClient } from "@effect/sql-clickhouse/ClickhouseClient"
import { ClickhouseMigrationFailed } from "@yavio/domain"
import { Context, Effect, Layer } from "effect"
import { applyRetention, type RetentionReport } from "./ClickhouseRetention.js"
import {
  checksumOf,
  type Migration,
  type MigrationReport,
  migrationId,
  registryProblem,
} from "./Migration.js"
import { clickhouseMigrations } from "./migrations/clickhouse/index.js"
import { StorageConfig } from "./StorageConfig.js"

export interface ClickhouseMigrationReport extends MigrationReport {
  readonly retention: RetentionReport
}

interface AppliedRow {
  readonly version: number
  readonly checksum: string
}

const failed = (detail: string) => (cause: unknown) => new ClickhouseMigrationFailed({ detail, cause })

/**
 * ClickHouse has no transactions for DDL and a server offers no lock two processes could
 * share, so safety comes from idempotence instead: every statement is `IF NOT EXISTS`, and
 * `schema_migrations` is a ReplacingMergeTree keyed by version, so two processes recording
 * the same step leave one row (read with FINAL). A step that fails halfway is simply re-run
 * at the next start. (chDB needs none of this: it locks its data directory to one process.)
 */
const make = (migrations: ReadonlyArray<Migration>) =>
  Effect.gen(function* () {
    const ch = yield* ClickhouseClient
    const { retentionDays } = yield* StorageConfig
    const command = (statement: string) => ch.asCommand(ch.unsafe(statement))

    const applyPending = Effect.gen(function* () {
      const problem = registryProblem(migrations)
      if (problem !== undefined) return yield* new ClickhouseMigrationFailed({ detail: problem })

      yield* command(`CREATE TABLE IF NOT EXISTS schema_migrations (
  version UInt32,
  name String,
  checksum String,
  applied_at DateTime64(3, 'UTC') DEFAULT now64(3)
)
ENGINE = ReplacingMergeTree
ORDER BY version`).pipe(Effect.mapError(failed("cannot create schema_migrations")))
      const rows = yield* ch<AppliedRow>`SELECT version, checksum FROM schema_migrations FINAL`.pipe(
        Effect.mapError(failed("cannot read applied migrations")),
      )
      const applied = new Map(rows.map((row) => [Number(row.version), row.checksum]))

      const report = { applied: [] as Array<string>, skipped: [] as Array<string> }
      for (const migration of migrations) {
        const id = migrationId(migration)
        const checksum = checksumOf(migration)
        const existing = applied.get(migration.version)
        if (existing !== undefined) {
          if (existing !== checksum) {
            return yield* new ClickhouseMigrationFailed({
              detail: `applied migration ${id} has changed since it ran (checksum ${existing.slice(0, 12)}… in the database, ${checksum.slice(0, 12)}… in this release)`,
            })
          }
          report.skipped.push(id)
          continue
        }
        for (const statement of migration.statements) {
          yield* command(statement).pipe(Effect.mapError(failed(`migration ${id} failed`)))
        }
        yield* ch
          .asCommand(
            ch`INSERT INTO schema_migrations (version, name, checksum) VALUES (${ch.param("UInt32", migration.version)}, ${migration.name}, ${checksum})`,
          )
          .pipe(Effect.mapError(failed(`cannot record migration ${id}`)))
        report.applied.push(id)
      }
      const retention = yield* applyRetention(retentionDays).pipe(Effect.provideService(ClickhouseClient, ch))
      return { ...report, retention } satisfies ClickhouseMigrationReport
    })

    return { run: applyPending.pipe(Effect.withSpan("ClickhouseMigrator.run")) } as const
  })

/**
 * Brings the analytics store's schema up to this release's migrations, then sets the
 * retention TTL from YAVIO_RETENTION_DAYS.
 */
export class ClickhouseMigrator extends Context.Tag("@yavio/storage/ClickhouseMigrator")<
  ClickhouseMigrator,
  { readonly run: Effect.Effect<ClickhouseMigrationReport, ClickhouseMigrationFailed> }
>() {
  static readonly layer: Layer.Layer<ClickhouseMigrator, never, ClickhouseClient | StorageConfig> =
    Layer.effect(this, make(clickhouseMigrations))

  /** A migrator over another list; tests use it to exercise edited and broken migrations. */
  static readonly layerWith = (
    migrations: ReadonlyArray<Migration>,
  ): Layer.Layer<ClickhouseMigrator, never, ClickhouseClient | StorageConfig> =>
    Layer.effect(this, make(migrations))
}
