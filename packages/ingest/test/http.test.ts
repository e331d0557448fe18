// The ingestion API over real HTTP, on the real embedded stores (PGlite + chDB), with the
// spec's default rate limits: accepted batches and what lands in ClickHouse, idempotent
// retries, authentication, widget tokens, CORS and the operational endpoints
// (ingest-and-storage.md §1, error-codes.md 2000–2399 and 7401).
import { decodeJwt, jwtVerify, SignJWT } from "jose"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import {
  batchOf,
  type ErrorJson,
  everyEventType,
  expectError,
  freshLoopbackAddress,
  fromClickhouseTime,
  futureEvent,
  type JsonEvent,
  newScope,
  outcomes,
  postEvents,
  postWidgetToken,
  type Reply,
  type ResultsJson,
  randomId,
  retryAfterOf,
  type Scope,
  send,
  serverEvent,
  trackEvent,
  widgetEvent,
} from "./support/events.js"
import { type IngestHarness, startIngest, TEST_SECRETS, type Tenant } from "./support/IngestHarness.js"

let ingest: IngestHarness
let tenant: Tenant
beforeAll(async () => {
  ingest = await startIngest()
  tenant = await ingest.createTenant("http")
}, 60_000)
afterAll(() => ingest?.close())

type Row = Record<string, unknown>

/** Rows of one project, deduplicated the way the dashboard reads them. */
const rowsOf = (projectId: string, where = "1") =>
  ingest.clickhouse<Row>(
    `SELECT * FROM events FINAL WHERE project_id = '${projectId}' AND (${where}) ORDER BY timestamp, event_type`,
  )

const inSession = (scope: Scope) => `session_id = '${scope.sessionId}'`

const metricValue = (text: string, series: string): number => {
  const line = text.split("\n").find((l) => l.startsWith(`${series} `))
  return line === undefined ? 0 : Number(line.slice(series.length + 1))
}
const metrics = async () => (await send(ingest.url, "/metrics", { method: "GET" })).text

const mintToken = async (scope: Scope, key = tenant.apiKey) => {
  const reply = await postWidgetToken(ingest.url, key, { traceId: scope.traceId, sessionId: scope.sessionId })
  expect(reply.status).toBe(200)
  return reply.json as { token: string; expiresAt: string }
}

const secretKey = new TextEncoder().encode(TEST_SECRETS.jwtSecret)

