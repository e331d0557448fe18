import { createHash, randomBytes, timingSafeEqual } from "node:crypto"
import { HttpClient, HttpClientRequest } from "@effect/platform"
import { NodeHttpClient } from "@effect/platform-node"
import { PgClient } from "@effect/sql-pg/PgClient"
import { type AuthRouteRateLimited, type InternalDashboardError, OauthError } from "@yavio/domain"
import { Context, Effect, Layer, Redacted } from "effect"
import { AccountsConfig } from "./AccountsConfig.js"
import { normalizeEmail } from "./Names.js"
import {
  clientVariables,
  type OAuthClient,
  type OAuthProvider,
  type OAuthSettings,
  oauthProviders,
} from "./OAuthSettings.js"
import { RateLimits } from "./RateLimits.js"
import { type RequestInfo, type SessionGrant, Sessions } from "./Sessions.js"
import { orInternal } from "./SqlFailure.js"
import { makeTokenCipher } from "./TokenCipher.js"
import { Workspaces } from "./Workspaces.js"

/** The short-lived cookie that binds a callback to the browser that started the flow. */
export const OAUTH_STATE_COOKIE = "yavio_oauth"
/** Sent only to the OAuth routes: nothing else needs it. */
export const OAUTH_COOKIE_PATH = "/api/auth/oauth"
export const OAUTH_STATE_SECONDS = 600

export interface OAuthStart {
  /** The provider's authorize URL, with client_id, redirect_uri, scope, state and the PKCE challenge. */
  readonly location: string
  /** Value of `yavio_oauth`: provider, state, PKCE verifier and the safe `next` path. */
  readonly cookie: string
}

export interface OAuthCallbackInput {
  readonly code?: string | undefined
  readonly state?: string | undefined
  readonly error?: string | undefined
  readonly errorDescription?: string | undefined
}

/** What User → Security lists: the providers linked to the account, and whether it has a password. */
export interface LinkedAccounts {
  readonly providers: ReadonlyArray<{ readonly provider: OAuthProvider; readonly linkedAt: Date }>
  readonly hasPassword: boolean
}

export interface OAuthSignIn {
  readonly grant: SessionGrant
  /** `/onboarding` for a new account, else the `next` kept at start, else `/`. */
  readonly location: string
  readonly created: boolean
}

/** What a provider says about the person, reduced to what account resolution needs. */
interface ProviderProfile {
  readonly accountId: string
  readonly email: string | undefined
  readonly emailVerified: boolean
  readonly name: string | null
  readonly avatarUrl: string | null
}

interface ProviderTokens {
  readonly accessToken: string
  readonly refreshToken: string | undefined
  readonly expiresInSeconds: number | undefined
}

const scopes: Record<OAuthProvider, string> = {
  github: "read:user user:email",
  google: "openid email profile",
}

const b64url = (bytes: Buffer) => bytes.toString("base64url")
const isProvider = (value: string): value is OAuthProvider =>
  (oauthProviders as ReadonlyArray<string>).includes(value)

const sameSecret = (a: string, b: string) =>
  a.length > 0 && a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b))

/**
 * `?next=` must stay on the dashboard: a path on our own origin, never `//host` or `/\host`
 * (browsers read both as another host) — an open redirect would turn sign-in into phishing.
 */
export const safeNext = (next: string | undefined, dashboardUrl: string): string | undefined => {
  if (next === undefined || next.length > 512 || !next.startsWith("/") || /^\/[/\\]/.test(next))
    return undefined
  // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point
  if (/[\u0000-\u001f\\]/.test(next)) return undefined
  try {
    const base = new URL(dashboardUrl)
    const url = new URL(next, base)
    return url.origin === base.origin ? `${url.pathname}${url.search}${url.hash}` : undefined
  } catch {
    return undefined
  }
}

const text = (value: unknown): string | undefined =>
  typeof value === "string" && value !== "" ? value : typeof value === "number" ? String(value) : undefined
const record = (value: unknown): Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {}

/**
 * GitHub and Google sign-in (dashboard.md §1.5): the authorization-code flow with `state` bound
 * to a 10-minute httpOnly cookie and PKCE S256 (both providers support it), then account
 * resolution — a known provider account, else a verified-email link to an existing user, else
 * a new verified user with a default workspace — and a fresh session like a password login.
 * Lockout does not apply; the per-IP auth rate limit does. Every failure is `YAVIO-3009`.
 */
