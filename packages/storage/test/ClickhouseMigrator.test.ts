import { ClickhouseClient } from "@effect/sql-clickhouse/ClickhouseClient"
import { expect, layer } from "@effect/vitest"
import { Effect, Layer } from "effect"
import { ClickhouseMigrator } from "../src/ClickhouseMigrator.js"
import { StorageConfig } from "../src/StorageConfig.js"
import { clickhouseBackends, resetDatabase } from "./support/clickhouseBackends.js"

const allIds = [
  "0001_events",
  "0002_sessions",
  "0003_users",
  "0004_tool_registry",
  "0005_view_rollups",
  "0006_session_buckets",
  "0007_counted_buckets",
  "0008_drop_counted_events",
  "0009_bucket_totals",
  "0010_trace_buckets",
]
const retentionTables = [
  "events",
  "sessions_agg",
  "users_agg",
  "counted_events_by_bucket",
  "session_activity",
  "session_buckets",
  "bucket_totals",
  "trace_buckets",
]

/** The columns of `events`, in the order of ingest-and-storage.md §2. */
const eventColumns = [
  "event_id",
  "workspace_id",
  "project_id",
  "trace_id",
  "session_id",
  "event_type",
  "event_name",
  "timestamp",
  "platform",
  "source",
  "user_id",
  "user_traits",
  "latency_ms",
  "status",
  "error_category",
  "error_message",
  "is_retry",
  "input_keys",
  "input_types",
  "intent_signals",
  "input_values",
  "output_values",
  "tokens_in",
  "tokens_out",
  "conversion_value",
  "conversion_currency",
  "viewport_width",
  "viewport_height",
  "scroll_depth_pct",
  "click_count",
  "visible_duration_ms",
  "field_name",
  "nav_from",
  "nav_to",
  "device_touch",
  "device_pixel_ratio",
  "connection_type",
  "load_time_ms",
  "country_code",
  "protocol_version",
  "client_name",
  "client_version",
  "connection_duration_ms",
  "step_sequence",
  "metadata",
  "sdk_version",
  "ingested_at",
]

const migrate = Effect.flatMap(ClickhouseMigrator, (m) => m.run).pipe(
  Effect.provide(ClickhouseMigrator.layer),
)

/** The migrator as a process started with another YAVIO_RETENTION_DAYS would build it. */
const migrateWithRetention = (days: number) =>
  Effect.gen(function* () {
    const config = yield* StorageConfig
    return yield* Effect.flatMap(ClickhouseMigrator, (m) => m.run).pipe(
      Effect.provide(
        ClickhouseMigrator.layer.pipe(
          Layer.provide(StorageConfig.layerWith({ ...config, retentionDays: days })),
        ),
      ),
    )
  })

const engineOf = (table: string) =>
  Effect.gen(function* () {
    const ch = yield* ClickhouseClient
    const [row] = yield* ch<{ engine_full: string }>`
      SELECT engine_full FROM system.tables WHERE database = currentDatabase() AND name = ${table}`
    return row?.engine_full ?? ""
  })

