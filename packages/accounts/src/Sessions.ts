import { PgClient } from "@effect/sql-pg/PgClient"
import type { InternalDashboardError } from "@yavio/domain"
import type { SignedInUser } from "@yavio/domain/rpc/CurrentUser"
import { Context, Effect, Layer, Option } from "effect"
import { internal } from "./SqlFailure.js"
import { randomToken, sha256Hex } from "./Tokens.js"

/** Where a login came from: kept on the session row and used as the rate-limit key. */
export interface RequestInfo {
  readonly ip: string
  readonly userAgent?: string | undefined
}

/** What the edge turns into the `yavio_session` cookie. The token exists only here and there. */
export interface SessionGrant {
  readonly token: string
  readonly sessionId: string
  readonly userId: string
  readonly expiresAt: Date
}

// dashboard.md §1.3 (our decisions): 30 days, extended at most once per 24 h of use.
const LIFETIME = "30 days"
const EXTEND_AFTER = "24 hours"

// inet rejects anything but an address; an unparsable peer address is stored as NULL.
const ipOrNull = (ip: string) => (/^[0-9a-fA-F:.]+$/.test(ip) ? ip : null)

/**
 * Dashboard login sessions. Only SHA-256 of the 32-byte token is stored; every login opens a
 * fresh session (no fixation), logout and password changes delete rows, and `resolve` ignores
 * expired ones before the hourly clean-up removes them.
 */
export class Sessions extends Context.Tag("@yavio/accounts/Sessions")<
  Sessions,
  {
    readonly open: (
      userId: string,
      request: RequestInfo,
    ) => Effect.Effect<SessionGrant, InternalDashboardError>
    readonly resolve: (token: string) => Effect.Effect<Option.Option<SignedInUser>, InternalDashboardError>
    readonly revoke: (token: string) => Effect.Effect<void, InternalDashboardError>
    readonly revokeAll: (userId: string) => Effect.Effect<void, InternalDashboardError>
    /** When a live session ends (after any extension), for refreshing the cookie's own expiry. */
    readonly expiryOf: (token: string) => Effect.Effect<Option.Option<Date>, InternalDashboardError>
  }
>() {
  static readonly make = Effect.gen(function* () {
    const sql = yield* PgClient

    const open = (userId: string, request: RequestInfo) =>
      Effect.gen(function* () {
        const token = randomToken()
        const [row] = yield* sql<{ id: string; expires_at: Date }>`
          INSERT INTO sessions (user_id, token_hash, expires_at, ip, user_agent)
          VALUES (${userId}, ${sha256Hex(token)}, now() + ${LIFETIME}::interval, ${ipOrNull(request.ip)},
                  ${request.userAgent?.slice(0, 512) ?? null})
          RETURNING id, expires_at`
        return { token, sessionId: row!.id, userId, expiresAt: row!.expires_at }
      }).pipe(Effect.catchTag("SqlError", (e) => Effect.fail(internal(e))))

    const resolve = (token: string) =>
      Effect.gen(function* () {
        // Cookies are ours: anything that is not one of our tokens cannot match a row.
        if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return Option.none()
        const tokenHash = sha256Hex(token)
        const rows = yield* sql<{
          id: string
          user_id: string
          email: string
          email_verified: boolean
          stale: boolean
        }>`
          SELECT s.id, s.user_id, u.email, u.email_verified,
                 s.last_seen_at < now() - ${EXTEND_AFTER}::interval AS stale
          FROM sessions s JOIN users u ON u.id = s.user_id
          WHERE s.token_hash = ${tokenHash} AND s.expires_at > now()`
        const row = rows[0]
        if (row === undefined) return Option.none()
        if (row.stale) {
          yield* sql`UPDATE sessions SET last_seen_at = now(), expires_at = now() + ${LIFETIME}::interval
                     WHERE id = ${row.id}`
        }
        return Option.some({
          id: row.user_id,
          email: row.email,
          emailVerified: row.email_verified,
          sessionId: row.id,
        })
      }).pipe(Effect.catchTag("SqlError", (e) => Effect.fail(internal(e))))

    const revoke = (token: string) =>
      sql`DELETE FROM sessions WHERE token_hash = ${sha256Hex(token)}`.pipe(
        Effect.asVoid,
        Effect.catchTag("SqlError", (e) => Effect.fail(internal(e))),
      )

    const revokeAll = (userId: string) =>
      sql`DELETE FROM sessions WHERE user_id = ${userId}`.pipe(
        Effect.asVoid,
        Effect.catchTag("SqlError", (e) => Effect.fail(internal(e))),
      )

    const expiryOf = (token: string) =>
      sql<{ expires_at: Date }>`
        SELECT expires_at FROM sessions WHERE token_hash = ${sha256Hex(token)} AND expires_at > now()`.pipe(
        Effect.map((rows) => Option.fromNullable(rows[0]?.expires_at)),
        Effect.catchTag("SqlError", (e) => Effect.fail(internal(e))),
      )

    return Sessions.of({ open, resolve, revoke, revokeAll, expiryOf })
  })

  static readonly layer = Layer.effect(this, this.make)
}
