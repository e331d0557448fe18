import type { Migration } from "../../Migration.js"
import { migration as events } from "./0001_events.js"
import { migration as sessions } from "./0002_sessions.js"
import { migration as users } from "./0003_users.js"
import { migration as toolRegistry } from "./0004_tool_registry.js"
import { migration as viewRollups } from "./0005_view_rollups.js"
import { migration as sessionBuckets } from "./0006_session_buckets.js"
import { migration as countedBuckets } from "./0007_counted_buckets.js"
import { migration as dropCountedEvents } from "./0008_drop_counted_events.js"
import { migration as bucketTotals } from "./0009_bucket_totals.js"
import { migration as traceBuckets } from "./0010_trace_buckets.js"

/**
 * Every ClickHouse migration, in order. Append only. Each statement is idempotent
 * (`IF NOT EXISTS`): a server has no lock shared by two starting processes, so two may run
 * the same step and must both succeed.
 */
export const clickhouseMigrations: ReadonlyArray<Migration> = [
  events,
  sessions,
  users,
  toolRegistry,
  viewRollups,
  sessionBuckets,
  countedBuckets,
  dropCountedEvents,
  bucketTotals,
  traceBuckets,
]
