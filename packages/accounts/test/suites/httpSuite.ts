import { createServer } from "node:http"
import type { AddressInfo } from "node:net"
// FetchHttpClient breaks in Node once platform-node is loaded (STACK-NOTES): undici it is.
import { HttpClient, HttpClientRequest } from "@effect/platform"
import { NodeHttpClient, NodeHttpServer } from "@effect/platform-node"
import { RpcClient, RpcSerialization } from "@effect/rpc"
import { PgClient } from "@effect/sql-pg/PgClient"
import { expect, type Vitest } from "@effect/vitest"
import { AccountsRpc } from "@yavio/domain/rpc/AccountsRpc"
import { ConfigProvider, Effect, Layer } from "effect"
import { AccountsServer } from "../../src/AccountsServer.js"
import { makeDashboardHttp } from "../../src/DashboardHttp.js"
import { sha256Hex } from "../../src/Tokens.js"
import { type AccountsTestServices, freshEmail, Harness, withRateLimits } from "../support/harness.js"
import { latestLink } from "../support/outbox.js"
import { outcome } from "../support/world.js"

const dashboardUrl = "http://localhost:3000"

/** The dashboard HTTP app on a real Node server at a free port; closed with the scope. */
const serve = (options: { readonly dashboardUrl: string }) =>
  Effect.gen(function* () {
    const app = yield* makeDashboardHttp({
      dashboardUrl: options.dashboardUrl,
      ingestUrl: "http://localhost:3001",
    })
    const handler = yield* NodeHttpServer.makeHandler(app)
    const server = createServer(handler)
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

/** A tiny browser: keeps cookies, sends the dashboard's Origin and, once fetched, the CSRF token. */
const browser = (base: string, origin = dashboardUrl) => {
  const jar = new Map<string, string>()
  const call = (method: string, path: string, body?: unknown, extra: Record<string, string> = {}) =>
    Effect.promise(async () => {
      const response = await fetch(`${base}${path}`, {
        method,
        headers: {
          ...(body === undefined ? {} : { "content-type": "application/json" }),
          ...(method === "GET" ? {} : { origin }),
          ...(jar.has("yavio_csrf") ? { "x-csrf-token": jar.get("yavio_csrf")! } : {}),
          cookie: [...jar].map(([k, v]) => `${k}=${v}`).join("; "),
          ...extra,
        },
        ...(body === undefined ? {} : { body: typeof body === "string" ? body : JSON.stringify(body) }),
      })
      const setCookies = response.headers.getSetCookie()
      for (const line of setCookies) {
        const [pair] = line.split(";")
        const [name, ...value] = pair!.split("=")
        if (value.join("=") === "") jar.delete(name!)
        else jar.set(name!, value.join("="))
      }
      const text = await response.text()
      return {
        status: response.status,
        headers: response.headers,
        setCookies,
        json: text === "" ? undefined : JSON.parse(text),
      }
    })
  return { call, jar }
}

/**
 * AccountsRpc over HTTP with JSON serialization, as the dashboard's pages will call it: the
 * cookie and Origin travel as HTTP headers, the way a browser sends them.
 */
const rpcOverHttp = (base: string, headers: Record<string, string>) =>
  Effect.gen(function* () {
    const protocol = yield* Layer.build(
      RpcClient.layerProtocolHttp({
        url: `${base}/api/rpc`,
        transformClient: HttpClient.mapRequest(HttpClientRequest.setHeaders(headers)),
      }).pipe(Layer.provide([RpcSerialization.layerJson, NodeHttpClient.layerUndici])),
    )
    return yield* RpcClient.make(AccountsRpc).pipe(Effect.provide(protocol))
  })

export const httpSuite = (it: Vitest.MethodsNonLive<AccountsTestServices, true>, label: string) => {
  it.scoped(
    `HTTP: Origin and CSRF are enforced, cookies are httpOnly + SameSite=Lax, headers on every answer [${label}]`,
    () =>
      Effect.gen(function* () {
        const base = yield* serve({ dashboardUrl })
        const { outboxDir } = yield* Harness
        const b = browser(base)
        const email = freshEmail("http")

        const csrf = yield* b.call("GET", "/api/auth/csrf")
        expect(csrf.status).toBe(200)
        expect(csrf.headers.get("x-frame-options")).toBe("DENY")
        expect(csrf.headers.get("x-content-type-options")).toBe("nosniff")
        expect(csrf.headers.get("content-security-policy")).toContain(
          "connect-src 'self' http://localhost:3001;",
        )
        expect(csrf.headers.get("strict-transport-security")).toBeNull()
        expect(b.jar.get("yavio_csrf")).toBe(csrf.json.token)

        const body = { email, password: "correct horse battery", name: "Http User" }
        expect(
          (yield* b.call("POST", "/api/auth/register", body, { origin: "https://evil.example" })).json.error
            .code,
        ).toBe("YAVIO-3011")
        expect(
          (yield* b.call("POST", "/api/auth/register", body, { "x-csrf-token": "forged" })).json.error.code,
        ).toBe("YAVIO-3010")
        const registered = yield* b.call("POST", "/api/auth/register", body)
        expect(registered.status).toBe(201)
        expect(registered.json.verificationRequired).toBe(true)
        expect(registered.setCookies.some((c) => c.startsWith("yavio_session="))).toBe(false)

        // Malformed bodies are refused by the flow, never a 500.
        const garbage = yield* b.call("POST", "/api/auth/login", "{not json")
        expect([garbage.status, garbage.json.error.code]).toEqual([401, "YAVIO-3001"])
        const unverified = yield* b.call("POST", "/api/auth/login", { email, password: body.password })
        expect([unverified.status, unverified.json.error.code]).toEqual([403, "YAVIO-3002"])

        const { token } = latestLink(outboxDir, email, /Verify your email/)
        const verified = yield* b.call("POST", "/api/auth/verify-email", { token })
        expect(verified.status).toBe(200)
        const cookie = verified.setCookies.find((c) => c.startsWith("yavio_session="))!
        expect(cookie).toMatch(/; HttpOnly/)
        expect(cookie).toMatch(/; SameSite=Lax/)
        expect(cookie).toMatch(/; Path=\//)
        expect(cookie).not.toMatch(/; Secure/)

        // The RPC endpoint: the session cookie and the dashboard's Origin, over JSON.
        const session = `yavio_session=${b.jar.get("yavio_session")}`
        const client = yield* rpcOverHttp(base, { cookie: session, origin: dashboardUrl })
        const me = yield* client.me()
        expect(me.user.email).toBe(email)
        expect(me.memberships).toHaveLength(1)
        const created = yield* client.createProject({
          workspaceId: me.memberships[0]!.workspaceId,
          name: "Over HTTP",
        })
        // Dates survive the wire as Dates.
        expect(created.createdAt).toBeInstanceOf(Date)
        const anonymous = yield* rpcOverHttp(base, { origin: dashboardUrl })
        expect(yield* outcome(anonymous.me())).toBe("YAVIO-3000")
        const noOrigin = yield* b.call(
          "POST",
          "/api/rpc",
          { _tag: "Request", id: "1", tag: "me", payload: null, headers: [] },
          { origin: "" },
        )
        expect([noOrigin.status, noOrigin.json.error.code]).toEqual([403, "YAVIO-3011"])

        // Using an aging session extends it, and the cookie's expiry with it.
        const sql = yield* PgClient
        yield* sql`UPDATE sessions SET last_seen_at = now() - interval '2 days', expires_at = now() + interval '1 day'
                 WHERE token_hash = ${sha256Hex(b.jar.get("yavio_session")!)}`
        const raw = yield* b.call("POST", "/api/rpc", {
          _tag: "Request",
          id: "1",
          tag: "me",
          payload: null,
          headers: [],
        })
        expect(raw.status).toBe(200)
        expect(JSON.stringify(raw.json)).toContain(email)
        const refreshed = raw.setCookies.find((c) => c.startsWith("yavio_session="))!
        const expires = new Date(/Expires=([^;]+)/.exec(refreshed)![1]!)
        expect((expires.getTime() - Date.now()) / 86_400_000).toBeGreaterThan(29.9)
        expect(refreshed).toMatch(/; HttpOnly/)

        const landing = yield* b.call("GET", "/api/auth/invite/not-a-real-token")
        expect([landing.status, landing.json.error.code]).toEqual([400, "YAVIO-3008"])
        const oauth = yield* b.call("GET", "/api/auth/oauth/github")
        expect([oauth.status, oauth.json.error.code]).toEqual([400, "YAVIO-3009"])
        const missing = yield* b.call("GET", "/api/nothing-here")
        expect(missing.status).toBe(404)
        expect(missing.headers.get("x-frame-options")).toBe("DENY")

        const loggedOut = yield* b.call("POST", "/api/auth/logout")
        expect(loggedOut.status).toBe(200)
        expect(loggedOut.setCookies.find((c) => c.startsWith("yavio_session="))).toMatch(/Max-Age=0/)
        expect(yield* outcome(client.me())).toBe("YAVIO-3000")
        const again = yield* b.call("POST", "/api/auth/logout")
        expect([again.status, again.json.error.code]).toEqual([401, "YAVIO-3000"])
      }),
  )

  it.scoped(`HTTP: past a limit, 429 with Retry-After and RateLimit-* headers [${label}]`, () =>
    Effect.gen(function* () {
      const base = yield* serve({ dashboardUrl })
      const b = browser(base)
      yield* b.call("GET", "/api/auth/csrf")
      const answers = []
      for (let i = 0; i < 4; i++)
        answers.push(
          yield* b.call("POST", "/api/auth/login", { email: "x@example.com", password: "wrong password" }),
        )
      expect(answers.map((a) => a.status)).toEqual([401, 401, 401, 429])
      const refused = answers[3]!
      expect(refused.json.error.code).toBe("YAVIO-3800")
      expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0)
      expect(refused.headers.get("ratelimit-limit")).toBe("3")
      expect(refused.headers.get("ratelimit-remaining")).toBe("0")
      expect(refused.headers.get("ratelimit-reset")).toBe(refused.headers.get("retry-after"))
      // Other auth routes count against their own, larger budget.
      expect((yield* b.call("POST", "/api/auth/verify-email", { token: "nope" })).json.error.code).toBe(
        "YAVIO-3007",
      )
    }).pipe(Effect.provide(withRateLimits({ authStrictPerMinute: 3, authPerMinute: 30 }))),
  )

  it.scoped(`RPC limit: accounts writes count against the management budget, reads do not [${label}]`, () =>
    Effect.gen(function* () {
      const base = yield* serve({ dashboardUrl })
      const { outboxDir } = yield* Harness
      const b = browser(base)
      const email = freshEmail("limits")
      yield* b.call("GET", "/api/auth/csrf")
      yield* b.call("POST", "/api/auth/register", { email, password: "correct horse battery", name: "Limit" })
      const { token } = latestLink(outboxDir, email, /Verify your email/)
      yield* b.call("POST", "/api/auth/verify-email", { token })
      const client = yield* rpcOverHttp(base, {
        cookie: `yavio_session=${b.jar.get("yavio_session")}`,
        origin: dashboardUrl,
      })
      // Page views (me, lists, gets) as often as a user clicks: none of them spends the budget.
      const workspaceId = (yield* client.me()).memberships[0]!.workspaceId
      for (let i = 0; i < 5; i++) {
        yield* client.me()
        yield* client.listProjects({ workspaceId })
        yield* client.listWorkspaces()
      }
      const writes = []
      for (let i = 0; i < 3; i++)
        writes.push(yield* outcome(client.createProject({ workspaceId, name: `Limited ${i}` })))
      expect(writes).toEqual(["ok", "ok", "YAVIO-3802"])
      expect(yield* outcome(client.listProjects({ workspaceId }))).toBe("ok")
    }).pipe(Effect.provide(withRateLimits({ managementPerMinute: 2 }))),
  )

  it.scoped(
    `AccountsServer: the whole part npm start launches serves the auth flows on its port [${label}]`,
    () =>
      Effect.gen(function* () {
        const { outboxDir, secret } = yield* Harness
        const port = yield* Effect.promise(
          () =>
            new Promise<number>((resolve) => {
              const probe = createServer().listen(0, "127.0.0.1", () => {
                const { port } = probe.address() as AddressInfo
                probe.close(() => resolve(port))
              })
            }),
        )
        const serverOutbox = `${outboxDir}/server`
        // Read from an empty environment: no SMTP_HOST, so an embedded install's outbox.
        yield* Layer.build(
          AccountsServer({
            port,
            host: "127.0.0.1",
            dashboardUrl,
            ingestUrl: "http://localhost:3001",
            apiKeyHashSecret: secret,
            outboxDir: serverOutbox,
          }),
        ).pipe(Effect.withConfigProvider(ConfigProvider.fromMap(new Map())))
        const b = browser(`http://127.0.0.1:${port}`)
        expect((yield* b.call("GET", "/api/auth/csrf")).status).toBe(200)
        const email = freshEmail("server")
        const registered = yield* b.call("POST", "/api/auth/register", {
          email,
          password: "correct horse battery",
        })
        expect(registered.status).toBe(201)
        const { token } = latestLink(serverOutbox, email, /Verify your email/)
        const verified = yield* b.call("POST", "/api/auth/verify-email", { token })
        expect(verified.status).toBe(200)
        // The production scrypt cost: the stored hash names N = 2^17.
        const sql = yield* PgClient
        const [user] = yield* sql<{
          password_hash: string
        }>`SELECT password_hash FROM users WHERE email = ${email}`
        expect(user?.password_hash).toMatch(/^scrypt\$131072\$8\$1\$/)
      }),
  )

  it.scoped(`HTTP on an https dashboard URL: Secure cookies and HSTS [${label}]`, () =>
    Effect.gen(function* () {
      const base = yield* serve({ dashboardUrl: "https://dash.example.com" })
      const b = browser(base, "https://dash.example.com")
      const csrf = yield* b.call("GET", "/api/auth/csrf")
      expect(csrf.headers.get("strict-transport-security")).toBe("max-age=31536000; includeSubDomains")
      expect(csrf.setCookies[0]).toMatch(/; Secure/)
      const registered = yield* b.call("POST", "/api/auth/register", {
        email: freshEmail("https"),
        password: "correct horse battery",
      })
      expect(registered.status).toBe(201)
      const wrongOrigin = yield* b.call(
        "POST",
        "/api/auth/login",
        { email: "a@b.co", password: "x" },
        { origin: "http://dash.example.com" },
      )
      expect(wrongOrigin.json.error.code).toBe("YAVIO-3011")
    }),
  )
}
