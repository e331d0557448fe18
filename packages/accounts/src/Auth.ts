import { PgClient } from "@effect/sql-pg/PgClient"
import {
  AccountDeletionRequiresPassword,
  type AccountLocked,
  type AccountLockedCaptcha,
  type AccountLockedEscalated,
  type AuthRouteRateLimited,
  EmailAlreadyRegistered,
  EmailNotVerified,
  type InternalDashboardError,
  InvalidCredentials,
  InvalidEmailVerificationToken,
  InvalidPassword,
  InvalidPasswordResetToken,
  PasswordTooWeak,
  SessionExpired,
} from "@yavio/domain"
import { CurrentUser, type SignedInUser } from "@yavio/domain/rpc/CurrentUser"
import { Context, Effect, Layer, Option } from "effect"
import { AccountsConfig } from "./AccountsConfig.js"
import { AnalyticsPurge } from "./AnalyticsPurge.js"
import { Email } from "./Email.js"
import { accountLockedEmail, passwordResetEmail, verificationEmail } from "./EmailTemplates.js"
import { Invitations } from "./Invitations.js"
import { type Lock, LoginThrottle, lockError } from "./LoginThrottle.js"
import { looksLikeEmail, normalizeEmail } from "./Names.js"
import { OneTimeTokens } from "./OneTimeTokens.js"
import { PasswordHasher } from "./PasswordHasher.js"
import { RateLimits } from "./RateLimits.js"
import { type RequestInfo, type SessionGrant, Sessions } from "./Sessions.js"
import { internal, orInternal, violatedUniqueConstraint } from "./SqlFailure.js"
import { Workspaces } from "./Workspaces.js"

/** After register: a session at once (email-disabled mode, invite link), else "check your inbox". */
export interface Registered {
  readonly userId: string
  readonly session: SessionGrant | undefined
}

const MIN_PASSWORD = 8
const MAX_PASSWORD = 128

const checkPassword = (password: string): Effect.Effect<string, PasswordTooWeak> =>
  password.length >= MIN_PASSWORD && password.length <= MAX_PASSWORD
    ? Effect.succeed(password)
    : Effect.fail(new PasswordTooWeak({ detail: `use ${MIN_PASSWORD}–${MAX_PASSWORD} characters` }))

interface UserRow {
  readonly id: string
  readonly email: string
  readonly name: string | null
  readonly password_hash: string | null
  readonly email_verified: boolean
}

type LockFailure = AccountLocked | AccountLockedEscalated | AccountLockedCaptcha

/**
 * The sign-in flows of dashboard.md §1: register, email verification, login with lockout,
 * logout, password reset and change, unlock, account deletion, and the session lookup behind
 * every RPC. The HTTP edge (CSRF, Origin, cookies) sits in front of these; each flow is
 * rate-limited here by the caller's IP.
 */
export class Auth extends Context.Tag("@yavio/accounts/Auth")<
  Auth,
  {
    readonly register: (
      input: {
        readonly email: string
        readonly password: string
        readonly name?: string | undefined
        readonly inviteToken?: string | undefined
      },
      request: RequestInfo,
    ) => Effect.Effect<
      Registered,
      | AuthRouteRateLimited
      | InvalidCredentials
      | PasswordTooWeak
      | EmailAlreadyRegistered
      | InternalDashboardError
    >
    readonly resendVerification: (
      input: { readonly email: string },
      request: RequestInfo,
    ) => Effect.Effect<void, AuthRouteRateLimited | InternalDashboardError>
    readonly verifyEmail: (
      input: { readonly token: string },
      request: RequestInfo,
    ) => Effect.Effect<
      SessionGrant,
      AuthRouteRateLimited | InvalidEmailVerificationToken | InternalDashboardError
    >
    readonly login: (
      input: { readonly email: string; readonly password: string },
      request: RequestInfo,
    ) => Effect.Effect<
      SessionGrant,
      AuthRouteRateLimited | InvalidCredentials | EmailNotVerified | LockFailure | InternalDashboardError
    >
    readonly logout: (token: string) => Effect.Effect<void, InternalDashboardError>
    readonly forgotPassword: (
      input: { readonly email: string },
      request: RequestInfo,
    ) => Effect.Effect<void, AuthRouteRateLimited | InternalDashboardError>
    readonly resetPassword: (
      input: { readonly token: string; readonly password: string },
      request: RequestInfo,
    ) => Effect.Effect<
      SessionGrant,
      AuthRouteRateLimited | PasswordTooWeak | InvalidPasswordResetToken | InternalDashboardError
    >
    readonly unlock: (
      input: { readonly token: string },
      request: RequestInfo,
    ) => Effect.Effect<void, AuthRouteRateLimited | InvalidEmailVerificationToken | InternalDashboardError>
    readonly changePassword: (
      input: { readonly currentPassword: string; readonly newPassword: string },
      request: RequestInfo,
    ) => Effect.Effect<SessionGrant, InvalidPassword | PasswordTooWeak | InternalDashboardError, CurrentUser>
    /**
     * Deletes the caller's account and every workspace they own (dashboard.md §1.9). Returns
     * the ids of the deleted workspaces; their ClickHouse rows are purged too.
     */
    readonly deleteAccount: (input: {
      readonly password?: string | undefined
      readonly confirmEmail?: string | undefined
    }) => Effect.Effect<
      ReadonlyArray<string>,
      AccountDeletionRequiresPassword | InvalidPassword | InternalDashboardError,
      CurrentUser
    >
    /** The user behind a session cookie, or `YAVIO-3000`. */
    readonly session: (token: string) => Effect.Effect<SignedInUser, SessionExpired | InternalDashboardError>
  }
