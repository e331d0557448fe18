import { PgClient } from "@effect/sql-pg/PgClient"
import { PostgresMigrationFailed } from "@yavio/domain"
import { Context, Effect, Layer } from "effect"
import {
  checksumOf,
  type Migration,
  type MigrationReport,
  migrationId,
  registryProblem,
} from "./Migration.js"
import { postgresMigrations } from "./migrations/postgres/index.js"

// Any constant shared by every Yavio process works; this one spells "YAVIO" in ASCII.
const lockKey = 0x5941_5649_4f

interface AppliedRow {
  readonly version: number
  readonly name: string
  readonly checksum: string
}

const failed = (detail: string) => (cause: unknown) => new PostgresMigrationFailed({ detail, cause })

const make = (migrations: ReadonlyArray<Migration>) =>
  Effect.gen(function* () {
    const sql = yield* PgClient

    const applyPending = Effect.gen(function* () {
      // Transaction-scoped lock: held by this transaction's connection until commit or
      // rollback, so a second process blocks here and then finds the work done. Taken before
      // anything else, because even two concurrent `CREATE TABLE IF NOT EXISTS` can collide.
      yield* sql.unsafe(`SELECT pg_advisory_xact_lock(${lockKey})`)
      yield* sql.unsafe(`CREATE TABLE IF NOT EXISTS schema_migrations (
  version integer PRIMARY KEY,
  name text NOT NULL,
  checksum text NOT NULL,
  applied_at timestamptz NOT NULL DEFAULT now()
)`)
      const rows = yield* sql<AppliedRow>`SELECT version, name, checksum FROM schema_migrations`
      const applied = new Map(rows.map((row) => [row.version, row]))

      const report = { applied: [] as Array<string>, skipped: [] as Array<string> }
      for (const migration of migrations) {
        const id = migrationId(migration)
        const checksum = checksumOf(migration)
        const existing = applied.get(migration.version)
        if (existing !== undefined) {
          if (existing.checksum !== checksum) {
            return yield* new PostgresMigrationFailed({
              detail: `applied migration ${id} has changed since it ran (checksum ${existing.checksum.slice(0, 12)}… in the database, ${checksum.slice(0, 12)}… in this release)`,
            })
          }
          report.skipped.push(id)
          continue
        }
        for (const statement of migration.statements) {
          yield* sql.unsafe(statement).pipe(Effect.mapError(failed(`migration ${id} failed`)))
        }
        yield* sql`INSERT INTO schema_migrations ${sql.insert({ version: migration.version, name: migration.name, checksum })}`
        report.applied.push(id)
      }
      return report satisfies MigrationReport
    })

    /**
     * Applies every pending migration in one transaction: PostgreSQL DDL is transactional, so
     * a failure leaves the schema exactly as it was, and the next start retries from there.
     */
    const run = Effect.suspend(() => {
      const problem = registryProblem(migrations)
      return problem === undefined
        ? sql.withTransaction(applyPending)
        : Effect.fail(new PostgresMigrationFailed({ detail: problem }))
    }).pipe(
      Effect.catchTag("SqlError", failed("cannot read or record applied migrations")),
      Effect.withSpan("PostgresMigrator.run"),
    )

    return { run } as const
  })

/** Brings the application store's schema up to this release's migrations. */
export class PostgresMigrator extends Context.Tag("@yavio/storage/PostgresMigrator")<
  PostgresMigrator,
  { readonly run: Effect.Effect<MigrationReport, PostgresMigrationFailed> }
>() {
  static readonly layer: Layer.Layer<PostgresMigrator, never, PgClient> = Layer.effect(
    this,
    make(postgresMigrations),
  )

  /** A migrator over another list; tests use it to exercise edited and broken migrations. */
  static readonly layerWith = (
    migrations: ReadonlyArray<Migration>,
  ): Layer.Layer<PostgresMigrator, never, PgClient> => Layer.effect(this, make(migrations))
}
