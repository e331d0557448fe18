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

/** The conditions of one project's events in `[from, to)` under the filter's platforms and sources. */
export const scopedEventsWhere = (
  ch: Ch,
  scope: ProjectScope,
  filter: AnalyticsFilter,
  range: { readonly from: Date; readonly to: Date } = filter,
): Fragment =>
  ch.and([
    ch`workspace_id = ${scope.workspaceId}`,
    ch`project_id = ${scope.projectId}`,
    ch`timestamp >= ${instant(ch, range.from)}`,
    ch`timestamp < ${instant(ch, range.to)}`,
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

/**
 * `(SELECT … FROM counted_events [FINAL] WHERE <scope>)`: tool calls, conversions, widget
 * errors, steps, widget renders and clicks with the columns the views read (storage migration
 * 0005): the platform is already `unknown` for none, `zero_result` extracted from the metadata,
 * `trace_key` a 64-bit hash of trace_id. Deduplicated (FINAL) unless `dedup` is false, which
 * is only for aggregates a resent event cannot change.
 */
export const countedEvents = (
  ch: Ch,
  scope: ProjectScope,
  filter: AnalyticsFilter,
  range: { readonly from: Date; readonly to: Date } = filter,
  dedup = true,
): Fragment =>
  ch`(SELECT * FROM counted_events ${ch.literal(dedup ? "FINAL" : "")} WHERE ${ch.and([
    ch`workspace_id = ${scope.workspaceId}`,
    ch`project_id = ${scope.projectId}`,
    ch`timestamp >= ${instant(ch, range.from)}`,
    ch`timestamp < ${instant(ch, range.to)}`,
    ...(filter.platforms.length === 0
      ? []
      : [ch`platform IN ${ch.param("Array(String)", filter.platforms)}`]),
    ...(filter.sources.length === 0 ? [] : [ch`source IN ${ch.param("Array(String)", filter.sources)}`]),
  ])})`

/** Start of the bucket that holds `timestamp`, in the viewer's time zone (§3.1). */
export const bucketOf = (ch: Ch, filter: AnalyticsFilter): Fragment => {
  const tz = ch.param("String", filter.tz)
  switch (filter.granularity) {
    case "hour":
      return ch`toStartOfHour(timestamp, ${tz})`
    case "day":
      return ch`toStartOfDay(timestamp, ${tz})`
    case "week":
      return ch`toStartOfWeek(timestamp, 1, ${tz})`
    case "month":
      return ch`toStartOfMonth(timestamp, ${tz})`
  }
}