describe("POST /v1/events: accepted batches", () => {
  it("answers 200 {accepted} for one event of every type and writes each with the key's tenant and server time", async () => {
    const scope = newScope()
    const byType = everyEventType(scope)
    const events: JsonEvent[] = [...Object.values(byType), futureEvent(scope)]
    const before = Date.now()
    const reply = await postEvents(ingest.url, tenant.apiKey, batchOf(events))
    const after = Date.now()

    expect(reply.status).toBe(200)
    expect(reply.json).toEqual({ accepted: events.length })
    const rows = await rowsOf(tenant.projectId, inSession(scope))
    expect(rows.map((r) => r.event_id).sort()).toEqual(events.map((e) => e.event_id).sort())
    for (const row of rows) {
      const sent = events.find((e) => e.event_id === row.event_id)!
      expect(row).toMatchObject({
        workspace_id: tenant.workspaceId,
        project_id: tenant.projectId,
        event_type: sent.event_type,
        source: sent.source,
        session_id: scope.sessionId,
      })
      const ingestedAt = fromClickhouseTime(String(row.ingested_at)).getTime()
      expect(ingestedAt).toBeGreaterThanOrEqual(before - 1)
      expect(ingestedAt).toBeLessThanOrEqual(after + 1)
      expect(fromClickhouseTime(String(row.timestamp)).toISOString()).toBe(sent.timestamp)
    }
    // Type-specific columns made it through, not just the common fields.
    const column = (type: string, name: string) => rows.find((r) => r.event_type === type)?.[name]
    expect(column("tool_call", "latency_ms")).toBe(240.5)
    expect(column("tool_call", "tokens_out")).toBe(310)
    expect(column("conversion", "conversion_value")).toBe(129.9)
    expect(column("conversion", "conversion_currency")).toBe("NOK")
    expect(column("identify", "user_id")).toBe("user_77")
    expect(JSON.parse(String(column("identify", "user_traits")))).toEqual({ plan: "team" })
    expect(column("widget_navigation", "nav_to")).toBe("/details")
    expect(column("widget_scroll", "scroll_depth_pct")).toBe(55)
    expect(column("connection", "client_name")).toBe("claude-ai")
    expect(column("connection", "trace_id")).toBeNull()
  })

  it("takes country_code from the CDN header only when the SDK sent none", async () => {
    const scope = newScope()
    const withCountry = trackEvent(scope, { event_name: "sdk_country", country_code: "PT" })
    const withoutCountry = trackEvent(scope, { event_name: "no_country" })
    const cloudflare = await postEvents(ingest.url, tenant.apiKey, batchOf([withCountry, withoutCountry]), {
      headers: { "cf-ipcountry": "DE" },
    })
    expect(cloudflare.status).toBe(200)
    const vercel = trackEvent(scope, { event_name: "vercel" })
    expect(
      (
        await postEvents(ingest.url, tenant.apiKey, batchOf([vercel]), {
          headers: { "x-vercel-ip-country": "FR" },
        })
      ).status,
    ).toBe(200)
    // Cloudflare's "XX" means unknown: not a country.
    const unknown = trackEvent(scope, { event_name: "unknown_country" })
    expect(
      (await postEvents(ingest.url, tenant.apiKey, batchOf([unknown]), { headers: { "cf-ipcountry": "XX" } }))
        .status,
    ).toBe(200)

    const rows = await rowsOf(tenant.projectId, inSession(scope))
    const countryOf = (name: string) => rows.find((r) => r.event_name === name)?.country_code
    expect(countryOf("sdk_country")).toBe("PT")
    expect(countryOf("no_country")).toBe("DE")
    expect(countryOf("vercel")).toBe("FR")
    expect(countryOf("unknown_country")).toBeNull()
  })

  it("answers 207 with results in request order for a mixed batch and writes only the accepted events", async () => {
    const scope = newScope()
    const events = [
      trackEvent(scope, { event_name: "first" }),
      trackEvent(scope, { event_name: "n".repeat(257) }),
      trackEvent(scope, { event_name: "third" }),
      { ...trackEvent(scope), event_type: "Tool-Call" },
      trackEvent(scope, { timestamp: new Date(Date.now() + 11 * 60_000).toISOString() }),
      { ...trackEvent(scope), session_id: undefined },
      trackEvent(scope, { event_name: "seventh" }),
    ]
    const reply = await postEvents(ingest.url, tenant.apiKey, batchOf(events))

    expect(reply.status).toBe(207)
    const body = reply.json as ResultsJson
    expect({ accepted: body.accepted, rejected: body.rejected }).toEqual({ accepted: 3, rejected: 4 })
    expect(outcomes(reply)).toEqual([
      "accepted",
      "YAVIO-2104",
      "accepted",
      "YAVIO-2102",
      "YAVIO-2113",
      "YAVIO-2101",
      "accepted",
    ])
    for (const result of body.results) {
      if (result.status === "rejected") expect(result.error.message.length).toBeGreaterThan(0)
    }
    const rows = await rowsOf(tenant.projectId, inSession(scope))
    expect(rows.map((r) => r.event_name).sort()).toEqual(["first", "seventh", "third"])
  })

  it("answers 400 when every event is rejected, with the first event's error and the results", async () => {
    const scope = newScope()
    const events = [
      trackEvent(scope, { event_name: "n".repeat(300) }),
      trackEvent(scope, { timestamp: new Date(Date.now() - 31 * 24 * 3600_000).toISOString() }),
      { ...trackEvent(scope), latency_ms: "slow", event_type: "tool_call" },
    ]
    const reply = await postEvents(ingest.url, tenant.apiKey, batchOf(events))

    const body = expectError(reply, 400, "YAVIO-2104") as ErrorJson & ResultsJson
    expect(body.accepted).toBe(0)
    expect(body.rejected).toBe(3)
    expect(outcomes(reply)).toEqual(["YAVIO-2104", "YAVIO-2113", "YAVIO-2100"])
    expect(await rowsOf(tenant.projectId, inSession(scope))).toEqual([])
  })

  it("stores an unknown but well-formed event_type as a generic event with its metadata", async () => {
    const scope = newScope()
    const event = serverEvent(scope, "subscription_paused", {
      event_name: "pause",
      metadata: { reason: "travel", weeks: 3 },
      pause_until: "2030-01-01",
    })
    const reply = await postEvents(ingest.url, tenant.apiKey, batchOf([event]))
    expect(reply.status).toBe(200)
    const [row, ...more] = await rowsOf(tenant.projectId, inSession(scope))
    expect(more).toEqual([])
    expect(row).toMatchObject({
      event_type: "subscription_paused",
      event_name: "pause",
      event_id: event.event_id,
    })
    expect(JSON.parse(String(row!.metadata))).toEqual({ reason: "travel", weeks: 3 })
    expect(JSON.stringify(row)).not.toContain("2030-01-01")
  })

  it("ignores unknown top-level and event fields", async () => {
    const scope = newScope()
    const event = {
      ...trackEvent(scope, { event_name: "forward_compatible" }),
      debug: { a: [1, 2] },
      later_field: "x",
    }
    const reply = await postEvents(
      ingest.url,
      tenant.apiKey,
      batchOf([event], { sdk_version: "9.9.9", compression: "none", batch_no: 7 }),
    )
    expect(reply.status).toBe(200)
    expect(reply.json).toEqual({ accepted: 1 })
    const rows = await rowsOf(tenant.projectId, inSession(scope))
    expect(rows.map((r) => r.event_name)).toEqual(["forward_compatible"])
  })

  it("assigns an event_id (a UUID) to an event that came without one", async () => {
    const scope = newScope()
    const { event_id: _dropped, ...event } = trackEvent(scope, { event_name: "no_id" })
    const reply = await postEvents(ingest.url, tenant.apiKey, batchOf([event]))
    expect(reply.status).toBe(200)
    const rows = await rowsOf(tenant.projectId, inSession(scope))
    expect(rows).toHaveLength(1)
    expect(rows[0]!.event_id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i)
  })

  it("echoes a well-formed X-Request-Id and replaces a malformed one", async () => {
    const given = `trace-${randomId(12)}`
    const echoed = await postEvents(ingest.url, undefined, "{}", { headers: { "x-request-id": given } })
    expect(expectError(echoed, 401, "YAVIO-2000").error.requestId).toBe(given)

    const accepted = await postEvents(ingest.url, tenant.apiKey, batchOf([trackEvent(newScope())]), {
      headers: { "x-request-id": given },
    })
    expect(accepted.status).toBe(200)
    expect(accepted.headers["x-request-id"]).toBe(given)

    const replaced = await postEvents(ingest.url, tenant.apiKey, "{}", {
      headers: { "x-request-id": "a b<c>" },
    })
    const body = expectError(replaced, 400, "YAVIO-2109")
    expect(body.error.requestId).toMatch(/^req_/)
  })
})