for (const backend of clickhouseBackends("ch-migrations")) {
  const label = backend.label
  layer(backend.layer, { timeout: "60 seconds", excludeTestServices: true })(
    `clickhouse migrations [${label}]`,
    (it) => {
      it.effect(`creates every table, view and index [${label}]`, () =>
        Effect.gen(function* () {
          yield* resetDatabase
          const report = yield* migrate
          expect(report.applied).toEqual(allIds)
          expect(report.retention).toEqual({ days: 90, changed: retentionTables })

          const ch = yield* ClickhouseClient
          const tables = yield* ch<{ name: string; engine: string }>`
          SELECT name, engine FROM system.tables WHERE database = currentDatabase() ORDER BY name`
          expect(tables).toEqual([
            { name: "bucket_totals", engine: "ReplacingMergeTree" },
            { name: "counted_events_by_bucket", engine: "ReplacingMergeTree" },
            { name: "counted_events_by_bucket_mv", engine: "MaterializedView" },
            { name: "events", engine: "ReplacingMergeTree" },
            { name: "schema_migrations", engine: "ReplacingMergeTree" },
            { name: "session_activity", engine: "AggregatingMergeTree" },
            { name: "session_activity_mv", engine: "MaterializedView" },
            { name: "session_buckets", engine: "AggregatingMergeTree" },
            { name: "session_buckets_mv", engine: "MaterializedView" },
            { name: "sessions_agg", engine: "AggregatingMergeTree" },
            { name: "sessions_mv", engine: "MaterializedView" },
            { name: "tool_registry", engine: "ReplacingMergeTree" },
            { name: "trace_buckets", engine: "AggregatingMergeTree" },
            { name: "trace_buckets_mv", engine: "MaterializedView" },
            { name: "users_agg", engine: "AggregatingMergeTree" },
            { name: "users_mv", engine: "MaterializedView" },
          ])

          const events = yield* engineOf("events")
          expect(events).toContain("PARTITION BY toYYYYMM(timestamp)")
          expect(events).toContain("ORDER BY (workspace_id, project_id, event_type, timestamp, event_id)")
          expect(events).toContain("TTL timestamp + toIntervalDay(90)")
          expect(yield* engineOf("tool_registry")).toMatch(
            /^ReplacingMergeTree\(updated_at\) ORDER BY \(workspace_id, project_id, tool_name\)/,
          )

          const columns = yield* ch<{ name: string }>`
          SELECT name FROM system.columns WHERE database = currentDatabase() AND table = 'events' ORDER BY position`
          expect(columns.map((c) => c.name)).toEqual(eventColumns)

          const indexes = yield* ch<{ name: string; expr: string; type_full: string }>`
          SELECT name, expr, type_full FROM system.data_skipping_indices
          WHERE database = currentDatabase() AND table = 'events' ORDER BY name`
          expect(indexes.map((i) => [i.expr, i.type_full])).toEqual([
            ["event_name", "bloom_filter(0.01)"],
            ["platform", "set(100)"],
            ["session_id", "bloom_filter(0.01)"],
            ["status", "set(100)"],
            ["trace_id", "bloom_filter(0.01)"],
            ["user_id", "bloom_filter(0.01)"],
          ])

          // The rule the aggregates rest on: outside the key, no plain columns.
          const plain = yield* ch<{ table: string; name: string; type: string }>`
          SELECT table, name, type FROM system.columns
          WHERE database = currentDatabase() AND table IN ('sessions_agg', 'users_agg', 'session_activity', 'session_buckets')
            AND NOT is_in_sorting_key
            AND NOT startsWith(type, 'AggregateFunction(') AND NOT startsWith(type, 'SimpleAggregateFunction(')`
          expect(plain).toEqual([])
        }),
      )

      it.effect(`a second run applies nothing [${label}]`, () =>
        Effect.gen(function* () {
          yield* resetDatabase
          yield* migrate
          const again = yield* migrate
          expect(again).toEqual({ applied: [], skipped: allIds, retention: { days: 90, changed: [] } })
        }),
      )

      it.effect(`a changed YAVIO_RETENTION_DAYS changes the TTL at start-up [${label}]`, () =>
        Effect.gen(function* () {
          yield* resetDatabase
          yield* migrate
          const changed = yield* migrateWithRetention(30)
          expect(changed.retention).toEqual({ days: 30, changed: retentionTables })
          expect(yield* engineOf("events")).toContain("TTL timestamp + toIntervalDay(30)")
          expect(yield* engineOf("sessions_agg")).toContain("TTL session_end_max + toIntervalDay(30)")
          expect(yield* engineOf("users_agg")).toContain("TTL last_seen_max + toIntervalDay(30)")
          expect(yield* engineOf("counted_events_by_bucket")).toContain("TTL timestamp + toIntervalDay(30)")
          expect(yield* engineOf("session_activity")).toContain("TTL last_at + toIntervalDay(30)")
          expect(yield* engineOf("session_buckets")).toContain("TTL last_at + toIntervalDay(30)")
          const unchanged = yield* migrateWithRetention(30)
          expect(unchanged.retention.changed).toEqual([])
        }),
      )

      it.effect(`a changed applied migration fails with YAVIO-5007 [${label}]`, () =>
        Effect.gen(function* () {
          yield* resetDatabase
          yield* migrate
          const ch = yield* ClickhouseClient
          // The newest row per version wins under FINAL: this stands for an edited migration.
          yield* ch.asCommand(
            ch`INSERT INTO schema_migrations (version, name, checksum) VALUES (2, 'sessions', ${"0".repeat(64)})`,
          )
          const error = yield* Effect.flip(migrate)
          expect(error._tag).toBe("ClickhouseMigrationFailed")
          expect(error.code).toBe("YAVIO-5007")
          expect(error.message).toContain("0002_sessions has changed")
        }),
      )
    },
  )
}
