import { createServer } from "node:http"
import type { AddressInfo } from "node:net"
import { NodeHttpClient, NodeHttpServer } from "@effect/platform-node"
import { RpcSerialization } from "@effect/rpc"
import { PgClient } from "@effect/sql-pg/PgClient"
import { expect, layer } from "@effect/vitest"
import { Effect, Either, Layer, Redacted } from "effect"
import { AccountsConfig, type AccountsSettings, defaultRateLimits } from "../src/AccountsConfig.js"
import { AccountsRpcLive } from "../src/AccountsLayer.js"
import { Auth } from "../src/Auth.js"
import { makeDashboardHttp } from "../src/DashboardHttp.js"
import { Email } from "../src/Email.js"
import { OAuth, safeNext } from "../src/OAuth.js"
import { oauthSettingsWith } from "../src/OAuthSettings.js"
import { PasswordHasher } from "../src/PasswordHasher.js"
import { makeTokenCipher, parseEncryptionKey } from "../src/TokenCipher.js"
import { OAuthStub, OAuthStubLive, STUB_CLIENT } from "./support/oauthStub.js"
import { pglite } from "./support/stores.js"

const dashboardUrl = "http://localhost:3000"
const KEY = Buffer.alloc(32, 7).toString("base64")
const request = { ip: "127.0.0.1", userAgent: "vitest" }

const baseSettings: AccountsSettings = {
  dashboardUrl,
  apiKeyHashSecret: Redacted.make("oauth-test-secret"),
  defaultPlan: "community",
  rateLimits: { ...defaultRateLimits, authStrictPerMinute: 100_000, authPerMinute: 100_000 },
}

/** Both providers configured, every endpoint pointing at the local stub. */
const configured = Layer.unwrapEffect(
  Effect.gen(function* () {
    const stub = yield* OAuthStub
    const client = (provider: "github" | "google") => ({
      clientId: STUB_CLIENT.id,
      clientSecret: Redacted.make(STUB_CLIENT.secret),
      endpoints: {
        authorizeUrl: `${stub.base}/${provider}/authorize`,
        tokenUrl: `${stub.base}/${provider}/token`,
        userUrl: `${stub.base}/${provider}/${provider === "github" ? "user" : "userinfo"}`,
        emailsUrl: provider === "github" ? `${stub.base}/github/user/emails` : undefined,
      },
    })
    const oauth = yield* oauthSettingsWith({
      clients: { github: client("github"), google: client("google") },
      encryptionKey: KEY,
    })
    return Layer.mergeAll(
      AccountsConfig.layerWith({ ...baseSettings, oauth }),
      // Email-disabled mode: a password registration is verified at once (the linking cases).
      Email.layerWith({ _tag: "disabled" }),
      PasswordHasher.layerWith({ logN: 12, r: 8, p: 1 }),
    )
  }).pipe(Effect.orDie),
)

const testLayer = AccountsRpcLive.pipe(
  Layer.provideMerge(configured),
  Layer.provideMerge(OAuthStubLive),
  Layer.provideMerge(pglite.store),
)