describe("idempotency", () => {
  it("counts a batch sent three times once, with the dashboard's FINAL and uniqExact queries", async () => {
    const scope = newScope()
    const events = [
      ...Object.values(everyEventType(scope)).slice(0, 8),
      ...Array.from({ length: 12 }, (_, i) => trackEvent(scope, { event_name: `retry_${i}` })),
    ]
    const body = batchOf(events)
    for (let attempt = 0; attempt < 3; attempt++) {
      const reply = await postEvents(ingest.url, tenant.apiKey, body)
      expect(reply.status).toBe(200)
      expect(reply.json).toEqual({ accepted: events.length })
    }
    const [final] = await ingest.clickhouse<{ n: string }>(
      `SELECT count() AS n FROM events FINAL WHERE project_id = '${tenant.projectId}' AND session_id = '${scope.sessionId}'`,
    )
    const [unique] = await ingest.clickhouse<{ n: string }>(
      `SELECT uniqExact(event_id) AS n FROM events WHERE project_id = '${tenant.projectId}' AND session_id = '${scope.sessionId}'`,
    )
    expect(Number(final!.n)).toBe(events.length)
    expect(Number(unique!.n)).toBe(events.length)
  })
})

describe("authentication", () => {
  // Every failed credential is charged to the caller's address (10/s): each case comes from an
  // address of its own so that no case can exhaust the budget of another.
  const otherSecret = new TextEncoder().encode("not-the-server-secret-0123456789ab")
  const widgetClaims = (scope: Scope) => ({
    pid: tenant.projectId,
    wid: tenant.workspaceId,
    tid: scope.traceId,
    sid: scope.sessionId,
  })

  const cases: ReadonlyArray<{
    readonly name: string
    readonly authorization: () => Promise<string | undefined>
    readonly code: string
  }> = [
    { name: "no Authorization header", authorization: async () => undefined, code: "YAVIO-2000" },
    { name: "an empty Authorization header", authorization: async () => "", code: "YAVIO-2000" },
    { name: "Basic credentials", authorization: async () => "Basic x", code: "YAVIO-2006" },
    { name: "Bearer without a token", authorization: async () => "Bearer", code: "YAVIO-2006" },
    {
      name: "Bearer with two tokens",
      authorization: async () => `Bearer ${tenant.apiKey} extra`,
      code: "YAVIO-2006",
    },
    {
      name: "an unknown yav_ key",
      authorization: async () => `Bearer yav_${randomId(32)}`,
      code: "YAVIO-2001",
    },
    {
      name: "a yav_ key of the wrong length",
      authorization: async () => "Bearer yav_short",
      code: "YAVIO-2001",
    },
    { name: "a garbage JWT", authorization: async () => "Bearer not.a.jwt", code: "YAVIO-2004" },
    { name: "an opaque token", authorization: async () => `Bearer ${randomId(40)}`, code: "YAVIO-2004" },
    {
      name: "a JWT signed with another secret",
      authorization: async () =>
        `Bearer ${await new SignJWT(widgetClaims(newScope()))
          .setProtectedHeader({ alg: "HS256" })
          .setIssuedAt()
          .setExpirationTime("15m")
          .sign(otherSecret)}`,
      code: "YAVIO-2004",
    },
    {
      name: "an unsigned JWT (alg none)",
      authorization: async () => {
        const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url")
        const now = Math.floor(Date.now() / 1000)
        return `Bearer ${encode({ alg: "none", typ: "JWT" })}.${encode({ ...widgetClaims(newScope()), iat: now, exp: now + 900 })}.`
      },
      code: "YAVIO-2004",
    },
    {
      name: "a correctly signed JWT without the widget claims",
      authorization: async () =>
        `Bearer ${await new SignJWT({ sub: "someone" })
          .setProtectedHeader({ alg: "HS256" })
          .setIssuedAt()
          .setExpirationTime("15m")
          .sign(secretKey)}`,
      code: "YAVIO-2004",
    },
    {
      name: "an expired widget JWT",
      authorization: async () => {
        const issued = Math.floor(Date.now() / 1000) - 3600
        return `Bearer ${await new SignJWT(widgetClaims(newScope()))
          .setProtectedHeader({ alg: "HS256", typ: "JWT" })
          .setIssuedAt(issued)
          .setExpirationTime(issued + 900)
          .sign(secretKey)}`
      },
      code: "YAVIO-2005",
    },
  ]

  it.each(cases)("answers 401 for $name ($code)", async ({ authorization, code }) => {
    const header = await authorization()
    const reply = await send(ingest.url, "/v1/events", {
      headers: { authorization: header, "content-type": "application/json" },
      body: batchOf([trackEvent(newScope())]),
      localAddress: freshLoopbackAddress(),
    })
    expectError(reply, 401, code)
  })

  it("answers 401 YAVIO-2003 for a revoked key, on both endpoints", async () => {
    // A key never used before, so no positive cache entry can outlive the revocation.
    const revoked = await ingest.createTenant(`revoked-${randomId(6).toLowerCase()}`)
    await ingest.postgres(
      `UPDATE api_keys SET revoked_at = now() - interval '1 minute' WHERE id = '${revoked.keyId}'`,
    )
    const scope = newScope()
    const ip = freshLoopbackAddress()
    expectError(
      await postEvents(ingest.url, revoked.apiKey, batchOf([trackEvent(scope)]), { localAddress: ip }),
      401,
      "YAVIO-2003",
    )
    expectError(
      await postWidgetToken(
        ingest.url,
        revoked.apiKey,
        { traceId: scope.traceId, sessionId: scope.sessionId },
        { localAddress: ip },
      ),
      401,
      "YAVIO-2003",
    )
    expect(await rowsOf(revoked.projectId)).toEqual([])
  })

  it("answers 429 YAVIO-2052 with Retry-After once an address fails authentication more than 10 times a second", async () => {
    const ip = freshLoopbackAddress()
    const statuses: number[] = []
    let limited: Reply | undefined
    for (let i = 0; i < 60 && limited === undefined; i++) {
      const reply = await postEvents(ingest.url, `yav_${randomId(32)}`, batchOf([trackEvent(newScope())]), {
        localAddress: ip,
      })
      statuses.push(reply.status)
      if (reply.status === 429) limited = reply
    }
    // The budget is 10 failures; the bucket refills at 10/s while the loop runs.
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(401))
    expect(limited).toBeDefined()
    expectError(limited!, 429, "YAVIO-2052")
    expect(retryAfterOf(limited!)).toBeGreaterThanOrEqual(1)
    expect(statuses.length).toBeLessThanOrEqual(40)
    // Other addresses are not affected.
    const elsewhere = await postEvents(ingest.url, tenant.apiKey, batchOf([trackEvent(newScope())]), {
      localAddress: freshLoopbackAddress(),
    })
    expect(elsewhere.status).toBe(200)
  })
})

