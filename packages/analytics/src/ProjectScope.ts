/**
 * The tenant-scoped wrapper every analytics read goes through (dashboard.md §3, storage spec
 * §2): a query never touches `events` without its workspace, project, half-open time range and
 * the caller's platform and source filters, and always reads it deduplicated (`FINAL`: a
 * retried event that ingest wrote twice counts once even before ClickHouse merged the parts).
 */

import type { Fragment } from "@effect/sql/Statement"
import type { ClickhouseClient } from "@effect/sql-clickhouse/ClickhouseClient"
import type { AnalyticsFilter } from "./AnalyticsFilter.js"

/** The project whose data a call may read: established by authorization, never by the caller. */
export interface ProjectScope {
  readonly workspaceId: string
  readonly projectId: string
}

type Ch = ClickhouseClient

/** A DateTime64(3) instant as a query parameter. */
export const instant = (ch: Ch, date: Date): Fragment =>
  ch`fromUnixTimestamp64Milli(toInt64(${ch.param("Float64", date.getTime())}), 'UTC')`

/**
 * An instant to compare a rollup's `bucket` (DateTime, whole seconds) with: a DateTime too, so
 * the comparison is one of integers. Against a DateTime64 the engine widened every row's bucket
 * first, which cost a 10M-event Overview more than its totals did. Rounded up, which keeps
 * both `bucket >= t` and `bucket < t` exact for whole-second buckets.
 */
export const bucketInstant = (ch: Ch, date: Date): Fragment =>
  ch`toDateTime(${ch.param("UInt32", Math.ceil(date.getTime() / 1000))}, 'UTC')`

/** The conditions of one project's events in `[from, to)` under the filter's platforms and sources. */
export const scopedEventsWhere = (
  ch: Ch,
  scope: ProjectScope,
  filter: AnalyticsFilter,
  range: { readonly from: Date; readonly to: Date } = filter,
): Fragment => scopedEventsWhereIn(ch, scope, filter, [range])

/** The same in any of several half-open ranges (none: no event). */
export const scopedEventsWhereIn = (
  ch: Ch,
  scope: ProjectScope,
  filter: AnalyticsFilter,
  ranges: ReadonlyArray<{ readonly from: Date; readonly to: Date }>,
): Fragment =>
  ch.and([
    ch`workspace_id = ${scope.workspaceId}`,
    ch`project_id = ${scope.projectId}`,
    ranges.length === 0
      ? ch`0`
      : ch.or(
          ranges.map(
            ({ from, to }) => ch`(timestamp >= ${instant(ch, from)} AND timestamp < ${instant(ch, to)})`,
          ),
        ),
    ...(filter.platforms.length === 0
      ? []
      : [ch`ifNull(platform, 'unknown') IN ${ch.param("Array(String)", filter.platforms)}`]),
    ...(filter.sources.length === 0 ? [] : [ch`source IN ${ch.param("Array(String)", filter.sources)}`]),
  ])

/**
 * `(SELECT … FROM events FINAL WHERE <scope>)`: raw events, deduplicated. Views whose
 * aggregates a resent event cannot change (distinct counts, min, max, "any") read
 * `unmergedEvents` instead: FINAL costs most of such a query on a large store.
 */
export const scopedEvents = (
  ch: Ch,
  scope: ProjectScope,
  filter: AnalyticsFilter,
  range: { readonly from: Date; readonly to: Date } = filter,
): Fragment => ch`(SELECT * FROM events FINAL WHERE ${scopedEventsWhere(ch, scope, filter, range)})`

/**
 * `(SELECT … FROM events WHERE <scope>)` without FINAL: an event an SDK resent may appear twice.
 * Only for aggregates that duplicates cannot change (min, max, uniqExact, windowFunnel, …).
 */
export const unmergedEvents = (
  ch: Ch,
  scope: ProjectScope,
  filter: AnalyticsFilter,
  range: { readonly from: Date; readonly to: Date } = filter,
): Fragment => ch`(SELECT * FROM events WHERE ${scopedEventsWhere(ch, scope, filter, range)})`

/** The conditions of `counted_events_by_bucket` rows of one project under the filter's platforms and sources. */
/**
 * The conditions of a rollup's rows of one project in `range` under the filter's platforms and
 * sources (every rollup stores `platform` with `unknown` for none, and `source`).
 */