/** The dashboard HTTP app on a real Node server at a free port. */
const serve = Effect.gen(function* () {
  const app = yield* makeDashboardHttp({ dashboardUrl, ingestUrl: "http://localhost:3001" })
  const server = createServer(yield* NodeHttpServer.makeHandler(app))
  yield* Effect.acquireRelease(
    Effect.async<void>((resume) => {
      server.listen(0, "127.0.0.1", () => resume(Effect.void))
    }),
    () =>
      Effect.async<void>((resume) => {
        server.closeAllConnections()
        server.close(() => resume(Effect.void))
      }),
  )
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`
}).pipe(Effect.provide(RpcSerialization.layerJson))

/** A browser that keeps cookies and does not follow redirects, so each hop can be checked. */
const browser = (base: string) => {
  const jar = new Map<string, string>()
  const get = (url: string) =>
    Effect.promise(async () => {
      const absolute = url.startsWith("http") ? url : `${base}${url}`
      const ours = absolute.startsWith(base)
      const response = await fetch(absolute, {
        redirect: "manual",
        headers: ours ? { cookie: [...jar].map(([k, v]) => `${k}=${v}`).join("; ") } : {},
      })
      const setCookies = response.headers.getSetCookie()
      if (ours) {
        for (const line of setCookies) {
          const [pair] = line.split(";")
          const [name, ...value] = pair!.split("=")
          if (value.join("=") === "") jar.delete(name!)
          else jar.set(name!, value.join("="))
        }
      }
      const text = await response.text()
      return {
        status: response.status,
        location: response.headers.get("location") ?? "",
        setCookies,
        json: text.startsWith("{") ? JSON.parse(text) : undefined,
      }
    })
  return { get, jar }
}

type Browser = ReturnType<typeof browser>

/** Start at the dashboard, let the stub approve, come back to the callback: the redirect it answers. */
const signIn = (
  b: Browser,
  provider: "github" | "google",
  options: { readonly next?: string; readonly tamper?: (query: URLSearchParams) => void } = {},
) =>
  Effect.gen(function* () {
    const started = yield* b.get(
      `/api/auth/oauth/${provider}${options.next === undefined ? "" : `?next=${encodeURIComponent(options.next)}`}`,
    )
    expect(started.status).toBe(302)
    const approved = yield* b.get(started.location)
    expect(approved.status).toBe(302)
    const back = new URL(approved.location)
    expect(`${back.origin}${back.pathname}`).toBe(`${dashboardUrl}/api/auth/oauth/${provider}/callback`)
    options.tamper?.(back.searchParams)
    return { started, callback: yield* b.get(`${back.pathname}?${back.searchParams}`) }
  })

let counter = 0
const fresh = (label: string) => `${label}-${process.pid}-${++counter}@example.com`
const freshId = () => String(100_000 + ++counter)

const userByEmail = (email: string) =>
  Effect.flatMap(PgClient, (sql) =>
    sql<{ id: string; password_hash: string | null; email_verified: boolean; avatar_url: string | null }>`
      SELECT id, password_hash, email_verified, avatar_url FROM users WHERE email = ${email}`.pipe(
      Effect.map((rows) => rows[0]),
    ),
  )
const linksOf = (userId: string) =>
  Effect.flatMap(
    PgClient,
    (sql) =>
      sql<{
        provider: string
        provider_account_id: string
        access_token_encrypted: string | null
        refresh_token_encrypted: string | null
        expires_at: Date | null
      }>`SELECT provider, provider_account_id, access_token_encrypted, refresh_token_encrypted, expires_at
       FROM oauth_accounts WHERE user_id = ${userId} ORDER BY provider`,
  )
const workspaceCount = (userId: string) =>
  Effect.flatMap(PgClient, (sql) =>
    sql<{
      n: number
    }>`SELECT count(*)::int AS n FROM workspace_members WHERE user_id = ${userId} AND role = 'admin'`.pipe(
      Effect.map((rows) => rows[0]!.n),
    ),
  )

const failedTo3009 = (callback: { status: number; location: string; setCookies: Array<string> }) => {
  expect([callback.status, callback.location]).toEqual([302, "/login?error=YAVIO-3009"])
  expect(callback.setCookies.some((c) => c.startsWith("yavio_session="))).toBe(false)
  // The state cookie is single use, whatever the outcome.
  expect(callback.setCookies.find((c) => c.startsWith("yavio_oauth="))).toMatch(/Max-Age=0/)
}

layer(testLayer, { timeout: "120 seconds", excludeTestServices: true })(
  "OAuth [pglite, stub provider]",
  (it) => {
    it.scoped(
      "GitHub, first sign-in: authorize URL, state cookie, new verified user + workspace + session → /onboarding",
      () =>
        Effect.gen(function* () {
          const stub = yield* OAuthStub
          const b = browser(yield* serve)
          const email = fresh("gh-new")
          stub.next = { id: freshId(), email, verified: true, name: "Grace Hopper" }
          const { started, callback } = yield* signIn(b, "github")

          const authorize = new URL(started.location)
          expect(`${authorize.origin}${authorize.pathname}`).toBe(`${stub.base}/github/authorize`)
          const q = authorize.searchParams
          expect(q.get("client_id")).toBe(STUB_CLIENT.id)
          expect(q.get("redirect_uri")).toBe(`${dashboardUrl}/api/auth/oauth/github/callback`)
          expect(q.get("scope")).toBe("read:user user:email")
          expect(q.get("response_type")).toBe("code")
          expect(q.get("code_challenge_method")).toBe("S256")
          expect(q.get("state")).toMatch(/^[A-Za-z0-9_-]{43}$/)
          const stateCookie = started.setCookies.find((c) => c.startsWith("yavio_oauth="))!
          expect(stateCookie).toMatch(/; Max-Age=600/)
          expect(stateCookie).toMatch(/; Path=\/api\/auth\/oauth/)
          expect(stateCookie).toMatch(/; HttpOnly/)
          expect(stateCookie).toMatch(/; SameSite=Lax/)
          // The token request carried the verifier and no PKCE-less shortcut was taken (the stub checks it).
          expect(stub.lastTokenForm?.get("code_verifier")).toMatch(/^[A-Za-z0-9_-]{43}$/)

          expect([callback.status, callback.location]).toEqual([302, "/onboarding"])
          const session = callback.setCookies.find((c) => c.startsWith("yavio_session="))!
          expect(session).toMatch(/; HttpOnly/)
          expect(callback.setCookies.find((c) => c.startsWith("yavio_oauth="))).toMatch(/Max-Age=0/)

          const user = (yield* userByEmail(email))!
          expect(user.password_hash).toBeNull()
          expect(user.email_verified).toBe(true)
          expect(user.avatar_url).toBe(`https://avatars.example/${stub.next.id}`)
          expect(yield* workspaceCount(user.id)).toBe(1)
          const signedIn = yield* (yield* Auth).session(b.jar.get("yavio_session")!)
          expect(signedIn.id).toBe(user.id)

          // User → Security's list: this session's providers, and no password yet.
          const linked = yield* b.get("/api/auth/oauth")
          expect(linked.status).toBe(200)
          expect(linked.json.hasPassword).toBe(false)
          expect(linked.json.providers.map((p: { provider: string }) => p.provider)).toEqual(["github"])
          const anonymous = yield* browser(yield* serve).get("/api/auth/oauth")
          expect([anonymous.status, anonymous.json.error.code]).toEqual([401, "YAVIO-3000"])
        }),
    )

    it.scoped(
      "the same provider account again resolves to the same user, honours a safe ?next=, refuses an unsafe one",
      () =>
        Effect.gen(function* () {
          const stub = yield* OAuthStub
          const b = browser(yield* serve)
          const email = fresh("gh-again")
          stub.next = { id: freshId(), email, verified: true, name: "Ada" }
          expect((yield* signIn(b, "github")).callback.location).toBe("/onboarding")
          const user = (yield* userByEmail(email))!

          const again = yield* signIn(browser(yield* serve), "github", {
            next: "/acme/shop/overview?range=7d",
          })
          expect([again.callback.status, again.callback.location]).toEqual([
            302,
            "/acme/shop/overview?range=7d",
          ])
          // Even with another email at the provider now: the link, not the address, decides.
          stub.next = { ...stub.next, email: fresh("gh-renamed") }
          for (const next of ["//evil.example/x", "https://evil.example/", "/\\evil.example"]) {
            const unsafe = yield* signIn(browser(yield* serve), "github", { next })
            expect(unsafe.callback.location).toBe("/")
          }
          expect((yield* linksOf(user.id)).length).toBe(1)
          expect(yield* workspaceCount(user.id)).toBe(1)
          const sql = yield* PgClient
          const rows = yield* sql<{
            n: number
          }>`SELECT count(*)::int AS n FROM sessions WHERE user_id = ${user.id}`
          expect(rows[0]!.n).toBe(5)
        }),
    )

    it.scoped(
      "Google with a verified email links to the existing password user; tokens are stored encrypted",
      () =>
        Effect.gen(function* () {
          const stub = yield* OAuthStub
          const email = fresh("google-link")
          yield* (yield* Auth).register(
            { email, password: "correct horse battery", name: "Existing" },
            request,
          )
          const before = (yield* userByEmail(email))!
          expect(before.email_verified).toBe(true)

          stub.next = { id: `g-${freshId()}`, email: email.toUpperCase(), verified: true, name: "Existing" }
          const b = browser(yield* serve)
          const { started, callback } = yield* signIn(b, "google")
          const q = new URL(started.location).searchParams
          expect(q.get("scope")).toBe("openid email profile")
          expect(q.get("code_challenge_method")).toBe("S256")
          expect([callback.status, callback.location]).toEqual([302, "/"])

          const after = (yield* userByEmail(email))!
          expect(after.id).toBe(before.id)
          expect(after.password_hash).toBe(before.password_hash)
          expect(yield* workspaceCount(after.id)).toBe(1)
          const [link] = yield* linksOf(after.id)
          expect(link!.provider).toBe("google")
          expect(link!.provider_account_id).toBe(stub.next.id)
          const access = stub.issued.at(-1)!
          // Not plaintext: the columns hold AES-256-GCM envelopes that only ENCRYPTION_KEY opens.
          expect(link!.access_token_encrypted).toMatch(/^v1\./)
          expect(link!.access_token_encrypted).not.toContain(access)
          expect(link!.refresh_token_encrypted).not.toContain("refresh")
          expect(link!.expires_at!.getTime()).toBeGreaterThan(Date.now() + 3_500_000)
          const cipher = makeTokenCipher(Either.getOrThrow(parseEncryptionKey(KEY)))
          expect(cipher.decrypt(link!.access_token_encrypted!)).toBe(access)
          expect(cipher.decrypt(link!.refresh_token_encrypted!)).toBe(`${access}-refresh`)
          expect(makeTokenCipher(Buffer.alloc(32, 8)).decrypt(link!.access_token_encrypted!)).toBeUndefined()
        }),
    )

    it.scoped(
      "an unverified provider email is never linked (nor used for a new account): YAVIO-3009 with a clear detail",
      () =>
        Effect.gen(function* () {
          const stub = yield* OAuthStub
          const oauth = yield* OAuth
          const email = fresh("unverified")
          yield* (yield* Auth).register({ email, password: "correct horse battery" }, request)
          const existing = (yield* userByEmail(email))!
          stub.next = { id: freshId(), email, verified: false, name: "Mallory" }

          failedTo3009((yield* signIn(browser(yield* serve), "github")).callback)
          expect(yield* linksOf(existing.id)).toEqual([])

          // The service says why (the edge keeps it in the log).
          const started = yield* oauth.start("github", undefined, request)
          const approved = yield* browser(stub.base).get(started.location)
          const back = new URL(approved.location).searchParams
          const error = yield* Effect.flip(
            oauth.callback(
              "github",
              { code: back.get("code")!, state: back.get("state")! },
              started.cookie,
              request,
            ),
          )
          expect(error.code).toBe("YAVIO-3009")
          expect(error.detail).toBe(
            `github reports ${email} as not verified; verify it at github or sign in with your password`,
          )
          // No account is created for an unverified address either.
          const stranger = fresh("unverified-new")
          stub.next = { id: freshId(), email: stranger, verified: false, name: "Nobody" }
          failedTo3009((yield* signIn(browser(yield* serve), "google")).callback)
          expect(yield* userByEmail(stranger)).toBeUndefined()
        }),
    )

    it.scoped(
      "a verified provider email takes over an unverified password registration: password dropped, workspace made",
      () =>
        Effect.gen(function* () {
          const stub = yield* OAuthStub
          const sql = yield* PgClient
          const email = fresh("preregistered")
          yield* (yield* Auth).register({ email, password: "attacker chose this" }, request)
          const squatter = (yield* userByEmail(email))!
          yield* sql`UPDATE users SET email_verified = false WHERE id = ${squatter.id}`
          yield* sql`DELETE FROM workspaces WHERE owner_id = ${squatter.id}`
          stub.next = { id: `g-${freshId()}`, email, verified: true, name: "Owner" }
          const { callback } = yield* signIn(browser(yield* serve), "google")
          expect(callback.location).toBe("/onboarding")
          const owner = (yield* userByEmail(email))!
          expect(owner.id).toBe(squatter.id)
          expect([owner.email_verified, owner.password_hash]).toEqual([true, null])
          expect(yield* workspaceCount(owner.id)).toBe(1)
          const login = yield* Effect.flip(
            (yield* Auth).login({ email, password: "attacker chose this" }, request),
          )
          expect(login.code).toBe("YAVIO-3001")
        }),
    )

    it.scoped(
      "state mismatch, a missing state cookie, ?error=access_denied and a failed exchange → /login?error=YAVIO-3009",
      () =>
        Effect.gen(function* () {
          const stub = yield* OAuthStub
          const base = yield* serve
          stub.next = { id: freshId(), email: fresh("failing"), verified: true, name: "F" }

          const mismatch = yield* signIn(browser(base), "github", {
            tamper: (q) => q.set("state", "A".repeat(43)),
          })
          failedTo3009(mismatch.callback)

          // Started in another browser: this one has no state cookie.
          const other = browser(base)
          const started = yield* other.get("/api/auth/oauth/google")
          const approved = yield* other.get(started.location)
          const back = new URL(approved.location)
          failedTo3009(yield* browser(base).get(`${back.pathname}${back.search}`))
          // State from a github start cannot finish a google callback.
          const crossed = browser(base)
          const gh = new URL((yield* crossed.get("/api/auth/oauth/github")).location).searchParams.get(
            "state",
          )!
          failedTo3009(yield* crossed.get(`/api/auth/oauth/google/callback?code=x&state=${gh}`))

          const denied = browser(base)
          const s = new URL((yield* denied.get("/api/auth/oauth/github")).location).searchParams.get("state")!
          failedTo3009(
            yield* denied.get(
              `/api/auth/oauth/github/callback?error=access_denied&error_description=The+user+denied&state=${s}`,
            ),
          )

          stub.failExchange = true
          try {
            failedTo3009((yield* signIn(browser(base), "github")).callback)
            failedTo3009((yield* signIn(browser(base), "google")).callback)
          } finally {
            stub.failExchange = false
          }
          expect(yield* userByEmail(stub.next.email!)).toBeUndefined()
        }),
    )

    it.scoped(
      "an unconfigured provider answers YAVIO-3009 naming its variables; a client without ENCRYPTION_KEY fails at start",
      () =>
        Effect.gen(function* () {
          const none = yield* OAuth.make.pipe(
            Effect.provide(AccountsConfig.layerWith({ ...baseSettings, oauth: undefined })),
            Effect.provide(NodeHttpClient.layerUndici),
          )
          expect(none.providers).toEqual([])
          const error = yield* Effect.flip(none.start("github", undefined, request))
          expect([error.code, error.detail]).toEqual([
            "YAVIO-3009",
            "github sign-in is not configured (set GITHUB_CLIENT_ID and GITHUB_CLIENT_SECRET)",
          ])
          const unknown = yield* Effect.flip(none.start("gitlab", undefined, request))
          expect(unknown.code).toBe("YAVIO-3009")

          // Over HTTP the configured ones start; the JSON error names the variables.
          expect((yield* OAuth).providers).toEqual(["github", "google"])
          const b = browser(yield* serve)
          const config = yield* b.get("/api/auth/config")
          expect(config.json.oauthProviders).toEqual(["github", "google"])
          const bad = yield* b.get("/api/auth/oauth/gitlab")
          expect([bad.status, bad.json.error.code]).toEqual([400, "YAVIO-3009"])

          const client = {
            clientId: "id",
            clientSecret: Redacted.make("secret"),
            endpoints: { authorizeUrl: "http://x", tokenUrl: "http://x", userUrl: "http://x" },
          }
          const missing = yield* Effect.flip(
            oauthSettingsWith({ clients: { github: client }, encryptionKey: undefined }),
          )
          expect(missing.code).toBe("YAVIO-7200")
          expect(missing.detail).toContain("ENCRYPTION_KEY")
          expect(missing.detail).toContain("GITHUB_CLIENT_ID")
          const short = yield* Effect.flip(
            oauthSettingsWith({ clients: { github: client }, encryptionKey: "c2hvcnQ=" }),
          )
          expect([short.code, short.detail?.startsWith("ENCRYPTION_KEY")]).toEqual(["YAVIO-7201", true])
          // Without any client, no key is needed (a server install without OAuth).
          expect((yield* oauthSettingsWith({ clients: {}, encryptionKey: undefined })).clients).toEqual({})
        }),
    )
  },
)