describe("widget tokens", () => {
  it("mints {token, expiresAt} for a trace: an HS256 JWT with the project, trace and session, living 15 minutes", async () => {
    const scope = newScope()
    const before = Date.now()
    const reply = await postWidgetToken(ingest.url, tenant.apiKey, {
      traceId: scope.traceId,
      sessionId: scope.sessionId,
    })
    expect(reply.status).toBe(200)
    const body = reply.json as { token: string; expiresAt: string }
    expect(Object.keys(body).sort()).toEqual(["expiresAt", "token"])
    const expiresIn = Date.parse(body.expiresAt) - before
    expect(expiresIn).toBeGreaterThan(14 * 60_000)
    expect(expiresIn).toBeLessThanOrEqual(15 * 60_000 + 2_000)

    const { payload, protectedHeader } = await jwtVerify(body.token, secretKey, { algorithms: ["HS256"] })
    expect(protectedHeader.alg).toBe("HS256")
    expect(payload).toMatchObject({
      pid: tenant.projectId,
      wid: tenant.workspaceId,
      tid: scope.traceId,
      sid: scope.sessionId,
    })
    expect(payload.exp! - payload.iat!).toBe(900)
    expect(new Date(payload.exp! * 1000).toISOString()).toBe(body.expiresAt)
  })

  it.each([
    { name: "traceId missing", body: { sessionId: "ses_abc" }, code: "YAVIO-2300" },
    { name: "traceId without tr_", body: { traceId: "abc", sessionId: "ses_abc" }, code: "YAVIO-2300" },
    { name: "traceId a number", body: { traceId: 42, sessionId: "ses_abc" }, code: "YAVIO-2300" },
    {
      name: "traceId too long",
      body: { traceId: `tr_${"a".repeat(126)}`, sessionId: "ses_abc" },
      code: "YAVIO-2300",
    },
    { name: "sessionId missing", body: { traceId: "tr_abc" }, code: "YAVIO-2301" },
    { name: "sessionId empty", body: { traceId: "tr_abc", sessionId: "" }, code: "YAVIO-2301" },
    { name: "a body that is not an object", body: [1, 2], code: "YAVIO-2300" },
  ])("answers 400 $code for $name", async ({ body, code }) => {
    expectError(await postWidgetToken(ingest.url, tenant.apiKey, body), 400, code)
  })

  it("answers 400 YAVIO-2109 for a body that is not JSON", async () => {
    expectError(await postWidgetToken(ingest.url, tenant.apiKey, "{traceId:"), 400, "YAVIO-2109")
  })

  it("refuses a widget token as the credential for minting (401 YAVIO-2302)", async () => {
    const scope = newScope()
    const { token } = await mintToken(scope)
    const reply = await postWidgetToken(
      ingest.url,
      token,
      { traceId: scope.traceId, sessionId: scope.sessionId },
      { localAddress: freshLoopbackAddress() },
    )
    expectError(reply, 401, "YAVIO-2302")
  })

  it("writes events sent with a token as widget events of the token's project and session", async () => {
    const scope = newScope()
    const { token } = await mintToken(scope)
    const claims = decodeJwt(token)
    // What the widget says about itself is overridden by the token.
    const lying: Scope = { traceId: scope.traceId, sessionId: `ses_${randomId(10)}` }
    const events = [
      widgetEvent(lying, "widget_render", { device_pixel_ratio: 3 }),
      widgetEvent(lying, "widget_click", { event_name: "buy", click_count: 2 }),
      serverEvent(lying, "track", { event_name: "claims_to_be_server" }),
    ]
    const reply = await postEvents(ingest.url, token, batchOf(events))
    expect(reply.status).toBe(200)
    expect(reply.json).toEqual({ accepted: 3 })

    const rows = await rowsOf(tenant.projectId, `trace_id = '${scope.traceId}'`)
    expect(rows.map((r) => r.event_id).sort()).toEqual(events.map((e) => e.event_id).sort())
    for (const row of rows) {
      expect(row).toMatchObject({
        source: "widget",
        session_id: claims.sid,
        workspace_id: tenant.workspaceId,
        project_id: tenant.projectId,
      })
    }
  })

  it("rejects a whole widget batch with 400 YAVIO-2112 when one event belongs to another trace, writing nothing", async () => {
    const scope = newScope()
    const { token } = await mintToken(scope)
    const own = widgetEvent(scope, "widget_click", { event_name: "own" })
    const foreign = widgetEvent(newScope(), "widget_click", { event_name: "foreign" })
    const withoutTrace = widgetEvent({ ...scope, traceId: "" }, "widget_focus", { trace_id: undefined })

    expectError(await postEvents(ingest.url, token, batchOf([own, foreign])), 400, "YAVIO-2112")
    expectError(await postEvents(ingest.url, token, batchOf([own, withoutTrace])), 400, "YAVIO-2112")
    expect(await rowsOf(tenant.projectId, `event_id = '${own.event_id}'`)).toEqual([])
  })

  it("lets one token send at most 50 events, then answers 429 YAVIO-2053 with Retry-After", async () => {
    const scope = newScope()
    const { token } = await mintToken(scope)
    const batch = () =>
      Array.from({ length: 25 }, () => widgetEvent(scope, "widget_click", { event_name: "b" }))
    expect((await postEvents(ingest.url, token, batchOf(batch()))).status).toBe(200)
    expect((await postEvents(ingest.url, token, batchOf(batch()))).status).toBe(200)
    const over = await postEvents(
      ingest.url,
      token,
      batchOf([widgetEvent(scope, "widget_click", { event_name: "b" })]),
    )
    expectError(over, 429, "YAVIO-2053")
    expect(retryAfterOf(over)).toBeGreaterThanOrEqual(1)
    const [count] = await ingest.clickhouse<{ n: string }>(
      `SELECT count() AS n FROM events FINAL WHERE project_id = '${tenant.projectId}' AND trace_id = '${scope.traceId}'`,
    )
    expect(Number(count!.n)).toBe(50)

    // One batch over the budget of a fresh token is refused whole.
    const next = newScope()
    const fresh = await mintToken(next)
    const tooMany = Array.from({ length: 51 }, () => widgetEvent(next, "widget_click", { event_name: "b" }))
    expectError(await postEvents(ingest.url, fresh.token, batchOf(tooMany)), 429, "YAVIO-2053")
  })

  it("sends no CORS headers from /v1/widget-tokens", async () => {
    const scope = newScope()
    const minted = await postWidgetToken(
      ingest.url,
      tenant.apiKey,
      { traceId: scope.traceId, sessionId: scope.sessionId },
      { headers: { origin: "https://widget.example" } },
    )
    expect(minted.status).toBe(200)
    const refused = await postWidgetToken(
      ingest.url,
      tenant.apiKey,
      {},
      { headers: { origin: "https://widget.example" } },
    )
    expect(refused.status).toBe(400)
    const preflight = await send(ingest.url, "/v1/widget-tokens", {
      method: "OPTIONS",
      headers: { origin: "https://widget.example", "access-control-request-method": "POST" },
    })
    expect(preflight.status).toBeGreaterThanOrEqual(400)
    for (const reply of [minted, refused, preflight]) {
      expect(Object.keys(reply.headers).filter((h) => h.startsWith("access-control-"))).toEqual([])
    }
  })
})

