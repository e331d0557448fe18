import type { ClickhouseMigrationFailed, PostgresMigrationFailed } from "@yavio/domain"
import { Effect } from "effect"
import { type ClickhouseMigrationReport, ClickhouseMigrator } from "./ClickhouseMigrator.js"
import type { MigrationReport } from "./Migration.js"
import { PostgresMigrator } from "./PostgresMigrator.js"
import { StorageConfig, type StoreMode } from "./StorageConfig.js"

export interface MigrationSummary {
  readonly postgres: MigrationReport & { readonly mode: StoreMode }
  readonly clickhouse: ClickhouseMigrationReport & { readonly mode: StoreMode }
}

/**
 * Migrates both stores, PostgreSQL first: it is the one that can refuse (its migrations run
 * in one transaction under a lock), and a refused start should not have touched ClickHouse.
 */
export const migrateAll: Effect.Effect<
  MigrationSummary,
  PostgresMigrationFailed | ClickhouseMigrationFailed,
  PostgresMigrator | ClickhouseMigrator | StorageConfig
> = Effect.gen(function* () {
  const config = yield* StorageConfig
  const postgres = yield* (yield* PostgresMigrator).run
  const clickhouse = yield* (yield* ClickhouseMigrator).run
  return {
    postgres: { ...postgres, mode: config.postgres.mode },
    clickhouse: { ...clickhouse, mode: config.clickhouse.mode },
  }
}).pipe(Effect.withSpan("migrateAll"))

const describe = (report: MigrationReport): string => {
  const applied = report.applied.length === 0 ? "none applied" : `applied ${report.applied.join(", ")}`
  return `${applied}; ${report.skipped.length} already applied`
}

/** The lines the start command prints, one per store. */
export const formatMigrationSummary = (summary: MigrationSummary): ReadonlyArray<string> => {
  const { retention } = summary.clickhouse
  const ttl =
    retention.changed.length === 0
      ? `retention ${retention.days} days`
      : `retention ${retention.days} days (set on ${retention.changed.join(", ")})`
  return [
    `postgres (${summary.postgres.mode}): ${describe(summary.postgres)}`,
    `clickhouse (${summary.clickhouse.mode}): ${describe(summary.clickhouse)}; ${ttl}`,
  ]
}