layer(Layer.empty)("OAuth helpers", (it) => {
  it("ENCRYPTION_KEY parses as base64, base64url or hex, 32 bytes only; the cipher round-trips and rejects tampering", () => {
    const hex = "ab".repeat(32)
    expect(Either.isRight(parseEncryptionKey(hex))).toBe(true)
    expect(Either.isRight(parseEncryptionKey(Buffer.alloc(32, 1).toString("base64url")))).toBe(true)
    expect(Either.isLeft(parseEncryptionKey(Buffer.alloc(16, 1).toString("base64")))).toBe(true)
    expect(Either.isLeft(parseEncryptionKey("not a key"))).toBe(true)
    const cipher = makeTokenCipher(Either.getOrThrow(parseEncryptionKey(hex)))
    const a = cipher.encrypt("gho_secret")
    expect(a).not.toBe(cipher.encrypt("gho_secret"))
    expect(cipher.decrypt(a)).toBe("gho_secret")
    // The ciphertext's first character (6 full bits; a last one may partly encode padding),
    // always changed: "A" ↔ "B" by what it is, never by a neighbour (that left it as it was
    // once in 64 runs, and the tampered token decrypted).
    const at = a.lastIndexOf(".") + 1
    const flipped = `${a.slice(0, at)}${a[at] === "A" ? "B" : "A"}${a.slice(at + 1)}`
    expect(flipped).not.toBe(a)
    expect(cipher.decrypt(flipped)).toBeUndefined()
  })

  it("safeNext keeps same-site paths only", () => {
    expect(safeNext("/a/b?c=1#d", dashboardUrl)).toBe("/a/b?c=1#d")
    for (const bad of [
      "//evil.example",
      "/\\evil.example",
      "https://evil.example",
      "evil",
      "/a\nb",
      undefined,
    ]) {
      expect(safeNext(bad, dashboardUrl)).toBeUndefined()
    }
  })
})
