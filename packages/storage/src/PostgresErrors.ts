import type { SqlError } from "@effect/sql/SqlError"
import {
  PostgresConnectionRefused,
  PostgresDeadlock,
  PostgresForeignKeyViolation,
  PostgresQueryFailed,
  PostgresRlsViolation,
  PostgresUniqueViolation,
} from "@yavio/domain"

/** Every way a PostgreSQL statement can fail, as catalog errors. */
export type PostgresError =
  | PostgresConnectionRefused
  | PostgresQueryFailed
  | PostgresUniqueViolation
  | PostgresForeignKeyViolation
  | PostgresRlsViolation
  | PostgresDeadlock

// Socket-level failures of `pg` (Node error codes) and the SQLSTATEs a server sends when it
// cannot or will no longer serve the session: the store is unreachable, not the query wrong.
const connectionCodes = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ENOTFOUND",
  "ETIMEDOUT",
  "EPIPE",
  "57P01",
  "57P03",
])

const fieldOf = (cause: unknown, field: "code" | "constraint" | "message"): string | undefined => {
  if (typeof cause !== "object" || cause === null || !(field in cause)) return undefined
  const value = (cause as Record<string, unknown>)[field]
  return typeof value === "string" ? value : undefined
}

/**
 * Classifies a failed statement by the SQLSTATE the server sent (`pg` puts it in `code`).
 * The constraint name goes into `detail` because callers turn specific constraints into their
 * own codes (an email already registered, a slug taken); the driver error stays in `cause`.
 */
export const postgresError = (error: SqlError): PostgresError => {
  const cause = error.cause
  const code = fieldOf(cause, "code")
  const constraint = fieldOf(cause, "constraint")
  const withConstraint = constraint === undefined ? {} : { detail: constraint }
  if (code !== undefined && (connectionCodes.has(code) || code.startsWith("08"))) {
    return new PostgresConnectionRefused({ cause: error })
  }
  switch (code) {
    case "23505":
      return new PostgresUniqueViolation({ ...withConstraint, cause: error })
    case "23503":
      return new PostgresForeignKeyViolation({ ...withConstraint, cause: error })
    case "40P01":
      return new PostgresDeadlock({ cause: error })
    case "42501":
      // insufficient_privilege is also what a missing GRANT raises; only the RLS case is 5204.
      if (fieldOf(cause, "message")?.includes("row-level security"))
        return new PostgresRlsViolation({ cause: error })
      return new PostgresQueryFailed({ cause: error })
    default:
      return new PostgresQueryFailed({ cause: error })
  }
}
