/**
 * Per trace in one or more windows, its first widget render and first widget click, for the
 * Overview's time to first interaction (dashboard.md §3.2 #9). Whole 15-minute buckets come from
 * `trace_buckets` (storage migration 0010: one row per trace, bucket, platform and source), the
 * ragged edges of the windows from `counted_events_by_bucket`; both without FINAL, since both
 * columns are a min and a resent event cannot change one. A trace may span several rows (a
 * bucket edge, two sources): readers group by `cur` and `trace_key` themselves.
 *
 * Rows: `cur` (the window's flag), `trace_key` (`cityHash64(trace_id)`), `first_render_at`,
 * `first_click_at` (`NEVER_MS` for none).
 */

import type { Fragment } from "@effect/sql/Statement"
import type { ClickhouseClient } from "@effect/sql-clickhouse/ClickhouseClient"
import type { AnalyticsFilter } from "./AnalyticsFilter.js"
import {
  bucketParts,
  bucketsIn,
  countedParts,
  flagOf,
  type ProjectScope,
  rollupWhere,
  type TimeWindow,
} from "./ProjectScope.js"

type Ch = ClickhouseClient

/** A trace without a render or a click holds the largest DateTime64(3) instant for it. */
export const NEVER_MS = 10413791999999
const NEVER = "toDateTime64('2299-12-31 23:59:59.999', 3, 'UTC')"

/** `(… UNION ALL …)`: the rows of every window, whole buckets from the rollup. */
export const traceActivity = (
  ch: Ch,
  scope: ProjectScope,
  filter: AnalyticsFilter,
  windows: ReadonlyArray<TimeWindow>,
): Fragment => {
  const { whole, edges } = bucketParts(windows)
  const never = ch.literal(NEVER)
  const fromRollup = ch`SELECT ${flagOf(ch, "bucket", whole)} AS cur, trace_key, first_render_at, first_click_at
    FROM trace_buckets
    WHERE ${rollupWhere(ch, scope, filter, bucketsIn(ch, whole))}`
  const fromEvents = ch`SELECT
      cur,
      trace_key,
      CAST(min(if(event_type = 'widget_render', timestamp, ${never}))
        AS SimpleAggregateFunction(min, DateTime64(3, 'UTC'))) AS first_render_at,
      CAST(min(if(event_type = 'widget_click', timestamp, ${never}))
        AS SimpleAggregateFunction(min, DateTime64(3, 'UTC'))) AS first_click_at
    FROM ${countedParts(ch, scope, filter, { whole: [], edges }, { eventTypes: ["widget_render", "widget_click"], dedup: false })}
    WHERE trace_key != 0
    GROUP BY cur, trace_key`
  const parts = [
    ...(whole.length === 0 ? [] : [fromRollup]),
    ...(edges.length === 0 && whole.length > 0 ? [] : [fromEvents]),
  ]
  return ch`(${ch.join(" UNION ALL ", false)(parts)})`
}
