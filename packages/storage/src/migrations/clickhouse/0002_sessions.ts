import type { Migration } from "../../Migration.js"

/**
 * Per-session aggregates: `sessions_agg` holds them, the materialized view `sessions_mv`
 * fills it from every insert into `events`, and readers select from `sessions_mv` (which
 * reads its target) with the -Merge functions, grouped by session.
 *
 * Every column is an aggregate state or a SimpleAggregateFunction, never a plain value: an
 * AggregatingMergeTree keeps an arbitrary block's plain value when it merges, so a plain
 * `count()` column silently loses the other inserts' counts.
 *
 * Each state is also idempotent under a retried insert (the same event_id again): counts are
 * uniqExact over event_id, revenue is the set of (event_id, currency, value) summed per
 * currency when read, times are min/max. So the view is right before `events` deduplicates.
 *
 * Column names carry their merge (`_state` → -Merge, `_min`, `_max`) so a reader's alias
 * (`event_count`) never shadows a stored column.
 */
export const migration: Migration = {
  version: 2,
  name: "sessions",
  statements: [
    `CREATE TABLE IF NOT EXISTS sessions_agg (
  workspace_id String,
  project_id String,
  session_id String,
  user_id_state AggregateFunction(argMax, Nullable(String), DateTime64(3, 'UTC')),
  session_start_min SimpleAggregateFunction(min, DateTime64(3, 'UTC')),
  session_end_max SimpleAggregateFunction(max, DateTime64(3, 'UTC')),
  platform_state AggregateFunction(argMax, Nullable(String), DateTime64(3, 'UTC')),
  country_code_state AggregateFunction(argMax, Nullable(String), DateTime64(3, 'UTC')),
  tool_count_state AggregateFunction(uniqExactIf, Nullable(String), UInt8),
  invocation_count_state AggregateFunction(uniqExactIf, String, UInt8),
  event_count_state AggregateFunction(uniqExact, String),
  conversion_count_state AggregateFunction(uniqExactIf, String, UInt8),
  revenue_state AggregateFunction(groupUniqArrayIf, Tuple(String, String, Float64), UInt8),
  has_widget_max SimpleAggregateFunction(max, UInt8),
  first_widget_render_min SimpleAggregateFunction(min, Nullable(DateTime64(3, 'UTC'))),
  first_widget_click_min SimpleAggregateFunction(min, Nullable(DateTime64(3, 'UTC')))
)
ENGINE = AggregatingMergeTree
ORDER BY (workspace_id, project_id, session_id)`,

    // argMax skips NULL arguments, which is what "last non-null user_id" means. minIf over a
    // Nullable timestamp stays NULL for a session without that widget event.
    `CREATE MATERIALIZED VIEW IF NOT EXISTS sessions_mv TO sessions_agg AS
SELECT
  workspace_id,
  project_id,
  session_id,
  argMaxState(user_id, timestamp) AS user_id_state,
  min(timestamp) AS session_start_min,
  max(timestamp) AS session_end_max,
  argMaxState(platform, timestamp) AS platform_state,
  argMaxState(country_code, timestamp) AS country_code_state,
  uniqExactIfState(event_name, event_type = 'tool_call') AS tool_count_state,
  uniqExactIfState(event_id, event_type = 'tool_call') AS invocation_count_state,
  uniqExactState(event_id) AS event_count_state,
  uniqExactIfState(event_id, event_type = 'conversion') AS conversion_count_state,
  groupUniqArrayIfState(
    (event_id, CAST(ifNull(conversion_currency, '') AS String), assumeNotNull(conversion_value)),
    event_type = 'conversion' AND conversion_value IS NOT NULL
  ) AS revenue_state,
  max(event_type = 'widget_render') AS has_widget_max,
  minIf(toNullable(timestamp), event_type = 'widget_render') AS first_widget_render_min,
  minIf(toNullable(timestamp), event_type = 'widget_click') AS first_widget_click_min
FROM events
GROUP BY workspace_id, project_id, session_id`,
  ],
}
