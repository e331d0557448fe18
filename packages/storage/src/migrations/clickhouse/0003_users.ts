import type { Migration } from "../../Migration.js"

/**
 * Per-user aggregates over identified events (`user_id` set): `users_agg` filled by the
 * materialized view `users_mv`; same rules as the sessions aggregate.
 *
 * Counts use `uniq` rather than `uniqExact`: a user's history is unbounded, and `uniq` keeps
 * at most 65,536 hashes per state (exact below that, approximate above), where `uniqExact`
 * would keep every event id of every user. Both ignore a retried event_id.
 */
export const migration: Migration = {
  version: 3,
  name: "users",
  statements: [
    `CREATE TABLE IF NOT EXISTS users_agg (
  workspace_id String,
  project_id String,
  user_id String,
  first_seen_min SimpleAggregateFunction(min, DateTime64(3, 'UTC')),
  last_seen_max SimpleAggregateFunction(max, DateTime64(3, 'UTC')),
  total_events_state AggregateFunction(uniq, String),
  total_sessions_state AggregateFunction(uniq, String),
  total_tool_calls_state AggregateFunction(uniqIf, String, UInt8),
  total_conversions_state AggregateFunction(uniqIf, String, UInt8),
  revenue_state AggregateFunction(groupUniqArrayIf, Tuple(String, String, Float64), UInt8),
  latest_traits_state AggregateFunction(argMax, Nullable(String), DateTime64(3, 'UTC')),
  last_platform_state AggregateFunction(argMax, Nullable(String), DateTime64(3, 'UTC')),
  last_country_state AggregateFunction(argMax, Nullable(String), DateTime64(3, 'UTC'))
)
ENGINE = AggregatingMergeTree
ORDER BY (workspace_id, project_id, user_id)`,

    // user_id is Nullable in events; rows reaching the target have it set (WHERE), and the
    // view's conversion to the target's String column succeeds for exactly those. No alias
    // named user_id: it would replace the column inside WHERE too.
    `CREATE MATERIALIZED VIEW IF NOT EXISTS users_mv TO users_agg AS
SELECT
  workspace_id,
  project_id,
  user_id,
  min(timestamp) AS first_seen_min,
  max(timestamp) AS last_seen_max,
  uniqState(event_id) AS total_events_state,
  uniqState(session_id) AS total_sessions_state,
  uniqIfState(event_id, event_type = 'tool_call') AS total_tool_calls_state,
  uniqIfState(event_id, event_type = 'conversion') AS total_conversions_state,
  groupUniqArrayIfState(
    (event_id, CAST(ifNull(conversion_currency, '') AS String), assumeNotNull(conversion_value)),
    event_type = 'conversion' AND conversion_value IS NOT NULL
  ) AS revenue_state,
  argMaxState(user_traits, timestamp) AS latest_traits_state,
  argMaxState(platform, timestamp) AS last_platform_state,
  argMaxState(country_code, timestamp) AS last_country_state
FROM events
WHERE user_id IS NOT NULL
GROUP BY workspace_id, project_id, user_id`,
  ],
}