describe("CORS on /v1/events", () => {
  const origin = "https://chat.example.com"

  it("answers a preflight with 204, the allowed methods and headers, a day's max-age and the reflected origin", async () => {
    const reply = await send(ingest.url, "/v1/events", {
      method: "OPTIONS",
      headers: {
        origin,
        "access-control-request-method": "POST",
        "access-control-request-headers": "authorization, content-type",
      },
    })
    expect(reply.status).toBe(204)
    expect(reply.headers["access-control-allow-methods"]).toBe("POST, OPTIONS")
    expect(reply.headers["access-control-allow-headers"]).toBe("Authorization, Content-Type")
    expect(reply.headers["access-control-max-age"]).toBe("86400")
    expect(reply.headers["access-control-allow-origin"]).toBe(origin)
  })

  it("reflects the origin on POST answers, accepted or refused", async () => {
    const accepted = await postEvents(ingest.url, tenant.apiKey, batchOf([trackEvent(newScope())]), {
      headers: { origin },
    })
    expect(accepted.status).toBe(200)
    const refused = await postEvents(ingest.url, tenant.apiKey, "{}", { headers: { origin } })
    expect(refused.status).toBe(400)
    for (const reply of [accepted, refused]) expect(reply.headers["access-control-allow-origin"]).toBe(origin)
  })

  it.each(["GET", "PUT", "DELETE", "PATCH"])("answers %s /v1/events with 405 YAVIO-7401", async (method) => {
    const reply = await send(ingest.url, "/v1/events", { method, headers: { origin } })
    expectError(reply, 405, "YAVIO-7401")
  })
})

