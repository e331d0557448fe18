/**
 * Per-session activity in one or more windows, for the views that aggregate sessions (the
 * Overview's session KPIs, the Users view). Whole 15-minute buckets come from a rollup, the
 * ragged edges of each window from `events`; both without FINAL, since every column is a min, a
 * max or a bit-or and a resent event cannot change it. The rollup is `session_buckets` (storage
 * migration 0006: one row per session, bucket and platform) unless the filter names sources;
 * then it is `session_activity` (0005, keyed by source too, twice the rows for a widget app),
 * reshaped to the same columns. A session may span several rows (buckets, the edges): readers
 * group by `session_key` themselves (a fixed-width key: grouping a million rows by it is several
 * times faster than by the id string).
 *
 * Rows: `cur` (the window's flag), `session_key` (`cityHash64(session_id)`), `at` (the bucket's
 * start: an event's 15-minute bucket, which never straddles a day, week or month in any time
 * zone), `first_at`, `last_at`, `first_tool_call_at` (`NO_TOOL_CALL` without one), `flags`
 * (`FLAG_CONVERTED`, `FLAG_RENDERED`, `FLAG_ENGAGED` — a widget click or form field —,
 * `FLAG_IDENTIFIED` — any user_id).
 */

import type { Fragment } from "@effect/sql/Statement"
import type { ClickhouseClient } from "@effect/sql-clickhouse/ClickhouseClient"
import type { AnalyticsFilter } from "./AnalyticsFilter.js"
import {
  bucketParts,
  bucketsIn,
  flagOf,
  type ProjectScope,
  rollupWhere,
  scopedEventsWhereIn,
  type TimeWindow,
} from "./ProjectScope.js"

type Ch = ClickhouseClient

/** `first_tool_call_at` of a session without a tool call: the largest DateTime64(3) instant. */
export const NO_TOOL_CALL_MS = 10413791999999
export const FLAG_CONVERTED = 1
export const FLAG_RENDERED = 2
export const FLAG_ENGAGED = 4
export const FLAG_IDENTIFIED = 8
const NO_TOOL_CALL = "toDateTime64('2299-12-31 23:59:59.999', 3, 'UTC')"

export type ActivityWindow = TimeWindow

/**
 * The same columns from raw events in the edge ranges, one row per window, session and bucket,
 * cast to the rollup's column types: the union then passes a million rollup rows through as
 * they are (casting those instead doubled the Overview's session query).
 */
const fromEvents = (
  ch: Ch,
  scope: ProjectScope,
  filter: AnalyticsFilter,
  ranges: ReadonlyArray<TimeWindow>,
  perBucket: boolean,
): Fragment =>
  ch`SELECT
       ${flagOf(ch, "timestamp", ranges)} AS cur,
       cityHash64(session_id) AS session_key,
       ${perBucket ? ch`toDateTime(toStartOfFifteenMinutes(timestamp), 'UTC') AS at,` : ch``}
       CAST(min(timestamp) AS SimpleAggregateFunction(min, DateTime64(3, 'UTC'))) AS first_at,
       CAST(max(timestamp) AS SimpleAggregateFunction(max, DateTime64(3, 'UTC'))) AS last_at,
       CAST(min(if(event_type = 'tool_call', timestamp, ${ch.literal(NO_TOOL_CALL)}))
         AS SimpleAggregateFunction(min, DateTime64(3, 'UTC'))) AS first_tool_call_at,
       CAST(groupBitOr(toUInt8(
           (event_type = 'conversion')
           + 2 * (event_type = 'widget_render')
           + 4 * (event_type IN ('widget_click', 'widget_form_field'))
           + 8 * (user_id IS NOT NULL)))
         AS SimpleAggregateFunction(groupBitOr, UInt8)) AS flags
     FROM events
     WHERE ${scopedEventsWhereIn(ch, scope, filter, ranges)}
     GROUP BY cur, session_key${perBucket ? ch`, at` : ch``}`

/**
 * Whole buckets (each range on bucket edges) from a rollup, under the same filters:
 * `session_buckets` as it is, or, with a source filter, `session_activity` reshaped.
 */
const fromRollup = (
  ch: Ch,
  scope: ProjectScope,
  filter: AnalyticsFilter,
  ranges: ReadonlyArray<TimeWindow>,
  perBucket: boolean,
): Fragment => {
  const at = perBucket ? ch`bucket AS at,` : ch``
  const where = rollupWhere(ch, scope, filter, bucketsIn(ch, ranges))
  const cur = flagOf(ch, "bucket", ranges)
  return filter.sources.length === 0
    ? ch`SELECT
           ${cur} AS cur,
           session_key,
           ${at}
           first_at,
           last_at,
           first_tool_call_at,
           flags
         FROM session_buckets
         WHERE ${where}`
    : ch`SELECT
           ${cur} AS cur,
           session_key,
           ${at}
           first_at,
           last_at,
           CAST(ifNull(first_tool_call_at, ${ch.literal(NO_TOOL_CALL)})
             AS SimpleAggregateFunction(min, DateTime64(3, 'UTC'))) AS first_tool_call_at,
           CAST(toUInt8(converted + 2 * rendered + 4 * engaged + 8 * identified)
             AS SimpleAggregateFunction(groupBitOr, UInt8)) AS flags
         FROM session_activity
         WHERE ${where}`
}

/**
 * `(… UNION ALL …)`: the activity rows of every window in two parts at most: the whole buckets
 * of all windows from a rollup, every ragged edge from `events` (issue #7: six parts, one per
 * window and edge, made the Overview's session query a third slower).
 */
export const sessionActivity = (
  ch: Ch,
  scope: ProjectScope,
  filter: AnalyticsFilter,
  windows: ReadonlyArray<ActivityWindow>,
  /** Without `at`: readers that only group by session (the edges then group by session only). */
  options: { readonly perBucket?: boolean } = {},
): Fragment => {
  const { whole, edges } = bucketParts(windows)
  const perBucket = options.perBucket ?? true
  // No edge at all still gives the relation its shape (an empty part when there is no window).
  const parts = [
    ...(whole.length === 0 ? [] : [fromRollup(ch, scope, filter, whole, perBucket)]),
    ...(edges.length === 0 && whole.length > 0 ? [] : [fromEvents(ch, scope, filter, edges, perBucket)]),
  ]
  return ch`(${ch.join(" UNION ALL ", false)(parts)})`
}
