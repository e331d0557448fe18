/**
 * The filters every analytics call takes (dashboard.md §3.1), as the RPC receives them and as
 * the queries use them. Decoding applies the spec's defaults and fails with the view errors'
 * codes: an unparsable or inverted range `YAVIO-3400`, a granularity outside the set `3401`, a
 * platform outside the set `3402`, a malformed user-trait condition `3407`.
 */

import {
  AnalyticsQueryRejected,
  InvalidGranularity,
  InvalidPlatformFilter,
  InvalidTimeRange,
} from "@yavio/domain"
import { Effect, Schema } from "effect"

/** Platforms the SDK records (our decision: the filter takes every one, `unknown` included). */
export const PLATFORMS = ["chatgpt", "claude", "cursor", "vscode", "windsurf", "unknown"] as const
export type Platform = (typeof PLATFORMS)[number]

export const GRANULARITIES = ["hour", "day", "week", "month"] as const
export type Granularity = (typeof GRANULARITIES)[number]

export const SOURCES = ["server", "widget"] as const
export type Source = (typeof SOURCES)[number]

/** What a caller sends; every field optional. */
export const AnalyticsFilterInput = Schema.Struct({
  from: Schema.optional(Schema.String),
  to: Schema.optional(Schema.String),
  platforms: Schema.optional(Schema.Array(Schema.String)),
  granularity: Schema.optional(Schema.String),
  sources: Schema.optional(Schema.Array(Schema.String)),
  /** IANA time zone for buckets; default UTC. */
  tz: Schema.optional(Schema.String),
  /** User-trait conditions (Users and Paths, §3.5, §3.6): all must hold. */
  traits: Schema.optional(Schema.Array(Schema.Struct({ key: Schema.String, value: Schema.String }))),
})
export type AnalyticsFilterInput = typeof AnalyticsFilterInput.Type

/** `key = value` on a user's latest traits. */
export interface TraitCondition {
  readonly key: string
  readonly value: string
}

/** At most this many trait conditions (our decision), keys 1–128 characters, values up to 512. */
export const MAX_TRAITS = 5

/** A decoded filter: a half-open range `[from, to)`, sets that are empty for "all". */
export interface AnalyticsFilter {
  readonly from: Date
  readonly to: Date
  readonly platforms: ReadonlyArray<Platform>
  readonly granularity: Granularity
  readonly sources: ReadonlyArray<Source>
  readonly tz: string
  /** Read by the Users and Paths views only; empty for none. */
  readonly traits: ReadonlyArray<TraitCondition>
}

const DAY_MS = 24 * 60 * 60 * 1000

/** The spec's auto-pick: hour up to 24 h, day up to 30 days, week beyond. */
export const autoGranularity = (from: Date, to: Date): Granularity => {
  const span = to.getTime() - from.getTime()
  return span <= DAY_MS ? "hour" : span <= 30 * DAY_MS ? "day" : "week"
}

const isTimeZone = (tz: string): boolean => {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: tz })
    return true
  } catch {
    return false
  }
}

const parseInstant = (value: string | undefined, field: string, fallback: Date) => {
  if (value === undefined) return Effect.succeed(fallback)
  // ISO-8601 only: Date.parse accepts much more (e.g. "2026"), which a URL param should not.
  const iso = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:?\d{2})?)?$/
  const ms = iso.test(value) ? Date.parse(value) : Number.NaN
  return Number.isNaN(ms)
    ? Effect.fail(
        new InvalidTimeRange({ detail: `${field} is not an ISO-8601 date: ${JSON.stringify(value)}` }),
      )
    : Effect.succeed(new Date(ms))
}

/** Input → filter with the defaults of §3.1 (last 7 days up to `now`, every platform and source). */
export const decodeFilter = (
  input: AnalyticsFilterInput,
  now: Date = new Date(),
): Effect.Effect<
  AnalyticsFilter,
  InvalidTimeRange | InvalidGranularity | InvalidPlatformFilter | AnalyticsQueryRejected
> =>
  Effect.gen(function* () {
    const to = yield* parseInstant(input.to, "to", now)
    const from = yield* parseInstant(input.from, "from", new Date(to.getTime() - 7 * DAY_MS))
    if (from.getTime() >= to.getTime()) {
      return yield* new InvalidTimeRange({ detail: "from must be before to" })
    }
    const tz = input.tz ?? "UTC"
    if (!isTimeZone(tz)) {
      return yield* new InvalidTimeRange({ detail: `unknown time zone ${JSON.stringify(tz)}` })
    }
    const granularity = input.granularity ?? autoGranularity(from, to)
    if (!(GRANULARITIES as ReadonlyArray<string>).includes(granularity)) {
      return yield* new InvalidGranularity({
        detail: `granularity must be one of ${GRANULARITIES.join(", ")}; got ${JSON.stringify(granularity)}`,
      })
    }
    const platforms = [...new Set(input.platforms ?? [])]
    const unknownPlatform = platforms.find((p) => !(PLATFORMS as ReadonlyArray<string>).includes(p))
    if (unknownPlatform !== undefined) {
      return yield* new InvalidPlatformFilter({
        detail: `platform must be one of ${PLATFORMS.join(", ")}; got ${JSON.stringify(unknownPlatform)}`,
      })
    }
    const sources = [...new Set(input.sources ?? [])]
    const unknownSource = sources.find((s) => !(SOURCES as ReadonlyArray<string>).includes(s))
    if (unknownSource !== undefined) {
      // The catalog has no source-filter code; it is a filter of the same family as platform.
      return yield* new InvalidPlatformFilter({
        detail: `source must be one of ${SOURCES.join(", ")}; got ${JSON.stringify(unknownSource)}`,
      })
    }
    const traits = input.traits ?? []
    if (traits.length > MAX_TRAITS) {
      return yield* new AnalyticsQueryRejected({
        detail: `at most ${MAX_TRAITS} trait conditions; got ${traits.length}`,
      })
    }
    const badTrait = traits.find(
      ({ key, value }) => key.trim() === "" || key.length > 128 || value.length > 512,
    )
    if (badTrait !== undefined) {
      return yield* new AnalyticsQueryRejected({
        detail: `a trait condition needs a key of 1 to 128 characters and a value of at most 512; got ${JSON.stringify(badTrait.key)}`,
      })
    }
    return {
      from,
      to,
      platforms: platforms as ReadonlyArray<Platform>,
      granularity: granularity as Granularity,
      sources: sources as ReadonlyArray<Source>,
      tz,
      traits: traits.map(({ key, value }) => ({ key: key.trim(), value })),
    }
  })

/** The window of equal length that ends where this one starts (KPI trends, §3.1). */
export const previousWindow = (filter: AnalyticsFilter): AnalyticsFilter => {
  const span = filter.to.getTime() - filter.from.getTime()
  return { ...filter, from: new Date(filter.from.getTime() - span), to: filter.from }
}
