/**
 * Runs one analytics query: rows decoded with their Schema, store failures turned into the
 * view errors of error-codes.md (timeout `YAVIO-3405`, store unreachable `3406`). A failure
 * without a code (our own SQL is wrong) is a defect, as everywhere in storage.
 */

import type { SqlError } from "@effect/sql/SqlError"
import {
  AnalyticsClickhouseUnavailable,
  AnalyticsQueryTimeout,
  ClickhouseSchemaMismatch,
} from "@yavio/domain"
import { clickhouseQueryError } from "@yavio/storage"
import { Effect, Schema } from "effect"

export type AnalyticsQueryError =
  | AnalyticsQueryTimeout
  | AnalyticsClickhouseUnavailable
  | ClickhouseSchemaMismatch

const toViewError = (error: SqlError): Effect.Effect<never, AnalyticsQueryError> => {
  const mapped = clickhouseQueryError(error)
  switch (mapped?._tag) {
    case "ClickhouseQueryTimeout":
      return Effect.fail(new AnalyticsQueryTimeout({ cause: error }))
    case "ClickhouseConnectionRefused":
      return Effect.fail(new AnalyticsClickhouseUnavailable({ cause: error }))
    case "ClickhouseSchemaMismatch":
      return Effect.fail(mapped)
    default:
      return Effect.die(error)
  }
}

export const runRows = <A, I>(
  label: string,
  schema: Schema.Schema<A, I>,
  query: Effect.Effect<ReadonlyArray<unknown>, SqlError>,
): Effect.Effect<ReadonlyArray<A>, AnalyticsQueryError> =>
  query.pipe(
    Effect.catchTag("SqlError", toViewError),
    Effect.flatMap(Schema.decodeUnknown(Schema.Array(schema))),
    Effect.catchTag("ParseError", (cause) => new ClickhouseSchemaMismatch({ detail: label, cause })),
    Effect.withSpan(`analytics.${label}`),
  )

/** NaN (an average or median over no rows) and infinities become `null`: rendered "—". */
export const finiteOrNull = (value: number | null | undefined): number | null =>
  value === null || value === undefined || !Number.isFinite(value) ? null : value

/** `numerator / denominator`, `null` for a zero denominator (§3.1). */
export const ratio = (numerator: number, denominator: number): number | null =>
  denominator === 0 ? null : numerator / denominator
