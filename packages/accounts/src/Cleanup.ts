import { PgClient } from "@effect/sql-pg/PgClient"
import type { InternalDashboardError } from "@yavio/domain"
import { Context, Duration, Effect, Layer, Schedule } from "effect"
import { orInternal } from "./SqlFailure.js"

/** Rows each job removed, by what they were: for the log line and the tests. */
export type CleanupReport = Readonly<Record<string, number>>

/**
 * The clean-up jobs of ingest-and-storage.md §3 and dashboard.md §1: hourly, expired sessions
 * and accounts left unverified for 24 hours; daily, expired invitations, used or expired
 * one-time tokens, login attempts older than 24 hours and ended locks, API keys revoked more
 * than a year ago, Stripe webhook records older than 30 days.
 */
export class Cleanup extends Context.Tag("@yavio/accounts/Cleanup")<
  Cleanup,
  {
    readonly hourly: Effect.Effect<CleanupReport, InternalDashboardError>
    readonly daily: Effect.Effect<CleanupReport, InternalDashboardError>
  }
>() {
  static readonly make = Effect.gen(function* () {
    const sql = yield* PgClient
    const count = (statement: Effect.Effect<ReadonlyArray<unknown>, unknown>) =>
      Effect.map(statement, (r) => r.length)

    const hourly = Effect.all({
      expiredSessions: count(sql`DELETE FROM sessions WHERE expires_at <= now() RETURNING id`),
      unverifiedUsers: count(
        sql`DELETE FROM users WHERE email_verified = false AND created_at <= now() - interval '24 hours' RETURNING id`,
      ),
    }).pipe(orInternal)

    const daily = Effect.all({
      expiredInvitations: count(
        sql`DELETE FROM invitations WHERE accepted_at IS NULL AND expires_at <= now() RETURNING id`,
      ),
      spentTokens: count(
        sql`DELETE FROM verification_tokens WHERE used_at IS NOT NULL OR expires_at <= now() RETURNING id`,
      ),
      oldLoginAttempts: count(
        sql`DELETE FROM login_attempts WHERE attempted_at <= now() - interval '24 hours' RETURNING id`,
      ),
      endedLocks: count(sql`DELETE FROM account_locks WHERE locked_until <= now() RETURNING email`),
      oldRevokedKeys: count(
        sql`DELETE FROM api_keys WHERE revoked_at <= now() - interval '1 year' RETURNING id`,
      ),
      oldWebhookEvents: count(
        sql`DELETE FROM stripe_webhook_events WHERE processed_at <= now() - interval '30 days' RETURNING event_id`,
      ),
    }).pipe(orInternal)

    return Cleanup.of({
      hourly: hourly as Effect.Effect<CleanupReport, InternalDashboardError>,
      daily: daily as Effect.Effect<CleanupReport, InternalDashboardError>,
    })
  })

  static readonly layer = Layer.effect(this, this.make)

  /**
   * Runs the jobs in the background for as long as the layer lives: once at start, then every
   * hour / day. A failed run is logged and retried on the next tick.
   */
  static readonly scheduled = Layer.scopedDiscard(
    Effect.gen(function* () {
      const cleanup = yield* Cleanup
      const run = (
        name: string,
        job: Effect.Effect<CleanupReport, InternalDashboardError>,
        every: Duration.Duration,
      ) =>
        job.pipe(
          Effect.tap((report) => Effect.logDebug(`cleanup ${name}`, report)),
          Effect.catchAll((error) => Effect.logWarning(`cleanup ${name} failed`, error)),
          Effect.repeat(Schedule.spaced(every)),
          Effect.forkScoped,
        )
      yield* run("hourly", cleanup.hourly, Duration.hours(1))
      yield* run("daily", cleanup.daily, Duration.days(1))
    }),
  )
}
