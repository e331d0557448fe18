import { PgClient } from "@effect/sql-pg/PgClient"
import {
  AccountLocked,
  AccountLockedCaptcha,
  AccountLockedEscalated,
  type InternalDashboardError,
} from "@yavio/domain"
import { Context, Effect, Layer } from "effect"
import { internal } from "./SqlFailure.js"

export type LockError = AccountLocked | AccountLockedEscalated | AccountLockedCaptcha

export interface Lock {
  readonly level: 1 | 2 | 3
  /** NULL for a level-3 lock while email works: it ends only by unlock link or reset. */
  readonly lockedUntil: Date | null
}

// dashboard.md §1.6: failures of one email within a window, the lock they trigger, how long.
const levels = [
  { level: 3, failures: 50, window: "24 hours", lockFor: null },
  { level: 2, failures: 25, window: "1 hour", lockFor: "1 hour" },
  { level: 1, failures: 10, window: "15 minutes", lockFor: "15 minutes" },
] as const

export const lockError = (lock: Lock): LockError => {
  const detail =
    lock.lockedUntil === null
      ? "use the unlock link we emailed you, or reset your password"
      : `try again after ${lock.lockedUntil.toISOString()}`
  const retryAfterSeconds =
    lock.lockedUntil === null
      ? undefined
      : Math.max(1, Math.ceil((lock.lockedUntil.getTime() - Date.now()) / 1000))
  const fields = { detail, ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds }) }
  switch (lock.level) {
    case 1:
      return new AccountLocked(fields)
    case 2:
      return new AccountLockedEscalated(fields)
    case 3:
      return new AccountLockedCaptcha(fields)
  }
}

/**
 * Brute-force lockout. Failed password logins are recorded per email whether or not it
 * belongs to a user; crossing a threshold writes a lock row, which the check before password
 * verification reads. Attempts refused by a lock are not failures (the attacker cannot extend
 * or escalate a lock without guessing again after it ends).
 */
export class LoginThrottle extends Context.Tag("@yavio/accounts/LoginThrottle")<
  LoginThrottle,
  {
    readonly activeLock: (email: string) => Effect.Effect<Lock | undefined, InternalDashboardError>
    /** Records a failure; returns the lock it triggered, if any. */
    readonly recordFailure: (
      email: string,
      ip: string | null,
      options: { readonly manualUnlock: boolean },
    ) => Effect.Effect<Lock | undefined, InternalDashboardError>
    /** Successful login, unlock or reset: the email's failures and lock are gone. */
    readonly clear: (email: string) => Effect.Effect<void, InternalDashboardError>
  }
>() {
  static readonly make = Effect.gen(function* () {
    const sql = yield* PgClient

    const activeLock = (email: string) =>
      sql<{ level: number; locked_until: Date | null }>`
        SELECT level, locked_until FROM account_locks
        WHERE email = ${email} AND (locked_until IS NULL OR locked_until > now())`.pipe(
        Effect.map((rows) =>
          rows[0] === undefined
            ? undefined
            : { level: rows[0].level as Lock["level"], lockedUntil: rows[0].locked_until },
        ),
        Effect.catchTag("SqlError", (e) => Effect.fail(internal(e))),
      )

    const recordFailure = (email: string, ip: string | null, options: { readonly manualUnlock: boolean }) =>
      Effect.gen(function* () {
        yield* sql`INSERT INTO login_attempts (email, ip_address) VALUES (${email}, ${ip})`
        const [counts] = yield* sql<{ d: number; h: number; q: number }>`
          SELECT count(*) FILTER (WHERE attempted_at > now() - interval '24 hours')::int AS d,
                 count(*) FILTER (WHERE attempted_at > now() - interval '1 hour')::int AS h,
                 count(*) FILTER (WHERE attempted_at > now() - interval '15 minutes')::int AS q
          FROM login_attempts WHERE email = ${email}`
        const inWindow = { "24 hours": counts!.d, "1 hour": counts!.h, "15 minutes": counts!.q }
        const hit = levels.find((l) => inWindow[l.window] >= l.failures)
        if (hit === undefined) return undefined
        // Without email a level-3 lock could never be lifted: it then ends 24 h after the last failure.
        const lockFor = hit.lockFor ?? (options.manualUnlock ? null : "24 hours")
        const [row] = yield* sql<{ locked_until: Date | null }>`
          INSERT INTO account_locks (email, level, locked_until)
          VALUES (${email}, ${hit.level}, ${lockFor === null ? null : sql`now() + ${lockFor}::interval`})
          ON CONFLICT (email) DO UPDATE SET level = excluded.level, locked_until = excluded.locked_until
          RETURNING locked_until`
        return { level: hit.level, lockedUntil: row!.locked_until } satisfies Lock
      }).pipe(Effect.catchTag("SqlError", (e) => Effect.fail(internal(e))))

    const clear = (email: string) =>
      Effect.all([
        sql`DELETE FROM login_attempts WHERE email = ${email}`,
        sql`DELETE FROM account_locks WHERE email = ${email}`,
      ]).pipe(
        Effect.asVoid,
        Effect.catchTag("SqlError", (e) => Effect.fail(internal(e))),
      )

    return LoginThrottle.of({ activeLock, recordFailure, clear })
  })

  static readonly layer = Layer.effect(this, this.make)
}
