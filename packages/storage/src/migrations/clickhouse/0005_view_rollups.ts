import type { Migration } from "../../Migration.js"

/**
 * Two narrow tables the analytics views read instead of scanning `events` (issue #7: the
 * views on 10M events). Both are fed by materialized views on every insert into `events` and
 * backfilled here from what `events` already holds, so an existing store is complete as soon
 * as this migration ran (the backfill may take a while on a large store; it runs once).
 *
 * `counted_events`: the events whose rows the views count, sum or put in order (`tool_call`,
 * `conversion`, `widget_error`, `step`, `widget_render`, `widget_click`: 2/3 of a typical
 * stream), only the columns those views read. Counting needs deduplication (an SDK resend is
 * the same event_id twice, in two inserts), and a materialized view sees each insert, so a
 * pre-aggregated count would count a resend twice. This table is instead a ReplacingMergeTree,
 * one row per event like `events`, read with FINAL where duplicates matter; what makes it
 * cheap is its width: the dedup key is a UInt64 (`cityHash64(event_id)`) instead of the 36-byte
 * id string, traces are a UInt64 too (`trace_key`, 0 for none: funnels and time to first
 * interaction group by it), tenant and labels are LowCardinality, `zero_result` is extracted
 * from the metadata JSON once, at insert, and the error message and trace id strings are kept
 * only where a view shows them (failed calls for the error list; steps and conversions for a
 * funnel's example traces) — NULL elsewhere costs next to nothing to store or read. Two
 * different events would only collapse if they shared workspace, project, type, millisecond
 * and a 64-bit hash.
 *
 * `session_activity`: per session and 15-minute bucket (and platform and source, the views'
 * filters), the session's first and last event, first tool call, and whether it converted,
 * rendered a widget, engaged with it, or was identified. Every column is a min or max, so a
 * resent event changes nothing: the table is exact without FINAL. Fifteen minutes because
 * every time zone's offset is a multiple of it, so a bucket never straddles a day, week or
 * month in the viewer's zone; readers take whole buckets from here and the ragged edges of a
 * range from `events`. The platform is stored as the filter compares it (`unknown` for none).
 * Sessions are keyed by a 64-bit hash of their id: readers group a million rows by it, and a
 * fixed-width key groups several times faster than a string (two sessions of a project would
 * have to collide in 64 bits to be counted as one).
 */
