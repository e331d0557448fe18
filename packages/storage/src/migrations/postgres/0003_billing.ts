import type { Migration } from "../../Migration.js"

/** Stripe webhook idempotency: an event id is recorded in the same transaction as its effect. */
export const migration: Migration = {
  version: 3,
  name: "billing",
  statements: [
    `CREATE TABLE stripe_webhook_events (
  event_id text PRIMARY KEY,
  event_type text NOT NULL,
  processed_at timestamptz NOT NULL DEFAULT now()
)`,
    // Serves the 30-day pruning job.
    `CREATE INDEX stripe_webhook_events_processed_at_idx ON stripe_webhook_events (processed_at)`,
  ],
}