export const rollupWhere = (
  ch: Ch,
  scope: ProjectScope,
  filter: AnalyticsFilter,
  range: Fragment,
): Fragment =>
  ch.and([
    ch`workspace_id = ${scope.workspaceId}`,
    ch`project_id = ${scope.projectId}`,
    range,
    ...(filter.platforms.length === 0
      ? []
      : [ch`platform IN ${ch.param("Array(String)", filter.platforms)}`]),
    ...(filter.sources.length === 0 ? [] : [ch`source IN ${ch.param("Array(String)", filter.sources)}`]),
  ])

/** The rollups' bucket: every time zone's offset is a multiple of it. */
export const BUCKET_MS = 15 * 60 * 1000

/**
 * `[from, to)` on `counted_events_by_bucket`: by bucket first, which the primary key narrows to
 * (the timestamp comes after the bucket in it), then by the timestamp itself.
 */
const countedRange = (ch: Ch, from: Date, to: Date): Fragment =>
  ch`bucket >= ${bucketInstant(ch, new Date(Math.floor(from.getTime() / BUCKET_MS) * BUCKET_MS))} AND bucket < ${bucketInstant(ch, to)}
     AND timestamp >= ${instant(ch, from)} AND timestamp < ${instant(ch, to)}`

/** A time window of a query; `cur` 1 for the selected window, 0 for the previous one. */
export interface TimeWindow {
  readonly from: Date
  readonly to: Date
  readonly cur: 0 | 1
}

/**
 * `[from, to)` cut into its whole 15-minute buckets and the ragged edges around them (a range
 * inside one bucket is all edge). Every time zone's offset is a multiple of 15 minutes, so a
 * whole bucket lies within one hour, day, week or month of the viewer.
 */
export const splitAtBuckets = (
  from: Date,
  to: Date,
): ReadonlyArray<{ readonly from: Date; readonly to: Date; readonly whole: boolean }> => {
  if (from.getTime() >= to.getTime()) return []
  const firstWhole = Math.ceil(from.getTime() / BUCKET_MS) * BUCKET_MS
  const lastWhole = Math.floor(to.getTime() / BUCKET_MS) * BUCKET_MS
  if (firstWhole >= lastWhole) return [{ from, to, whole: false }]
  return [
    ...(from.getTime() < firstWhole ? [{ from, to: new Date(firstWhole), whole: false }] : []),
    { from: new Date(firstWhole), to: new Date(lastWhole), whole: true },
    ...(lastWhole < to.getTime() ? [{ from: new Date(lastWhole), to, whole: false }] : []),
  ]
}

/** The windows' whole 15-minute buckets and their ragged edges, each range with its window's flag. */
export const bucketParts = (
  windows: ReadonlyArray<TimeWindow>,
): { readonly whole: ReadonlyArray<TimeWindow>; readonly edges: ReadonlyArray<TimeWindow> } => {
  const whole: TimeWindow[] = []
  const edges: TimeWindow[] = []
  for (const { from, to, cur } of windows) {
    for (const part of splitAtBuckets(from, to)) (part.whole ? whole : edges).push({ ...part, cur })
  }
  return { whole, edges }
}

/**
 * A row's window flag from `column` (`bucket` or `timestamp`): the flag of the range holding it.
 * The ranges are disjoint and the row is in one of them (the WHERE says so), so the last range
 * needs no test; with one flag for all, no column is compared at all.
 */
export const flagOf = (
  ch: Ch,
  column: "bucket" | "timestamp",
  ranges: ReadonlyArray<TimeWindow>,
): Fragment => {
  const last = ranges[ranges.length - 1]
  let flag = ch`toUInt8(${ch.literal(String(last?.cur ?? 1))})`
  if (ranges.every((range) => range.cur === last?.cur)) return flag
  const c = ch.literal(column)
  const at = column === "bucket" ? bucketInstant : instant
  for (const range of ranges.slice(0, -1).reverse()) {
    flag = ch`if(${c} >= ${at(ch, range.from)} AND ${c} < ${at(ch, range.to)}, toUInt8(${ch.literal(String(range.cur))}), ${flag})`
  }
  return flag
}

