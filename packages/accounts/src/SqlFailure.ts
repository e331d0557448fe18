import { SqlError } from "@effect/sql/SqlError"
import { InternalDashboardError } from "@yavio/domain"
import { postgresError } from "@yavio/storage"
import { Effect } from "effect"

/**
 * A statement failed for a reason the user cannot fix: `YAVIO-3999`, with the driver error kept
 * in `cause` for the log (the RPC edge strips it before answering).
 */
export const internal = (error: SqlError): InternalDashboardError =>
  new InternalDashboardError({ cause: error })

/** The constraint a unique violation hit, so callers can name it (slug taken, email registered). */
export const violatedUniqueConstraint = (error: SqlError): string | undefined => {
  const classified = postgresError(error)
  return classified._tag === "PostgresUniqueViolation" ? classified.detail : undefined
}

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/**
 * Ids come from clients: a malformed one would make PostgreSQL raise 22P02 (a 500), so callers
 * answer "not found" / "not a member" before querying.
 */
export const isUuid = (value: string): boolean => uuid.test(value)

/** `internal` for every SqlError an effect can fail with; its other errors pass through. */
export const orInternal = <A, E, R>(
  self: Effect.Effect<A, E, R>,
): Effect.Effect<A, Exclude<E, SqlError> | InternalDashboardError, R> =>
  Effect.mapError(self, (e) => (e instanceof SqlError ? internal(e) : (e as Exclude<E, SqlError>)))