describe("operational endpoints", () => {
  it("GET /health answers 200 healthy with both stores up", async () => {
    const reply = await send(ingest.url, "/health", { method: "GET" })
    expect(reply.status).toBe(200)
    expect(reply.json).toMatchObject({
      status: "healthy",
      version: expect.any(String),
      uptime: expect.any(Number),
      services: {
        postgres: { status: "up", latencyMs: expect.any(Number) },
        clickhouse: { status: "up", latencyMs: expect.any(Number) },
      },
    })
  })

  it("GET /metrics counts received events and rejections by YAVIO code in Prometheus text", async () => {
    const receivedSeries = 'yavio_ingest_events_received_total{source="server"}'
    const rejectedSeries = 'yavio_ingest_events_rejected_total{reason="YAVIO-2104"}'
    const authSeries = 'yavio_ingest_events_rejected_total{reason="YAVIO-2001"}'
    const before = await metrics()

    const scope = newScope()
    const events = [
      trackEvent(scope),
      trackEvent(scope),
      trackEvent(scope, { event_name: "n".repeat(257) }),
      trackEvent(scope, { event_name: "m".repeat(300) }),
    ]
    expect((await postEvents(ingest.url, tenant.apiKey, batchOf(events))).status).toBe(207)
    expect(
      (
        await postEvents(ingest.url, `yav_${randomId(32)}`, batchOf(events), {
          localAddress: freshLoopbackAddress(),
        })
      ).status,
    ).toBe(401)

    const reply = await send(ingest.url, "/metrics", { method: "GET" })
    expect(reply.status).toBe(200)
    expect(reply.headers["content-type"]).toMatch(/^text\/plain/)
    const after = reply.text
    expect(after).toMatch(/^# TYPE yavio_ingest_events_received_total counter$/m)
    expect(after).toMatch(/^yavio_ingest_events_rejected_total\{reason="YAVIO-\d{4}"\} \d+$/m)
    // Received counts at least the accepted events, at most all that were sent.
    const received = metricValue(after, receivedSeries) - metricValue(before, receivedSeries)
    expect(received).toBeGreaterThanOrEqual(2)
    expect(received).toBeLessThanOrEqual(events.length)
    expect(metricValue(after, rejectedSeries) - metricValue(before, rejectedSeries)).toBe(2)
    expect(metricValue(after, authSeries) - metricValue(before, authSeries)).toBe(1)
  })

  it("GET /v1/openapi.json is an OpenAPI 3.1 document with the events and widget-token paths", async () => {
    const reply = await send(ingest.url, "/v1/openapi.json", { method: "GET" })
    expect(reply.status).toBe(200)
    const document = reply.json as { openapi: string; paths: Record<string, Record<string, unknown>> }
    expect(document.openapi).toMatch(/^3\.1\./)
    expect(Object.keys(document.paths["/v1/events"] ?? {})).toEqual(
      expect.arrayContaining(["post", "options"]),
    )
    expect(Object.keys(document.paths["/v1/widget-tokens"] ?? {})).toContain("post")
  })
})