/**
 * `(… UNION ALL …)`: the `counted_events_by_bucket` rows of every window with its `cur` flag:
 * tool calls, conversions, widget errors, steps, widget renders and clicks with the columns the
 * views read (storage migrations 0005, 0007): the platform already `unknown` for none,
 * `zero_result` extracted from the metadata, `trace_key` a 64-bit hash of trace_id.
 *
 * Two parts at most, whatever the number of windows: the whole 15-minute buckets of all windows,
 * selected by `bucket` alone (in the primary key, 4 bytes nearly constant along the sort order:
 * no DateTime64 is read or compared for them) and flagged by it; and every ragged edge, by
 * `timestamp` too. (Issue #7: a part per window and edge cost a few milliseconds each, and the
 * Overview's queries had up to six.) Deduplicated per part: a resent event has its original
 * timestamp, so both copies fall in the same part and FINAL keeps one.
 */
export const countedWindows = (
  ch: Ch,
  scope: ProjectScope,
  filter: AnalyticsFilter,
  windows: ReadonlyArray<TimeWindow>,
  options: CountedOptions,
): Fragment => countedParts(ch, scope, filter, bucketParts(windows), options)

export interface CountedOptions {
  /** Only these event types (a primary-key condition inside every part). */
  readonly eventTypes: ReadonlyArray<string>
  /** Without FINAL: only for aggregates a resent event cannot change. Default true. */
  readonly dedup?: boolean
}

/** `countedWindows` of whole-bucket ranges and edges given apart (`bucketParts` splits windows). */
export const countedParts = (
  ch: Ch,
  scope: ProjectScope,
  filter: AnalyticsFilter,
  { whole, edges }: { readonly whole: ReadonlyArray<TimeWindow>; readonly edges: ReadonlyArray<TimeWindow> },
  options: CountedOptions,
): Fragment => {
  const final = ch.literal(options.dedup === false ? "" : "FINAL")
  const types = ch`event_type IN ${ch.param("Array(String)", options.eventTypes)}`
  const part = (column: "bucket" | "timestamp", ranges: ReadonlyArray<TimeWindow>, range: Fragment) =>
    ch`SELECT *, ${flagOf(ch, column, ranges)} AS cur FROM counted_events_by_bucket ${final} WHERE ${rollupWhere(
      ch,
      scope,
      filter,
      ch`${types} AND ${range}`,
    )}`
  const parts = [
    ...(whole.length === 0 ? [] : [part("bucket", whole, bucketsIn(ch, whole))]),
    ...(edges.length === 0
      ? []
      : [part("timestamp", edges, ch.or(edges.map(({ from, to }) => ch`(${countedRange(ch, from, to)})`)))]),
  ]
  // No window at all: an empty relation of the same shape.
  return parts.length === 0
    ? ch`(SELECT *, toUInt8(1) AS cur FROM counted_events_by_bucket WHERE 0)`
    : ch`(${ch.join(" UNION ALL ", false)(parts)})`
}

/** `bucket` in any of the ranges (each on bucket edges; none: no row), adjacent ones as one. */
export const bucketsIn = (
  ch: Ch,
  ranges: ReadonlyArray<{ readonly from: Date; readonly to: Date }>,
): Fragment => {
  const merged: Array<{ from: Date; to: Date }> = []
  for (const { from, to } of [...ranges].sort((a, b) => a.from.getTime() - b.from.getTime())) {
    const last = merged[merged.length - 1]
    if (last !== undefined && last.to.getTime() >= from.getTime()) {
      if (to.getTime() > last.to.getTime()) last.to = to
    } else merged.push({ from, to })
  }
  return merged.length === 0
    ? ch`0`
    : ch.or(
        merged.map(
          ({ from, to }) => ch`(bucket >= ${bucketInstant(ch, from)} AND bucket < ${bucketInstant(ch, to)})`,
        ),
      )
}

/**
 * Start of the bucket that holds `column` (default `timestamp`), in the viewer's time zone
 * (§3.1). Of a 15-minute bucket's start, it is the bucket of every instant in it.
 */
export const bucketOf = (ch: Ch, filter: AnalyticsFilter, column = "timestamp"): Fragment => {
  const tz = ch.param("String", filter.tz)
  const c = ch.literal(column)
  switch (filter.granularity) {
    case "hour":
      return ch`toStartOfHour(${c}, ${tz})`
    case "day":
      return ch`toStartOfDay(${c}, ${tz})`
    case "week":
      return ch`toStartOfWeek(${c}, 1, ${tz})`
    case "month":
      return ch`toStartOfMonth(${c}, ${tz})`
  }
}