export class OAuth extends Context.Tag("@yavio/accounts/OAuth")<
  OAuth,
  {
    /** The configured providers, for the login page's buttons (`GET /api/auth/config`). */
    readonly providers: ReadonlyArray<OAuthProvider>
    readonly start: (
      provider: string,
      next: string | undefined,
      request: RequestInfo,
    ) => Effect.Effect<OAuthStart, OauthError | AuthRouteRateLimited>
    readonly callback: (
      provider: string,
      input: OAuthCallbackInput,
      cookie: string | undefined,
      request: RequestInfo,
    ) => Effect.Effect<OAuthSignIn, OauthError | AuthRouteRateLimited | InternalDashboardError>
    readonly linked: (userId: string) => Effect.Effect<LinkedAccounts, InternalDashboardError>
  }
>() {
  static readonly make = Effect.gen(function* () {
    const config = yield* AccountsConfig
    const sql = yield* PgClient
    const sessions = yield* Sessions
    const workspaces = yield* Workspaces
    const limits = yield* RateLimits
    const http = yield* HttpClient.HttpClient
    const settings: OAuthSettings = config.oauth ?? { clients: {}, encryptionKey: undefined }
    const providers = oauthProviders.filter((p) => settings.clients[p] !== undefined)
    // oauthSettingsWith refuses clients without a key, so a configured provider always has one.
    const cipher =
      settings.encryptionKey === undefined
        ? undefined
        : makeTokenCipher(Redacted.value(settings.encryptionKey))
    const redirectUri = (provider: OAuthProvider) =>
      `${config.dashboardUrl}/api/auth/oauth/${provider}/callback`

    const clientOf = (provider: string): Effect.Effect<[OAuthProvider, OAuthClient], OauthError> => {
      const client = isProvider(provider) ? settings.clients[provider] : undefined
      if (client !== undefined && cipher !== undefined)
        return Effect.succeed([provider as OAuthProvider, client])
      return Effect.fail(
        new OauthError({
          detail: isProvider(provider)
            ? `${provider} sign-in is not configured (set ${clientVariables(provider).join(" and ")})`
            : `unknown sign-in provider "${provider.slice(0, 40)}" (github or google)`,
        }),
      )
    }

    const start = (provider: string, next: string | undefined, request: RequestInfo) =>
      Effect.gen(function* () {
        yield* limits.auth("auth", request.ip)
        const [name, client] = yield* clientOf(provider)
        const state = b64url(randomBytes(32))
        const verifier = b64url(randomBytes(32))
        const url = new URL(client.endpoints.authorizeUrl)
        url.searchParams.set("client_id", client.clientId)
        url.searchParams.set("redirect_uri", redirectUri(name))
        url.searchParams.set("response_type", "code")
        url.searchParams.set("scope", scopes[name])
        url.searchParams.set("state", state)
        url.searchParams.set("code_challenge", b64url(createHash("sha256").update(verifier).digest()))
        url.searchParams.set("code_challenge_method", "S256")
        const kept = safeNext(next, config.dashboardUrl) ?? ""
        return {
          location: url.toString(),
          cookie: [name, state, verifier, b64url(Buffer.from(kept, "utf8"))].join("."),
        }
      })

    const call = (request: HttpClientRequest.HttpClientRequest, what: string) =>
      http.execute(request).pipe(
        Effect.flatMap((response) =>
          Effect.flatMap(response.json, (body) =>
            response.status >= 200 && response.status < 300
              ? Effect.succeed(body)
              : Effect.fail(`HTTP ${response.status}: ${JSON.stringify(body).slice(0, 300)}`),
          ),
        ),
        Effect.timeout("10 seconds"),
        Effect.mapError((cause) => new OauthError({ detail: `${what} failed`, cause })),
      )

    const exchange = (provider: OAuthProvider, client: OAuthClient, code: string, verifier: string) =>
      Effect.gen(function* () {
        const body = record(
          yield* call(
            HttpClientRequest.post(client.endpoints.tokenUrl).pipe(
              HttpClientRequest.acceptJson,
              HttpClientRequest.bodyUrlParams({
                grant_type: "authorization_code",
                code,
                redirect_uri: redirectUri(provider),
                client_id: client.clientId,
                client_secret: Redacted.value(client.clientSecret),
                code_verifier: verifier,
              }),
            ),
            `${provider} code exchange`,
          ),
        )
        // GitHub reports a bad code with 200 and an `error` field, so the token's presence decides.
        const accessToken = text(body.access_token)
        if (accessToken === undefined) {
          return yield* new OauthError({
            detail: `${provider} code exchange failed`,
            cause: `no access_token (error: ${text(body.error) ?? "none"})`,
          })
        }
        const expires = Number(body.expires_in)
        return {
          accessToken,
          refreshToken: text(body.refresh_token),
          expiresInSeconds: Number.isFinite(expires) && expires > 0 ? expires : undefined,
        } satisfies ProviderTokens
      })

    const authorized = (url: string, token: string) =>
      HttpClientRequest.get(url).pipe(
        HttpClientRequest.acceptJson,
        HttpClientRequest.bearerToken(token),
        // GitHub's API refuses requests without a User-Agent.
        HttpClientRequest.setHeader("user-agent", "yavio"),
      )

    const profileOf = (provider: OAuthProvider, client: OAuthClient, token: string) =>
      Effect.gen(function* () {
        const user = record(yield* call(authorized(client.endpoints.userUrl, token), `${provider} profile`))
        if (provider === "google") {
          const accountId = text(user.sub)
          if (accountId === undefined)
            return yield* new OauthError({ detail: "google profile has no account id" })
          return {
            accountId,
            email: text(user.email),
            // Google sends a boolean; some proxies stringify it.
            emailVerified: user.email_verified === true || user.email_verified === "true",
            name: text(user.name) ?? null,
            avatarUrl: text(user.picture) ?? null,
          } satisfies ProviderProfile
        }
        const accountId = text(user.id)
        if (accountId === undefined)
          return yield* new OauthError({ detail: "github profile has no account id" })
        // /user shows only a public email, without its verified state: /user/emails has both.
        const emails = yield* call(
          authorized(client.endpoints.emailsUrl ?? `${client.endpoints.userUrl}/emails`, token),
          "github email lookup",
        )
        const list = Array.isArray(emails) ? emails.map(record) : []
        const primary = list.find((e) => e.primary === true) ?? list.find((e) => e.verified === true)
        return {
          accountId,
          email: text(primary?.email),
          emailVerified: primary?.verified === true,
          name: text(user.name) ?? text(user.login) ?? null,
          avatarUrl: text(user.avatar_url) ?? null,
        } satisfies ProviderProfile
      })

    const tokenColumns = (tokens: ProviderTokens) => ({
      access: cipher!.encrypt(tokens.accessToken),
      refresh: tokens.refreshToken === undefined ? null : cipher!.encrypt(tokens.refreshToken),
      expiresAt:
        tokens.expiresInSeconds === undefined ? null : new Date(Date.now() + tokens.expiresInSeconds * 1000),
    })

    /** dashboard.md §1.5 account resolution, in one transaction. */
    const resolve = (provider: OAuthProvider, profile: ProviderProfile, tokens: ProviderTokens) =>
      Effect.gen(function* () {
        const sealed = tokenColumns(tokens)
        // (1) A known provider account: that user, whatever its email is now.
        const [known] = yield* sql<{ user_id: string }>`
          UPDATE oauth_accounts SET access_token_encrypted = ${sealed.access},
                 refresh_token_encrypted = coalesce(${sealed.refresh}, refresh_token_encrypted),
                 expires_at = ${sealed.expiresAt}
          WHERE provider = ${provider} AND provider_account_id = ${profile.accountId}
          RETURNING user_id`
        if (known !== undefined) return { userId: known.user_id, created: false }

        // Linking or creating by email needs the provider's word that the mailbox is theirs:
        // otherwise anyone could claim a victim's address at the provider and take the account.
        if (profile.email === undefined) {
          return yield* new OauthError({ detail: `your ${provider} account has no email address we can use` })
        }
        const address = normalizeEmail(profile.email)
        if (!profile.emailVerified) {
          return yield* new OauthError({
            detail: `${provider} reports ${address} as not verified; verify it at ${provider} or sign in with your password`,
          })
        }
        const link = (userId: string) => sql`
          INSERT INTO oauth_accounts (user_id, provider, provider_account_id, access_token_encrypted,
                                      refresh_token_encrypted, expires_at)
          VALUES (${userId}, ${provider}, ${profile.accountId}, ${sealed.access}, ${sealed.refresh}, ${sealed.expiresAt})`

        // (2) An existing user with that email: link.
        const [existing] = yield* sql<{
          id: string
          email: string
          name: string | null
          email_verified: boolean
        }>`
          SELECT id, email, name, email_verified FROM users WHERE email = ${address} FOR UPDATE`
        if (existing !== undefined) {
          yield* link(existing.id)
          if (existing.email_verified) return { userId: existing.id, created: false }
          // Someone registered this address but never proved it; the provider just did. Whoever
          // chose that password did not show they own the mailbox (a pre-registered account
          // takeover), so the password goes, and the account becomes what verification makes it.
          yield* sql`UPDATE users SET email_verified = true, password_hash = NULL WHERE id = ${existing.id}`
          yield* sql`DELETE FROM sessions WHERE user_id = ${existing.id}`
          yield* workspaces.createDefault(existing)
          return { userId: existing.id, created: true }
        }

        // (3) A new, verified, password-less user with the default workspace verification gives.
        const [user] = yield* sql<{ id: string; email: string; name: string | null }>`
          INSERT INTO users (email, name, password_hash, email_verified, avatar_url)
          VALUES (${address}, ${profile.name?.slice(0, 100) ?? null}, NULL, true, ${profile.avatarUrl})
          RETURNING id, email, name`
        yield* link(user!.id)
        yield* workspaces.createDefault(user!)
        return { userId: user!.id, created: true }
      }).pipe(sql.withTransaction, orInternal)

    const parseCookie = (cookie: string | undefined) => {
      const [provider, state, verifier, next] = (cookie ?? "").split(".")
      return provider && state && verifier && next !== undefined
        ? { provider, state, verifier, next: Buffer.from(next, "base64url").toString("utf8") }
        : undefined
    }

    const callback = (
      provider: string,
      input: OAuthCallbackInput,
      cookie: string | undefined,
      request: RequestInfo,
    ) =>
      Effect.gen(function* () {
        yield* limits.auth("auth", request.ip)
        const [name, client] = yield* clientOf(provider)
        if (input.error !== undefined) {
          return yield* new OauthError({
            detail: `${name} answered ${input.error.slice(0, 60)}${input.errorDescription ? `: ${input.errorDescription.slice(0, 200)}` : ""}`,
          })
        }
        const started = parseCookie(cookie)
        if (
          started === undefined ||
          started.provider !== name ||
          !sameSecret(started.state, input.state ?? "")
        ) {
          return yield* new OauthError({
            detail: "the sign-in did not start in this browser or took longer than 10 minutes; try again",
          })
        }
        if (input.code === undefined || input.code === "") {
          return yield* new OauthError({ detail: `${name} sent no authorization code` })
        }
        const tokens = yield* exchange(name, client, input.code, started.verifier)
        const profile = yield* profileOf(name, client, tokens.accessToken)
        const { userId, created } = yield* resolve(name, profile, tokens)
        const grant = yield* sessions.open(userId, request)
        const location = created
          ? "/onboarding"
          : (safeNext(started.next || undefined, config.dashboardUrl) ?? "/")
        return { grant, location, created }
      })

    const linked = (userId: string) =>
      Effect.gen(function* () {
        const rows = yield* sql<{ provider: OAuthProvider; created_at: Date }>`
          SELECT provider, created_at FROM oauth_accounts WHERE user_id = ${userId} ORDER BY provider`
        const [user] = yield* sql<{ has_password: boolean }>`
          SELECT password_hash IS NOT NULL AS has_password FROM users WHERE id = ${userId}`
        return {
          providers: rows.map((r) => ({ provider: r.provider, linkedAt: r.created_at })),
          hasPassword: user?.has_password ?? false,
        }
      }).pipe(orInternal)

    return OAuth.of({ providers, start, callback, linked })
  })

  /** Provider calls go through undici: `FetchHttpClient` breaks once platform-node is loaded. */
  static readonly layer = Layer.effect(this, this.make).pipe(Layer.provide(NodeHttpClient.layerUndici))
}
