import type { Migration } from "../../Migration.js"

/**
 * `counted_events` (0005) and its view go: since 0007 every reader uses
 * `counted_events_by_bucket`, which holds the same rows, and each materialized view costs every
 * insert into `events`. The view first, so no insert writes into a table being dropped.
 */
export const migration: Migration = {
  version: 8,
  name: "drop_counted_events",
  statements: ["DROP VIEW IF EXISTS counted_events_mv", "DROP TABLE IF EXISTS counted_events"],
}
