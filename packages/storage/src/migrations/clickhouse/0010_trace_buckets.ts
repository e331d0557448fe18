import type { Migration } from "../../Migration.js"

const NEVER = "toDateTime64('2299-12-31 23:59:59.999', 3, 'UTC')"

/**
 * `trace_buckets`: per trace and 15-minute bucket, its first widget render and first widget click
 * (the largest DateTime64(3) instant for none). Issue #7: the Overview's time to first
 * interaction (dashboard.md §3.2 #9) grouped every render and click of the range by trace (500k
 * rows for a week of 10M events); here a trace is one row unless it crosses a bucket edge.
 *
 * Both columns are a min: a resent event changes nothing, so the table is exact without FINAL,
 * like `session_buckets`. Keyed by platform and source as the views filter by them. The backfill
 * reads `counted_events_by_bucket`, which holds every render and click with its trace's hash.
 */
export const migration: Migration = {
  version: 10,
  name: "trace_buckets",
  statements: [
    `CREATE TABLE IF NOT EXISTS trace_buckets (
  workspace_id LowCardinality(String),
  project_id LowCardinality(String),
  bucket DateTime('UTC'),
  platform LowCardinality(String),
  source LowCardinality(String),
  trace_key UInt64,
  first_render_at SimpleAggregateFunction(min, DateTime64(3, 'UTC')),
  first_click_at SimpleAggregateFunction(min, DateTime64(3, 'UTC'))
)
ENGINE = AggregatingMergeTree
PARTITION BY toYYYYMM(bucket)
ORDER BY (workspace_id, project_id, bucket, platform, source, trace_key)`,

    `CREATE MATERIALIZED VIEW IF NOT EXISTS trace_buckets_mv TO trace_buckets AS
SELECT
  workspace_id,
  project_id,
  toStartOfFifteenMinutes(timestamp) AS bucket,
  ifNull(platform, 'unknown') AS platform,
  source,
  cityHash64(assumeNotNull(trace_id)) AS trace_key,
  min(if(event_type = 'widget_render', timestamp, ${NEVER})) AS first_render_at,
  min(if(event_type = 'widget_click', timestamp, ${NEVER})) AS first_click_at
FROM events
WHERE event_type IN ('widget_render', 'widget_click') AND trace_id IS NOT NULL
GROUP BY workspace_id, project_id, bucket, platform, source, trace_key`,

    `INSERT INTO trace_buckets
SELECT
  workspace_id,
  project_id,
  bucket,
  platform,
  source,
  trace_key,
  min(if(event_type = 'widget_render', timestamp, ${NEVER})),
  min(if(event_type = 'widget_click', timestamp, ${NEVER}))
FROM counted_events_by_bucket
WHERE event_type IN ('widget_render', 'widget_click') AND trace_key != 0
GROUP BY workspace_id, project_id, bucket, platform, source, trace_key`,
  ],
}
