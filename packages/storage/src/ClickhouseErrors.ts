import type { SqlError } from "@effect/sql/SqlError"
import {
  ClickhouseConnectionRefused,
  ClickhouseInsertFailed,
  ClickhouseQueryTimeout,
  ClickhouseRowPolicyViolation,
  ClickhouseSchemaMismatch,
} from "@yavio/domain"
import { Effect } from "effect"

/** Every way a ClickHouse read can fail that has a catalog code. */
export type ClickhouseQueryError =
  | ClickhouseConnectionRefused
  | ClickhouseQueryTimeout
  | ClickhouseSchemaMismatch
  | ClickhouseRowPolicyViolation

// ClickHouse exception codes (src/Common/ErrorCodes.cpp) that mean the query names a table,
// column or type the store does not have: the schema and the code disagree.
const schemaCodes = new Set(["16", "47", "53", "60", "81"]) // NO_SUCH_COLUMN, UNKNOWN_IDENTIFIER, TYPE_MISMATCH, UNKNOWN_TABLE, UNKNOWN_DATABASE
const timeoutCodes = new Set(["159", "209", "394"]) // TIMEOUT_EXCEEDED, SOCKET_TIMEOUT, QUERY_WAS_CANCELLED
const connectionCodes = new Set(["ECONNREFUSED", "ECONNRESET", "ENOTFOUND", "EPIPE", "210", "516"]) // + NETWORK_ERROR, AUTHENTICATION_FAILED
// The tenant wrapper reads the workspace through getSetting('SQL_workspace_id'); a query
// sent without it fails with UNKNOWN_SETTING instead of returning every tenant's rows.
const rowPolicyCodes = new Set(["115"])

const codeOf = (cause: unknown): string | undefined => {
  if (typeof cause !== "object" || cause === null) return undefined
  const code = (cause as { code?: unknown }).code
  if (typeof code === "string") return code
  // chDB wraps the engine error; its numeric code sits on `clickhouseCode`.
  const engineCode = (cause as { clickhouseCode?: unknown }).clickhouseCode
  return typeof engineCode === "number" ? String(engineCode) : undefined
}

const isTimeout = (cause: unknown): boolean =>
  cause instanceof Error && (cause.name === "AbortError" || /timeout/i.test(cause.message))

/**
 * Classifies a failed read. `undefined` means the failure has no catalog code (a syntax error
 * in our own SQL, an engine fault): callers treat that as a defect rather than invent a code.
 */
export const clickhouseQueryError = (error: SqlError): ClickhouseQueryError | undefined => {
  const code = codeOf(error.cause)
  if (code !== undefined && connectionCodes.has(code))
    return new ClickhouseConnectionRefused({ cause: error })
  if ((code !== undefined && timeoutCodes.has(code)) || isTimeout(error.cause)) {
    return new ClickhouseQueryTimeout({ cause: error })
  }
  if (code !== undefined && schemaCodes.has(code)) return new ClickhouseSchemaMismatch({ cause: error })
  if (code !== undefined && rowPolicyCodes.has(code))
    return new ClickhouseRowPolicyViolation({ cause: error })
  return undefined
}

/** Classifies a failed insert: unreachable store, or the insert itself failed (retryable by the writer). */
export const clickhouseInsertError = (
  error: SqlError,
): ClickhouseConnectionRefused | ClickhouseInsertFailed => {
  const code = codeOf(error.cause)
  return code !== undefined && connectionCodes.has(code)
    ? new ClickhouseConnectionRefused({ cause: error })
    : new ClickhouseInsertFailed({ cause: error })
}

/** A failed read as its catalog error; one without a code (our own SQL is wrong) is a defect. */
export const failClickhouseQuery = (error: SqlError): Effect.Effect<never, ClickhouseQueryError> => {
  const mapped = clickhouseQueryError(error)
  return mapped === undefined ? Effect.die(error) : Effect.fail(mapped)
}
