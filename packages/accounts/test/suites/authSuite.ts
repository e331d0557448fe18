import { PgClient } from "@effect/sql-pg/PgClient"
import { expect, type Vitest } from "@effect/vitest"
import { CurrentUser } from "@yavio/domain/rpc/CurrentUser"
import { Effect, Option } from "effect"
import { Auth } from "../../src/Auth.js"
import { Sessions } from "../../src/Sessions.js"
import { sha256Hex } from "../../src/Tokens.js"
import {
  type AccountsTestServices,
  emailDisabledLayer,
  freshEmail,
  Harness,
  request,
  signUp,
} from "../support/harness.js"
import { latestLink, readOutbox } from "../support/outbox.js"
import { outcome } from "../support/world.js"

const password = "correct horse battery"

/** Inserts `count` failed attempts for `email`, `minutesAgo` in the past: a history the lockout reads. */
const seedFailures = (email: string, count: number, minutesAgo: number) =>
  Effect.flatMap(
    PgClient,
    (sql) =>
      sql`INSERT INTO login_attempts (email, ip_address, attempted_at)
        SELECT ${email}, '10.0.0.1', now() - ${`${minutesAgo} minutes`}::interval FROM generate_series(1, ${count})`,
  )

export const authSuite = (it: Vitest.MethodsNonLive<AccountsTestServices, true>, label: string) => {
  it.effect(
    `register → verification mail → verify opens a session and the default workspace [${label}]`,
    () =>
      Effect.gen(function* () {
        const auth = yield* Auth
        const sql = yield* PgClient
        const { outboxDir } = yield* Harness
        const email = freshEmail("Ada.Lovelace").toLowerCase()
        const registered = yield* auth.register(
          { email: `  ${email.toUpperCase()} `, password, name: "Ada Lovelace" },
          request,
        )
        // No session until the mailbox is proven.
        expect(registered.session).toBeUndefined()
        expect(yield* outcome(auth.login({ email, password }, request))).toBe("YAVIO-3002")
        const { mail, token } = latestLink(outboxDir, email, /Verify your email/)
        expect(mail.text).toContain(`http://localhost:3000/verify-email?token=${token}`)
        const [stored] = yield* sql<{
          token_hash: string
        }>`SELECT token_hash FROM verification_tokens WHERE user_id = ${registered.userId}`
        expect(stored?.token_hash).not.toContain(token)

        const grant = yield* auth.verifyEmail({ token }, request)
        expect(grant.userId).toBe(registered.userId)
        const user = yield* auth.session(grant.token)
        expect(user).toMatchObject({ email, emailVerified: true })
        const workspaces = yield* sql<{ name: string; slug: string; role: string }>`
        SELECT w.name, w.slug, m.role FROM workspaces w JOIN workspace_members m ON m.workspace_id = w.id
        WHERE w.owner_id = ${grant.userId}`
        expect(workspaces).toEqual([
          { name: "Ada's workspace", slug: email.split("@")[0]!.replace(".", "-"), role: "admin" },
        ])

        // Single use.
        expect(yield* outcome(auth.verifyEmail({ token }, request))).toBe("YAVIO-3007")
        expect(yield* outcome(auth.verifyEmail({ token: "made-up" }, request))).toBe("YAVIO-3007")
      }),
  )

  it.effect(`verification links expire after 24 hours; resend replaces the old link [${label}]`, () =>
    Effect.gen(function* () {
      const auth = yield* Auth
      const sql = yield* PgClient
      const { outboxDir } = yield* Harness
      const email = freshEmail("late")
      const { userId } = yield* auth.register({ email, password }, request)
      const first = latestLink(outboxDir, email, /Verify/).token
      yield* sql`UPDATE verification_tokens SET expires_at = now() - interval '1 second' WHERE user_id = ${userId}`
      expect(yield* outcome(auth.verifyEmail({ token: first }, request))).toBe("YAVIO-3007")

      yield* auth.resendVerification({ email }, request)
      // Unknown addresses get the same answer and no mail.
      yield* auth.resendVerification({ email: freshEmail("nobody") }, request)
      const second = latestLink(outboxDir, email, /Verify/).token
      expect(second).not.toBe(first)
      const [{ n }] = (yield* sql<{ n: number }>`
        SELECT count(*)::int AS n FROM verification_tokens WHERE user_id = ${userId} AND used_at IS NULL`) as unknown as [
        { n: number },
      ]
      expect(n).toBe(1)
      yield* auth.verifyEmail({ token: second }, request)
    }),
  )

  it.effect(`register rejects weak passwords, bad emails and duplicates with their codes [${label}]`, () =>
    Effect.gen(function* () {
      const auth = yield* Auth
      const email = freshEmail("dup")
      expect(yield* outcome(auth.register({ email, password: "short" }, request))).toBe("YAVIO-3703")
      expect(yield* outcome(auth.register({ email, password: "x".repeat(129) }, request))).toBe("YAVIO-3703")
      expect(yield* outcome(auth.register({ email: "not an email", password }, request))).toBe("YAVIO-3001")
      yield* auth.register({ email, password }, request)
      expect(yield* outcome(auth.register({ email: email.toUpperCase(), password }, request))).toBe(
        "YAVIO-3702",
      )
    }),
  )

  it.effect(
    `login: wrong password and unknown email answer alike; each login opens a new hashed session [${label}]`,
    () =>
      Effect.gen(function* () {
        const auth = yield* Auth
        const sql = yield* PgClient
        const email = freshEmail("login")
        const first = yield* signUp(email)
        expect(yield* outcome(auth.login({ email, password: "wrong password" }, request))).toBe("YAVIO-3001")
        expect(yield* outcome(auth.login({ email: freshEmail("ghost"), password }, request))).toBe(
          "YAVIO-3001",
        )
        const second = yield* auth.login({ email: email.toUpperCase(), password }, request)
        expect(second.token).not.toBe(first.token)
        expect(second.sessionId).not.toBe(first.sessionId)
        const rows = yield* sql<{
          token_hash: string
        }>`SELECT token_hash FROM sessions WHERE user_id = ${second.userId}`
        expect(rows.map((r) => r.token_hash).sort()).toEqual(
          [sha256Hex(first.token), sha256Hex(second.token)].sort(),
        )
        // The successful login cleared the failure it followed.
        const [{ n }] = (yield* sql<{
          n: number
        }>`SELECT count(*)::int AS n FROM login_attempts WHERE email = ${email}`) as unknown as [
          { n: number },
        ]
        expect(n).toBe(0)
      }),
  )

  it.effect(`sessions: logout revokes, expiry ends, use extends at most daily [${label}]`, () =>
    Effect.gen(function* () {
      const auth = yield* Auth
      const sessions = yield* Sessions
      const sql = yield* PgClient
      const grant = yield* signUp(freshEmail("session"))
      const [before] = yield* sql<{
        expires_at: Date
      }>`SELECT expires_at FROM sessions WHERE id = ${grant.sessionId}`
      const days = (before!.expires_at.getTime() - Date.now()) / 86_400_000
      expect(days).toBeGreaterThan(29.9)
      expect(days).toBeLessThanOrEqual(30)

      // Last seen two days ago, expiring tomorrow: using it extends it to 30 days again.
      yield* sql`UPDATE sessions SET last_seen_at = now() - interval '2 days', expires_at = now() + interval '1 day' WHERE id = ${grant.sessionId}`
      yield* auth.session(grant.token)
      const [after] = yield* sql<{
        expires_at: Date
      }>`SELECT expires_at FROM sessions WHERE id = ${grant.sessionId}`
      expect((after!.expires_at.getTime() - Date.now()) / 86_400_000).toBeGreaterThan(29.9)

      yield* sql`UPDATE sessions SET expires_at = now() - interval '1 second' WHERE id = ${grant.sessionId}`
      expect(yield* outcome(auth.session(grant.token))).toBe("YAVIO-3000")

      const fresh = yield* signUp(freshEmail("logout"))
      yield* auth.logout(fresh.token)
      expect(yield* outcome(auth.session(fresh.token))).toBe("YAVIO-3000")
      expect(Option.isNone(yield* sessions.resolve(fresh.token))).toBe(true)
    }),
  )

  it.effect(
    `password reset: mailed, 1 hour, single use, revokes sessions and clears the lockout [${label}]`,
    () =>
      Effect.gen(function* () {
        const auth = yield* Auth
        const sql = yield* PgClient
        const { outboxDir } = yield* Harness
        const email = freshEmail("reset")
        const old = yield* signUp(email)
        yield* auth.forgotPassword({ email: freshEmail("nobody") }, request)
        yield* auth.forgotPassword({ email }, request)
        const { mail, token } = latestLink(outboxDir, email, /Reset your password/)
        expect(mail.text).toContain(`http://localhost:3000/reset-password?token=${token}`)
        yield* seedFailures(email, 9, 1)
        expect(yield* outcome(auth.login({ email, password: "guess" }, request))).toBe("YAVIO-3003")
        expect(yield* outcome(auth.login({ email, password }, request))).toBe("YAVIO-3003")

        expect(yield* outcome(auth.resetPassword({ token, password: "short" }, request))).toBe("YAVIO-3703")
        const grant = yield* auth.resetPassword({ token, password: "a brand new secret" }, request)
        expect(yield* outcome(auth.session(old.token))).toBe("YAVIO-3000")
        expect((yield* auth.session(grant.token)).email).toBe(email)
        expect(yield* outcome(auth.resetPassword({ token, password: "yet another one" }, request))).toBe(
          "YAVIO-3006",
        )
        expect(yield* outcome(auth.login({ email, password }, request))).toBe("YAVIO-3001")
        yield* auth.login({ email, password: "a brand new secret" }, request)

        yield* auth.forgotPassword({ email }, request)
        const late = latestLink(outboxDir, email, /Reset your password/).token
        yield* sql`UPDATE verification_tokens SET expires_at = now() - interval '1 second' WHERE type = 'password_reset' AND used_at IS NULL`
        expect(yield* outcome(auth.resetPassword({ token: late, password: "too late now" }, request))).toBe(
          "YAVIO-3006",
        )
      }),
  )

  it.effect(
    `lockout level 1: the 10th failure within 15 min locks for 15 min, even the right password [${label}]`,
    () =>
      Effect.gen(function* () {
        const auth = yield* Auth
        const sql = yield* PgClient
        const email = freshEmail("level1")
        yield* signUp(email)
        const answers = []
        for (let i = 0; i < 10; i++)
          answers.push(yield* outcome(auth.login({ email, password: "guess" }, request)))
        expect(answers).toEqual([...Array(9).fill("YAVIO-3001"), "YAVIO-3003"])
        expect(yield* outcome(auth.login({ email, password }, request))).toBe("YAVIO-3003")
        const [lock] = yield* sql<{ level: number; minutes: number }>`
        SELECT level, round(extract(epoch FROM locked_until - now()) / 60)::int AS minutes FROM account_locks WHERE email = ${email}`
        expect(lock).toEqual({ level: 1, minutes: 15 })
        // Refused attempts are not failures: the lock neither grows nor escalates.
        const [{ n }] = (yield* sql<{
          n: number
        }>`SELECT count(*)::int AS n FROM login_attempts WHERE email = ${email}`) as unknown as [
          { n: number },
        ]
        expect(n).toBe(10)
        yield* sql`UPDATE account_locks SET locked_until = now() - interval '1 second' WHERE email = ${email}`
        yield* auth.login({ email, password }, request)
      }),
  )

  it.effect(`lockout level 2: 25 failures within 1 h lock for an hour and mail the owner [${label}]`, () =>
    Effect.gen(function* () {
      const auth = yield* Auth
      const sql = yield* PgClient
      const { outboxDir } = yield* Harness
      const email = freshEmail("level2")
      yield* signUp(email)
      // Outside the 15-minute window, inside the hour.
      yield* seedFailures(email, 24, 30)
      expect(yield* outcome(auth.login({ email, password: "guess" }, request))).toBe("YAVIO-3004")
      const [lock] = yield* sql<{ level: number; minutes: number }>`
        SELECT level, round(extract(epoch FROM locked_until - now()) / 60)::int AS minutes FROM account_locks WHERE email = ${email}`
      expect(lock).toEqual({ level: 2, minutes: 60 })
      const mail = readOutbox(outboxDir).filter((m) => m.to === email && /locked/.test(m.subject))
      expect(mail).toHaveLength(1)
      expect(mail[0]!.text).toMatch(/unlocks on its own/)
      expect(yield* outcome(auth.login({ email, password }, request))).toBe("YAVIO-3004")
    }),
  )

  it.effect(
    `lockout level 3: 50 failures within 24 h lock until the mailed unlock link is used [${label}]`,
    () =>
      Effect.gen(function* () {
        const auth = yield* Auth
        const sql = yield* PgClient
        const { outboxDir } = yield* Harness
        const email = freshEmail("level3")
        yield* signUp(email)
        yield* seedFailures(email, 49, 180)
        expect(yield* outcome(auth.login({ email, password: "guess" }, request))).toBe("YAVIO-3005")
        const [lock] = yield* sql<{
          level: number
          locked_until: Date | null
        }>`SELECT level, locked_until FROM account_locks WHERE email = ${email}`
        expect(lock).toEqual({ level: 3, locked_until: null })
        // Even once every failure has aged out, the lock holds.
        yield* sql`DELETE FROM login_attempts WHERE email = ${email}`
        expect(yield* outcome(auth.login({ email, password }, request))).toBe("YAVIO-3005")
        const { token } = latestLink(outboxDir, email, /locked/)
        yield* auth.unlock({ token }, request)
        expect(yield* outcome(auth.unlock({ token }, request))).toBe("YAVIO-3007")
        yield* auth.login({ email, password }, request)
        // Unknown emails are throttled too, without anyone to mail.
        const ghost = freshEmail("ghost3")
        yield* seedFailures(ghost, 49, 180)
        expect(yield* outcome(auth.login({ email: ghost, password }, request))).toBe("YAVIO-3005")
        expect(readOutbox(outboxDir).filter((m) => m.to === ghost)).toEqual([])
      }),
  )

  it.effect(`change password checks the current one and revokes other sessions [${label}]`, () =>
    Effect.gen(function* () {
      const auth = yield* Auth
      const email = freshEmail("change")
      const grant = yield* signUp(email)
      const other = yield* auth.login({ email, password }, request)
      const user = yield* auth.session(grant.token)
      const asUser = <A, E>(e: Effect.Effect<A, E, CurrentUser>) =>
        Effect.provideService(e, CurrentUser, user)
      expect(
        yield* outcome(
          asUser(auth.changePassword({ currentPassword: "nope", newPassword: "whatever long" }, request)),
        ),
      ).toBe("YAVIO-3701")
      expect(
        yield* outcome(
          asUser(auth.changePassword({ currentPassword: password, newPassword: "short" }, request)),
        ),
      ).toBe("YAVIO-3703")
      const fresh = yield* asUser(
        auth.changePassword({ currentPassword: password, newPassword: "a better password" }, request),
      )
      expect(yield* outcome(auth.session(other.token))).toBe("YAVIO-3000")
      expect(yield* outcome(auth.session(grant.token))).toBe("YAVIO-3000")
      expect((yield* auth.session(fresh.token)).email).toBe(email)
    }),
  )

  it.effect(`email-disabled mode: accounts are active at once, reset sends nothing [${label}]`, () =>
    Effect.gen(function* () {
      const auth = yield* Auth
      const sql = yield* PgClient
      const { outboxDir } = yield* Harness
      const email = freshEmail("nomail")
      const before = readOutbox(outboxDir).length
      const registered = yield* auth.register({ email, password, name: "Grace Hopper" }, request)
      expect(registered.session).toBeDefined()
      expect((yield* auth.session(registered.session!.token)).emailVerified).toBe(true)
      const [ws] = yield* sql<{
        name: string
      }>`SELECT name FROM workspaces WHERE owner_id = ${registered.userId}`
      expect(ws?.name).toBe("Grace's workspace")
      yield* auth.forgotPassword({ email }, request)
      // Level 3 without mail ends 24 h after the last failure instead of never.
      yield* seedFailures(email, 49, 180)
      expect(yield* outcome(auth.login({ email, password: "guess" }, request))).toBe("YAVIO-3005")
      const [lock] = yield* sql<{
        hours: number
      }>`SELECT round(extract(epoch FROM locked_until - now()) / 3600)::int AS hours FROM account_locks WHERE email = ${email}`
      expect(lock?.hours).toBe(24)
      expect(readOutbox(outboxDir).length).toBe(before)
    }).pipe(Effect.provide(emailDisabledLayer)),
  )
}
