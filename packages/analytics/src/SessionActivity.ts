/**
 * Per-session activity in one or more windows, for the views that aggregate sessions (the
 * Overview's session KPIs, the Users view). Whole 15-minute buckets come from the
 * `session_activity` rollup (storage migration 0005), the ragged edges of each window from
 * `events`; both without FINAL, since every column is a min or a max and a resent event
 * cannot change it. A session may span several rows (buckets, platforms, sources, the edges):
 * readers group by `session_key` themselves (a fixed-width key: grouping a million rows by it
 * is several times faster than by the id string).
 *
 * Rows: `cur` (the window's flag), `session_key` (`cityHash64(session_id)`), `at` (the bucket's start: an event's
 * 15-minute bucket, which never straddles a day, week or month in any time zone), `first_at`,
 * `last_at`, `first_tool_call_at` (NULL without one), `converted`, `rendered`, `engaged`
 * (a widget click or form field), `identified` (any user_id).
 */

import type { Fragment } from "@effect/sql/Statement"
import type { ClickhouseClient } from "@effect/sql-clickhouse/ClickhouseClient"
import type { AnalyticsFilter } from "./AnalyticsFilter.js"
import { instant, type ProjectScope, scopedEventsWhere } from "./ProjectScope.js"

type Ch = ClickhouseClient

export interface ActivityWindow {
  readonly from: Date
  readonly to: Date
  /** 1 for the selected window, 0 for the previous one (trends). */
  readonly cur: 0 | 1
}

const BUCKET_MS = 15 * 60 * 1000

/**
 * The same columns from raw events in `[from, to)`, one row per session and bucket, cast to the
 * rollup's column types: the union then passes a million rollup rows through as they are
 * (casting those instead doubled the Overview's session query).
 */
const fromEvents = (
  ch: Ch,
  scope: ProjectScope,
  filter: AnalyticsFilter,
  cur: 0 | 1,
  range: { readonly from: Date; readonly to: Date },
): Fragment =>
  ch`SELECT
       toUInt8(${ch.literal(String(cur))}) AS cur,
       cityHash64(session_id) AS session_key,
       toDateTime(toStartOfFifteenMinutes(timestamp), 'UTC') AS at,
       CAST(min(timestamp) AS SimpleAggregateFunction(min, DateTime64(3, 'UTC'))) AS first_at,
       CAST(max(timestamp) AS SimpleAggregateFunction(max, DateTime64(3, 'UTC'))) AS last_at,
       CAST(minIf(toNullable(timestamp), event_type = 'tool_call')
         AS SimpleAggregateFunction(min, Nullable(DateTime64(3, 'UTC')))) AS first_tool_call_at,
       CAST(max(toUInt8(event_type = 'conversion')) AS SimpleAggregateFunction(max, UInt8)) AS converted,
       CAST(max(toUInt8(event_type = 'widget_render')) AS SimpleAggregateFunction(max, UInt8)) AS rendered,
       CAST(max(toUInt8(event_type IN ('widget_click', 'widget_form_field')))
         AS SimpleAggregateFunction(max, UInt8)) AS engaged,
       CAST(max(toUInt8(user_id IS NOT NULL)) AS SimpleAggregateFunction(max, UInt8)) AS identified
     FROM events
     WHERE ${scopedEventsWhere(ch, scope, filter, range)}
     GROUP BY session_key, at`

/** Whole buckets `[from, to)` (both on bucket edges) from the rollup, under the same filters. */
const fromRollup = (
  ch: Ch,
  scope: ProjectScope,
  filter: AnalyticsFilter,
  cur: 0 | 1,
  range: { readonly from: Date; readonly to: Date },
): Fragment =>
  ch`SELECT
       toUInt8(${ch.literal(String(cur))}) AS cur,
       session_key,
       bucket AS at,
       first_at,
       last_at,
       first_tool_call_at,
       converted,
       rendered,
       engaged,
       identified
     FROM session_activity
     WHERE ${ch.and([
       ch`workspace_id = ${scope.workspaceId}`,
       ch`project_id = ${scope.projectId}`,
       ch`bucket >= ${instant(ch, range.from)}`,
       ch`bucket < ${instant(ch, range.to)}`,
       ...(filter.platforms.length === 0
         ? []
         : [ch`platform IN ${ch.param("Array(String)", filter.platforms)}`]),
       ...(filter.sources.length === 0 ? [] : [ch`source IN ${ch.param("Array(String)", filter.sources)}`]),
     ])}`

/** `(… UNION ALL …)`: the activity rows of every window, whole buckets from the rollup. */
export const sessionActivity = (
  ch: Ch,
  scope: ProjectScope,
  filter: AnalyticsFilter,
  windows: ReadonlyArray<ActivityWindow>,
): Fragment => {
  const parts: Array<Fragment> = []
  for (const { from, to, cur } of windows) {
    if (from.getTime() >= to.getTime()) continue
    const firstWhole = Math.ceil(from.getTime() / BUCKET_MS) * BUCKET_MS
    const lastWhole = Math.floor(to.getTime() / BUCKET_MS) * BUCKET_MS
    if (firstWhole >= lastWhole) {
      parts.push(fromEvents(ch, scope, filter, cur, { from, to }))
      continue
    }
    if (from.getTime() < firstWhole) {
      parts.push(fromEvents(ch, scope, filter, cur, { from, to: new Date(firstWhole) }))
    }
    parts.push(fromRollup(ch, scope, filter, cur, { from: new Date(firstWhole), to: new Date(lastWhole) }))
    if (lastWhole < to.getTime()) {
      parts.push(fromEvents(ch, scope, filter, cur, { from: new Date(lastWhole), to }))
    }
  }
  // No window at all: an empty relation of the same shape.
  if (parts.length === 0) {
    return ch`(${fromEvents(ch, scope, filter, 1, { from: new Date(0), to: new Date(0) })})`
  }
  return ch`(${ch.join(" UNION ALL ", false)(parts)})`
}
