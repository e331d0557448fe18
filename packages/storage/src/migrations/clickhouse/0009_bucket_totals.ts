import type { Migration } from "../../Migration.js"

/**
 * `bucket_totals`: per project, event type and 15-minute bucket, the deduplicated counts and
 * sums of `counted_events_by_bucket` (tool calls: events, errors, latency sum and count;
 * conversions: events and value per currency) by platform, source and name. Issue #7: the
 * Overview's charts and KPIs scanned every tool call of the range (4.5M rows for a week of
 * 10M events) to count what had not changed since the last page load.
 *
 * Not a materialized view: a view sums what each insert carries, so an event an SDK resent
 * (same event_id) would count twice. The analytics service fills it instead, from
 * `counted_events_by_bucket FINAL`, for the closed buckets a page read (one fill's rows share its `filled_at`).
 * A reader uses a bucket's fill only while it is still true: the fill's total events must equal
 * the rows the bucket holds now (analytics `BucketTotals.ts` says why that is exact). Whatever
 * removes events (retention TTL, project purge) also removes this table's rows.
 *
 * ReplacingMergeTree by `filled_at`: a newer fill replaces an older one's rows key by key as
 * parts merge, so refills of a bucket that gained late events do not pile up.
 */
export const migration: Migration = {
  version: 9,
  name: "bucket_totals",
  statements: [
    `CREATE TABLE IF NOT EXISTS bucket_totals (
  workspace_id LowCardinality(String),
  project_id LowCardinality(String),
  event_type LowCardinality(String),
  bucket DateTime('UTC'),
  platform LowCardinality(String),
  source LowCardinality(String),
  event_name String,
  currency String,
  events UInt64,
  errors UInt64,
  latency_sum Float64,
  latency_count UInt64,
  value_sum Float64,
  filled_at DateTime64(3, 'UTC')
)
ENGINE = ReplacingMergeTree(filled_at)
PARTITION BY toYYYYMM(bucket)
ORDER BY (workspace_id, project_id, event_type, bucket, platform, source, event_name, currency)`,
  ],
}