export const migration: Migration = {
  version: 5,
  name: "view_rollups",
  statements: [
    `CREATE TABLE IF NOT EXISTS counted_events (
  workspace_id LowCardinality(String),
  project_id LowCardinality(String),
  event_type LowCardinality(String),
  timestamp DateTime64(3, 'UTC'),
  event_key UInt64,
  event_name LowCardinality(Nullable(String)),
  platform LowCardinality(String),
  source LowCardinality(String),
  status LowCardinality(Nullable(String)),
  error_category LowCardinality(Nullable(String)),
  error_message Nullable(String),
  trace_id Nullable(String),
  trace_key UInt64,
  step_sequence Nullable(UInt32),
  is_retry UInt8,
  zero_result UInt8,
  latency_ms Nullable(Float64),
  conversion_value Nullable(Float64),
  conversion_currency LowCardinality(Nullable(String))
)
ENGINE = ReplacingMergeTree
PARTITION BY toYYYYMM(timestamp)
ORDER BY (workspace_id, project_id, event_type, timestamp, event_key)`,

    `CREATE MATERIALIZED VIEW IF NOT EXISTS counted_events_mv TO counted_events AS
SELECT
  workspace_id,
  project_id,
  event_type,
  timestamp,
  cityHash64(event_id) AS event_key,
  event_name,
  ifNull(platform, 'unknown') AS platform,
  source,
  status,
  error_category,
  if(status = 'error', error_message, NULL) AS error_message,
  if(status = 'error' OR event_type IN ('step', 'conversion'), trace_id, NULL) AS trace_id,
  -- events.trace_id: the bare name would be the alias above, NULL for most types.
  if(events.trace_id IS NULL, 0, cityHash64(events.trace_id)) AS trace_key,
  step_sequence,
  is_retry,
  toUInt8(JSONExtractBool(ifNull(metadata, '{}'), 'zero_result')) AS zero_result,
  latency_ms,
  conversion_value,
  conversion_currency
FROM events
WHERE event_type IN ('tool_call', 'conversion', 'widget_error', 'step', 'widget_render', 'widget_click')`,

    // Rows the view also wrote (inserts racing this statement) are the same rows: FINAL keeps one.
    `INSERT INTO counted_events
SELECT
  workspace_id,
  project_id,
  event_type,
  timestamp,
  cityHash64(event_id),
  event_name,
  ifNull(platform, 'unknown'),
  source,
  status,
  error_category,
  if(status = 'error', error_message, NULL),
  if(status = 'error' OR event_type IN ('step', 'conversion'), trace_id, NULL),
  if(trace_id IS NULL, 0, cityHash64(trace_id)),
  step_sequence,
  is_retry,
  toUInt8(JSONExtractBool(ifNull(metadata, '{}'), 'zero_result')),
  latency_ms,
  conversion_value,
  conversion_currency
FROM events
WHERE event_type IN ('tool_call', 'conversion', 'widget_error', 'step', 'widget_render', 'widget_click')`,

    `CREATE TABLE IF NOT EXISTS session_activity (
  workspace_id LowCardinality(String),
  project_id LowCardinality(String),
  bucket DateTime('UTC'),
  platform LowCardinality(String),
  source LowCardinality(String),
  session_key UInt64,
  first_at SimpleAggregateFunction(min, DateTime64(3, 'UTC')),
  last_at SimpleAggregateFunction(max, DateTime64(3, 'UTC')),
  first_tool_call_at SimpleAggregateFunction(min, Nullable(DateTime64(3, 'UTC'))),
  converted SimpleAggregateFunction(max, UInt8),
  rendered SimpleAggregateFunction(max, UInt8),
  engaged SimpleAggregateFunction(max, UInt8),
  identified SimpleAggregateFunction(max, UInt8)
)
ENGINE = AggregatingMergeTree
PARTITION BY toYYYYMM(bucket)
ORDER BY (workspace_id, project_id, bucket, platform, source, session_key)`,

    `CREATE MATERIALIZED VIEW IF NOT EXISTS session_activity_mv TO session_activity AS
SELECT
  workspace_id,
  project_id,
  toStartOfFifteenMinutes(timestamp) AS bucket,
  ifNull(platform, 'unknown') AS platform,
  source,
  cityHash64(session_id) AS session_key,
  min(timestamp) AS first_at,
  max(timestamp) AS last_at,
  minIf(toNullable(timestamp), event_type = 'tool_call') AS first_tool_call_at,
  max(toUInt8(event_type = 'conversion')) AS converted,
  max(toUInt8(event_type = 'widget_render')) AS rendered,
  max(toUInt8(event_type IN ('widget_click', 'widget_form_field'))) AS engaged,
  max(toUInt8(user_id IS NOT NULL)) AS identified
FROM events
GROUP BY workspace_id, project_id, bucket, platform, source, session_key`,

    // Min and max: rows the view also wrote for racing inserts change nothing.
    `INSERT INTO session_activity
SELECT
  workspace_id,
  project_id,
  toStartOfFifteenMinutes(timestamp) AS bucket,
  ifNull(platform, 'unknown') AS platform_key,
  source,
  cityHash64(session_id) AS session_key,
  min(timestamp),
  max(timestamp),
  minIf(toNullable(timestamp), event_type = 'tool_call'),
  max(toUInt8(event_type = 'conversion')),
  max(toUInt8(event_type = 'widget_render')),
  max(toUInt8(event_type IN ('widget_click', 'widget_form_field'))),
  max(toUInt8(user_id IS NOT NULL))
FROM events
GROUP BY workspace_id, project_id, bucket, platform_key, source, session_key`,
  ],
}
