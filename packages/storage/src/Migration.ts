import { createHash } from "node:crypto"

/**
 * One forward-only schema step. Statements run one at a time, in order: neither store's
 * client can be trusted to split a multi-statement string (ClickHouse's HTTP interface runs
 * one statement per request; PostgreSQL function bodies contain semicolons).
 */
export interface Migration {
  readonly version: number
  readonly name: string
  readonly statements: ReadonlyArray<string>
}

/** `0003_workspaces`: how reports and errors name a migration. */
export const migrationId = (migration: Pick<Migration, "version" | "name">): string =>
  `${String(migration.version).padStart(4, "0")}_${migration.name}`

/**
 * SHA-256 of the statements as written. Any edit to an applied migration, even whitespace,
 * changes it: applied migrations are frozen, and a new change is a new migration.
 */
export const checksumOf = (migration: Migration): string =>
  createHash("sha256").update(migration.statements.join("\n;\n")).digest("hex")

/** What one store's migrator did. */
export interface MigrationReport {
  readonly applied: ReadonlyArray<string>
  readonly skipped: ReadonlyArray<string>
}

/**
 * The registry must be strictly increasing: a duplicate or out-of-order version would make
 * "applied" ambiguous. Returns a reason when it is not.
 */
export const registryProblem = (migrations: ReadonlyArray<Migration>): string | undefined => {
  for (let i = 1; i < migrations.length; i++) {
    const previous = migrations[i - 1]!
    const current = migrations[i]!
    if (current.version <= previous.version) {
      return `migration ${migrationId(current)} does not come after ${migrationId(previous)}`
    }
  }
  return undefined
}
