import type { Migration } from "../../Migration.js"

/**
 * `session_buckets`: `session_activity` (0005) without `source` in the key and with fewer,
 * narrower columns, for the readers that do not filter by source (the Overview's session KPIs,
 * the Users view). Issue #7: grouping `session_activity` by session was the Overview's largest
 * query on 10M events; every session of a widget app has server and widget events, so keying by
 * source put two rows per session and bucket where one does. Here:
 *
 * - one row per session, 15-minute bucket and platform (a session keeps one platform: its
 *   client), so a session spans one row unless it crosses a bucket edge;
 * - `first_tool_call_at` is not Nullable: a session without a tool call holds the largest
 *   DateTime64(3) instant, which min() never prefers over a real call (readers test for it);
 * - the four yes/no columns are one bit mask merged with groupBitOr (1 converted, 2 rendered a
 *   widget, 4 clicked or filled a form field, 8 identified), one aggregate instead of four.
 *
 * Every column is still a min, a max or a bit-or: a resent event changes nothing, so the table is
 * exact without FINAL, like `session_activity`, which stays for the readers filtering by source.
 * The backfill reads `session_activity` (already complete for every earlier insert, and a tenth
 * of the rows of `events`); rows the view also wrote for racing inserts change nothing either.
 */
export const migration: Migration = {
  version: 6,
  name: "session_buckets",
  statements: [
    `CREATE TABLE IF NOT EXISTS session_buckets (
  workspace_id LowCardinality(String),
  project_id LowCardinality(String),
  bucket DateTime('UTC'),
  platform LowCardinality(String),
  session_key UInt64,
  first_at SimpleAggregateFunction(min, DateTime64(3, 'UTC')),
  last_at SimpleAggregateFunction(max, DateTime64(3, 'UTC')),
  first_tool_call_at SimpleAggregateFunction(min, DateTime64(3, 'UTC')),
  flags SimpleAggregateFunction(groupBitOr, UInt8)
)
ENGINE = AggregatingMergeTree
PARTITION BY toYYYYMM(bucket)
ORDER BY (workspace_id, project_id, bucket, platform, session_key)`,

    `CREATE MATERIALIZED VIEW IF NOT EXISTS session_buckets_mv TO session_buckets AS
SELECT
  workspace_id,
  project_id,
  toStartOfFifteenMinutes(timestamp) AS bucket,
  ifNull(platform, 'unknown') AS platform,
  cityHash64(session_id) AS session_key,
  min(timestamp) AS first_at,
  max(timestamp) AS last_at,
  min(if(event_type = 'tool_call', timestamp, toDateTime64('2299-12-31 23:59:59.999', 3, 'UTC'))) AS first_tool_call_at,
  groupBitOr(toUInt8(
    (event_type = 'conversion')
    + 2 * (event_type = 'widget_render')
    + 4 * (event_type IN ('widget_click', 'widget_form_field'))
    + 8 * (user_id IS NOT NULL))) AS flags
FROM events
GROUP BY workspace_id, project_id, bucket, platform, session_key`,

    `INSERT INTO session_buckets
SELECT
  workspace_id,
  project_id,
  bucket,
  platform,
  session_key,
  min(first_at),
  max(last_at),
  min(ifNull(first_tool_call_at, toDateTime64('2299-12-31 23:59:59.999', 3, 'UTC'))),
  groupBitOr(toUInt8(converted + 2 * rendered + 4 * engaged + 8 * identified))
FROM session_activity
GROUP BY workspace_id, project_id, bucket, platform, session_key`,
  ],
}
