import { Schema } from "effect"
import { coded } from "./YavioCode.js"

export const TIMESTAMP_MESSAGE = "must be an ISO-8601 date-time with a time zone, or epoch milliseconds"

/** Date, time (seconds and fraction optional) and a zone (`Z` or an offset): what `Date.parse` reads reliably. */
export const ISO_8601_PATTERN =
  /^\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])T(?:[01]\d|2[0-3]):[0-5]\d(?::[0-5]\d(?:\.\d{1,9})?)?(?:Z|[+-](?:[01]\d|2[0-3]):?[0-5]\d)$/

export const CalendarDateSchemaId: unique symbol = Symbol.for("@yavio/domain/CalendarDate")

/**
 * The day exists in its month. `Date.parse` rolls 2024-02-30 over to March 1st instead of
 * failing, so the pattern alone would let impossible dates through. Expects a string that
 * matches `ISO_8601_PATTERN` (fixed positions for year, month and day).
 */
export const isCalendarDate = (iso: string): boolean => {
  const year = Number(iso.slice(0, 4))
  const month = Number(iso.slice(5, 7))
  const day = Number(iso.slice(8, 10))
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0)
  const days =
    month === 2 ? (leap ? 29 : 28) : month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31
  return day <= days
}

export const IsoTimestamp = Schema.String.pipe(
  Schema.pattern(ISO_8601_PATTERN, coded("YAVIO-2103", TIMESTAMP_MESSAGE)),
  Schema.filter(isCalendarDate, {
    schemaId: CalendarDateSchemaId,
    description: "an existing calendar date",
    jsonSchema: { format: "date-time" },
    ...coded("YAVIO-2103", TIMESTAMP_MESSAGE),
  }),
)

export const EpochMillis = Schema.Number.pipe(
  Schema.finite(coded("YAVIO-2103", TIMESTAMP_MESSAGE)),
  Schema.nonNegative(coded("YAVIO-2103", TIMESTAMP_MESSAGE)),
)

/**
 * When the event happened, on the client's clock. Kept as sent (no transformation to `Date`
 * while decoding, which would allocate on the hot path); `timestampToDate` converts.
 */
export const EventTimestamp = Schema.Union(IsoTimestamp, EpochMillis)
export type EventTimestamp = typeof EventTimestamp.Type

export const timestampToDate = (timestamp: EventTimestamp): Date =>
  new Date(typeof timestamp === "number" ? timestamp : Date.parse(timestamp))