>() {
  static readonly make = Effect.gen(function* () {
    const sql = yield* PgClient
    const config = yield* AccountsConfig
    const email = yield* Email
    const hasher = yield* PasswordHasher
    const sessions = yield* Sessions
    const throttle = yield* LoginThrottle
    const limits = yield* RateLimits
    const tokens = yield* OneTimeTokens
    const workspaces = yield* Workspaces
    const invitations = yield* Invitations
    const analytics = yield* AnalyticsPurge

    const link = (path: string, token: string) =>
      `${config.dashboardUrl}${path}?token=${encodeURIComponent(token)}`

    const userByEmail = (address: string) =>
      sql<UserRow>`SELECT id, email, name, password_hash, email_verified FROM users WHERE email = ${address}`.pipe(
        Effect.map((rows) => rows[0]),
      )
    const userById = (id: string) =>
      sql<UserRow>`SELECT id, email, name, password_hash, email_verified FROM users WHERE id = ${id}`.pipe(
        Effect.map((rows) => rows[0]),
      )

    const sendVerification = (user: UserRow) =>
      Effect.gen(function* () {
        const token = yield* tokens.issue(user.id, "email_verification")
        yield* email.send({
          to: user.email,
          ...verificationEmail({ name: user.name, link: link("/verify-email", token) }),
        })
      })

    const register = (
      input: {
        readonly email: string
        readonly password: string
        readonly name?: string | undefined
        readonly inviteToken?: string | undefined
      },
      request: RequestInfo,
    ) =>
      Effect.gen(function* () {
        yield* limits.auth("authStrict", request.ip)
        const address = normalizeEmail(input.email)
        if (!looksLikeEmail(address)) return yield* new InvalidCredentials({ detail: "not an email address" })
        const password = yield* checkPassword(input.password)
        const name = input.name?.trim().slice(0, 100) || null
        // The invitation mail proved the mailbox (our decision, dashboard.md §1.2).
        const invited =
          input.inviteToken !== undefined && (yield* invitations.invitedEmail(input.inviteToken)) === address
        const verifiedAtOnce = !email.enabled || invited
        const passwordHash = yield* hasher.hash(password)
        const user = yield* Effect.gen(function* () {
          const [row] = yield* sql<UserRow>`
            INSERT INTO users (email, name, password_hash, email_verified)
            VALUES (${address}, ${name}, ${passwordHash}, ${verifiedAtOnce})
            RETURNING id, email, name, password_hash, email_verified`
          if (verifiedAtOnce) yield* workspaces.createDefault(row!)
          if (invited && input.inviteToken !== undefined) yield* invitations.join(input.inviteToken, row!.id)
          return row!
        }).pipe(
          sql.withTransaction,
          Effect.catchTag("SqlError", (e) =>
            Effect.fail(
              violatedUniqueConstraint(e) === "users_email_key"
                ? new EmailAlreadyRegistered({})
                : internal(e),
            ),
          ),
        )
        if (verifiedAtOnce) return { userId: user.id, session: yield* sessions.open(user.id, request) }
        yield* sendVerification(user).pipe(orInternal)
        return { userId: user.id, session: undefined }
      })

    // Answers alike whether or not the address exists.
    const resendVerification = (input: { readonly email: string }, request: RequestInfo) =>
      Effect.gen(function* () {
        yield* limits.auth("authStrict", request.ip)
        const user = yield* userByEmail(normalizeEmail(input.email))
        if (user === undefined || user.email_verified || !email.enabled) return
        yield* sendVerification(user)
      }).pipe(orInternal)

    const verifyEmail = (input: { readonly token: string }, request: RequestInfo) =>
      Effect.gen(function* () {
        yield* limits.auth("auth", request.ip)
        const userId = yield* Effect.gen(function* () {
          const userId = yield* tokens.consume(input.token, "email_verification")
          if (userId === undefined) return undefined
          const [user] = yield* sql<UserRow>`
            UPDATE users SET email_verified = true WHERE id = ${userId} AND email_verified = false
            RETURNING id, email, name, password_hash, email_verified`
          // The personal workspace is made on verification, not at register (dashboard.md §1.2).
          if (user !== undefined) yield* workspaces.createDefault(user)
          return userId
        }).pipe(sql.withTransaction, orInternal)
        if (userId === undefined) return yield* new InvalidEmailVerificationToken({})
        return yield* sessions.open(userId, request)
      })

    const notifyLock = (lock: Lock, user: UserRow | undefined) =>
      Effect.gen(function* () {
        if (lock.level === 1) return
        if (user === undefined || !email.enabled) {
          yield* Effect.logWarning("account locked").pipe(Effect.annotateLogs({ level: lock.level }))
          return
        }
        const unlockLink =
          lock.level === 3 ? link("/unlock", yield* tokens.issue(user.id, "account_unlock")) : null
        yield* email.send({
          to: user.email,
          ...accountLockedEmail({
            name: user.name,
            level: lock.level,
            unlocksAt: lock.lockedUntil,
            unlockLink,
            resetLink: `${config.dashboardUrl}/forgot-password`,
          }),
        })
      })

    const login = (input: { readonly email: string; readonly password: string }, request: RequestInfo) =>
      Effect.gen(function* () {
        yield* limits.auth("authStrict", request.ip)
        const address = normalizeEmail(input.email)
        const active = yield* throttle.activeLock(address)
        if (active !== undefined) return yield* lockError(active)
        const user = yield* userByEmail(address).pipe(orInternal)
        // An unknown email or an OAuth-only user costs as much as a wrong password (no enumeration by timing).
        const ok =
          user?.password_hash != null
            ? yield* hasher.verify(input.password, user.password_hash)
            : yield* Effect.as(hasher.dummyVerify(input.password), false)
        if (!ok || user === undefined) {
          const lock = yield* throttle.recordFailure(
            address,
            /^[0-9a-fA-F:.]+$/.test(request.ip) ? request.ip : null,
            {
              manualUnlock: email.enabled,
            },
          )
          if (lock === undefined) return yield* new InvalidCredentials({})
          yield* notifyLock(lock, user).pipe(orInternal)
          return yield* lockError(lock)
        }
        // Checked after the password, so it reveals nothing about other people's accounts.
        if (!user.email_verified) return yield* new EmailNotVerified({})
        yield* throttle.clear(address)
        return yield* sessions.open(user.id, request)
      })

    const logout = (token: string) => sessions.revoke(token)

    const forgotPassword = (input: { readonly email: string }, request: RequestInfo) =>
      Effect.gen(function* () {
        yield* limits.auth("authStrict", request.ip)
        if (!email.enabled) {
          yield* Effect.logInfo("password reset requested, but email is not configured (SMTP_HOST)")
          return
        }
        const user = yield* userByEmail(normalizeEmail(input.email))
        if (user === undefined) return
        const token = yield* tokens.issue(user.id, "password_reset")
        yield* email.send({
          to: user.email,
          ...passwordResetEmail({ name: user.name, link: link("/reset-password", token) }),
        })
      }).pipe(orInternal)

    const setPassword = (user: UserRow, passwordHash: string) =>
      Effect.gen(function* () {
        yield* sql`UPDATE users SET password_hash = ${passwordHash} WHERE id = ${user.id}`
        yield* sql`DELETE FROM sessions WHERE user_id = ${user.id}`
        yield* sql`DELETE FROM login_attempts WHERE email = ${user.email}`
        yield* sql`DELETE FROM account_locks WHERE email = ${user.email}`
      })

    const resetPassword = (
      input: { readonly token: string; readonly password: string },
      request: RequestInfo,
    ) =>
      Effect.gen(function* () {
        yield* limits.auth("auth", request.ip)
        const password = yield* checkPassword(input.password)
        const passwordHash = yield* hasher.hash(password)
        const user = yield* Effect.gen(function* () {
          const userId = yield* tokens.consume(input.token, "password_reset")
          if (userId === undefined) return undefined
          const user = yield* userById(userId)
          if (user !== undefined) yield* setPassword(user, passwordHash)
          return user
        }).pipe(sql.withTransaction, orInternal)
        if (user === undefined) return yield* new InvalidPasswordResetToken({})
        return yield* sessions.open(user.id, request)
      })

    const unlock = (input: { readonly token: string }, request: RequestInfo) =>
      Effect.gen(function* () {
        yield* limits.auth("auth", request.ip)
        const user = yield* Effect.gen(function* () {
          const userId = yield* tokens.consume(input.token, "account_unlock")
          return userId === undefined ? undefined : yield* userById(userId)
        }).pipe(sql.withTransaction, orInternal)
        if (user === undefined)
          return yield* new InvalidEmailVerificationToken({
            detail: "the unlock link is invalid, used or expired",
          })
        yield* throttle.clear(user.email)
      })

    const changePassword = (
      input: { readonly currentPassword: string; readonly newPassword: string },
      request: RequestInfo,
    ) =>
      Effect.gen(function* () {
        const current = yield* CurrentUser
        const user = yield* userById(current.id).pipe(orInternal)
        if (user === undefined) return yield* new InvalidPassword({})
        const ok =
          user.password_hash !== null && (yield* hasher.verify(input.currentPassword, user.password_hash))
        if (!ok) return yield* new InvalidPassword({})
        const passwordHash = yield* hasher.hash(yield* checkPassword(input.newPassword))
        yield* setPassword(user, passwordHash).pipe(sql.withTransaction, orInternal)
        return yield* sessions.open(user.id, request)
      })

    const deleteAccount = (input: {
      readonly password?: string | undefined
      readonly confirmEmail?: string | undefined
    }) =>
      Effect.gen(function* () {
        const current = yield* CurrentUser
        const user = yield* userById(current.id).pipe(orInternal)
        if (user === undefined) return []
        if (user.password_hash === null) {
          // OAuth-only users confirm by typing their email (our decision, dashboard.md §1.9).
          if (input.confirmEmail === undefined || normalizeEmail(input.confirmEmail) !== user.email) {
            return yield* new InvalidPassword({ detail: "type your email address to confirm" })
          }
        } else {
          if (input.password === undefined || input.password === "")
            return yield* new AccountDeletionRequiresPassword({})
          if (!(yield* hasher.verify(input.password, user.password_hash)))
            return yield* new InvalidPassword({})
        }
        const deleted = yield* Effect.gen(function* () {
          // Owned workspaces take their members, invitations, projects and keys with them.
          const owned = yield* sql<{
            id: string
          }>`DELETE FROM workspaces WHERE owner_id = ${user.id} RETURNING id`
          // Sessions, OAuth links, tokens and memberships cascade from the user row.
          yield* sql`DELETE FROM users WHERE id = ${user.id}`
          yield* sql`DELETE FROM login_attempts WHERE email = ${user.email}`
          yield* sql`DELETE FROM account_locks WHERE email = ${user.email}`
          return owned.map((w) => w.id)
        }).pipe(sql.withTransaction, orInternal)
        yield* analytics.workspaces(deleted)
        return deleted
      })

    const session = (token: string) =>
      Effect.flatMap(sessions.resolve(token), (found) =>
        Option.isSome(found) ? Effect.succeed(found.value) : Effect.fail(new SessionExpired({})),
      )

    return Auth.of({
      register,
      resendVerification,
      verifyEmail,
      login,
      logout,
      forgotPassword,
      resetPassword,
      unlock,
      changePassword,
      deleteAccount,
      session,
    })
  })

  static readonly layer = Layer.effect(this, this.make)
}
