import type { Migration } from "../../Migration.js"

/**
 * The tools each project's server exposes, from `tool_discovery` events and registration
 * data. ReplacingMergeTree(updated_at) keeps the newest row per tool; the writer carries the
 * original `registered_at` forward, since a replacing merge keeps one whole row. Sorted by
 * workspace first so tenant-filtered reads prune; project ids are unique, so the key is
 * still project + tool.
 */
export const migration: Migration = {
  version: 4,
  name: "tool_registry",
  statements: [
    `CREATE TABLE IF NOT EXISTS tool_registry (
  workspace_id String,
  project_id String,
  tool_name String,
  description Nullable(String),
  input_schema Nullable(String),
  registered_at DateTime64(3, 'UTC'),
  updated_at DateTime64(3, 'UTC') DEFAULT now64(3)
)
ENGINE = ReplacingMergeTree(updated_at)
ORDER BY (workspace_id, project_id, tool_name)`,
  ],
}
