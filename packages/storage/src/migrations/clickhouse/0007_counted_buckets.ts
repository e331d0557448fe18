import type { Migration } from "../../Migration.js"

const COLUMNS = `workspace_id,
  project_id,
  event_type,
  bucket,
  timestamp,
  event_key,
  event_name,
  platform,
  source,
  status,
  error_category,
  error_message,
  trace_id,
  trace_key,
  step_sequence,
  is_retry,
  zero_result,
  latency_ms,
  conversion_value,
  conversion_currency`

/**
 * `counted_events_by_bucket` replaces `counted_events` (0005): the same rows and columns plus
 * `bucket`, the event's 15-minute bucket (UTC), placed in the sort key before the timestamp.
 * Issue #7: on 10M events, reading and comparing the DateTime64 timestamp of every row (for the
 * range, the window flag, the chart bucket) was about half of each Overview, Tools and Errors
 * query. Readers now select a range's whole buckets by `bucket` (4 bytes, nearly constant along
 * the sort order, so it costs next to nothing to read or compare, and the primary key prunes by
 * it) and only the ragged edges by `timestamp`, as `session_activity` readers do. A bucket never
 * straddles an hour, day, week or month of any time zone (every offset is a multiple of 15
 * minutes), so charts group by it first and convert buckets afterwards.
 *
 * Why a new table and not a column on the old one: a skipping index on an added column does not
 * survive FINAL (the engine widens the selection to every granule sharing the key prefix in
 * front of the timestamp, i.e. the project's whole history), and a sort key cannot take an
 * existing column in the middle. The bucket is a function of the timestamp, so the longer key
 * deduplicates exactly as before: two rows collapse only if workspace, project, type, millisecond
 * and the 64-bit id hash agree.
 *
 * Steps: the table, its view (from here on every insert fills both tables), the backfill from
 * `counted_events` (rows the new view also wrote for racing inserts are the same rows, and FINAL
 * keeps one). Migration 0008 then drops the old view and table (no reader is left, and a view
 * costs every insert); apart, so that this one can run again if it stopped half way.
 */
export const migration: Migration = {
  version: 7,
  name: "counted_buckets",
  statements: [
    `CREATE TABLE IF NOT EXISTS counted_events_by_bucket (
  workspace_id LowCardinality(String),
  project_id LowCardinality(String),
  event_type LowCardinality(String),
  bucket DateTime('UTC'),
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
ORDER BY (workspace_id, project_id, event_type, bucket, timestamp, event_key)`,

    `CREATE MATERIALIZED VIEW IF NOT EXISTS counted_events_by_bucket_mv TO counted_events_by_bucket AS
SELECT
  workspace_id,
  project_id,
  event_type,
  toStartOfFifteenMinutes(timestamp) AS bucket,
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

    `INSERT INTO counted_events_by_bucket (${COLUMNS})
SELECT
  workspace_id,
  project_id,
  event_type,
  toStartOfFifteenMinutes(timestamp),
  timestamp,
  event_key,
  event_name,
  platform,
  source,
  status,
  error_category,
  error_message,
  trace_id,
  trace_key,
  step_sequence,
  is_retry,
  zero_result,
  latency_ms,
  conversion_value,
  conversion_currency
FROM counted_events`,
  ],
}
