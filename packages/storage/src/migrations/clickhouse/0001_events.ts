import type { Migration } from "../../Migration.js"

/**
 * The one wide table every event lands in (ingest-and-storage.md §2).
 *
 * - ReplacingMergeTree on a key that ends in `event_id`: an SDK retry writes the same row
 *   again and merges keep one. Until a merge runs, readers count with `FINAL` or
 *   `uniqExact(event_id)`.
 * - Free-form payloads (`metadata`, `user_traits`, capture fields) are `String` holding JSON,
 *   not the native `JSON` type. bench/json-columns.ts measured inserts ~1.4x slower with
 *   `JSON` on chDB (it did store a uniform sample smaller and read a key faster). Ingest is
 *   insert-bound, every developer sends different keys (so the typed sub-columns a `JSON`
 *   column builds would differ per project and hit its path limit), and reads pick single
 *   keys with JSONExtract*.
 * - `workspace_id`, `project_id` and `session_id` are NOT NULL although §2 lists them among
 *   the identity columns without a marker: they form the sorting key (which cannot hold
 *   NULLs) and ingest always sets them.
 * - No TTL here: the retention period is configuration (YAVIO_RETENTION_DAYS), applied and
 *   re-applied at start-up by ClickhouseRetention, so this migration's checksum never depends
 *   on the environment.
 */
export const migration: Migration = {
  version: 1,
  name: "events",
  statements: [
    `CREATE TABLE IF NOT EXISTS events (
  event_id String,
  workspace_id String,
  project_id String,
  trace_id Nullable(String),
  session_id String,
  event_type LowCardinality(String),
  event_name Nullable(String),
  timestamp DateTime64(3, 'UTC'),
  platform LowCardinality(Nullable(String)),
  source LowCardinality(String),
  user_id Nullable(String),
  user_traits Nullable(String),
  latency_ms Nullable(Float64),
  status LowCardinality(Nullable(String)),
  error_category LowCardinality(Nullable(String)),
  error_message Nullable(String),
  is_retry UInt8 DEFAULT 0,
  input_keys Nullable(String),
  input_types Nullable(String),
  intent_signals Nullable(String),
  input_values Nullable(String),
  output_values Nullable(String),
  tokens_in Nullable(UInt32),
  tokens_out Nullable(UInt32),
  conversion_value Nullable(Float64),
  conversion_currency LowCardinality(Nullable(String)),
  viewport_width Nullable(UInt16),
  viewport_height Nullable(UInt16),
  scroll_depth_pct Nullable(Float64),
  click_count Nullable(UInt32),
  visible_duration_ms Nullable(Float64),
  field_name Nullable(String),
  nav_from Nullable(String),
  nav_to Nullable(String),
  device_touch Nullable(UInt8),
  device_pixel_ratio Nullable(Float32),
  connection_type LowCardinality(Nullable(String)),
  load_time_ms Nullable(Float64),
  country_code LowCardinality(Nullable(String)),
  protocol_version Nullable(String),
  client_name Nullable(String),
  client_version Nullable(String),
  connection_duration_ms Nullable(Float64),
  step_sequence Nullable(UInt32),
  metadata Nullable(String),
  sdk_version Nullable(String),
  ingested_at DateTime64(3, 'UTC') DEFAULT now64(3),
  INDEX trace_id_bloom trace_id TYPE bloom_filter(0.01) GRANULARITY 1,
  INDEX session_id_bloom session_id TYPE bloom_filter(0.01) GRANULARITY 1,
  INDEX event_name_bloom event_name TYPE bloom_filter(0.01) GRANULARITY 1,
  INDEX user_id_bloom user_id TYPE bloom_filter(0.01) GRANULARITY 1,
  INDEX platform_set platform TYPE set(100) GRANULARITY 4,
  INDEX status_set status TYPE set(100) GRANULARITY 4
)
ENGINE = ReplacingMergeTree
PARTITION BY toYYYYMM(timestamp)
ORDER BY (workspace_id, project_id, event_type, timestamp, event_id)`,
  ],
}
