// Random input against the real service: over 10,000 generated payloads (events mutated from
// valid ones, sent in batches; random JSON bodies, random bytes, random headers, widget-token
// requests, other methods and paths), 16 requests at a time over keep-alive connections.
// Properties:
//   - no answer is a 5xx, and every error answer is the YAVIO error body with its request id;
//   - answers to batches are consistent with what was sent (counts, results in order);
//   - every event an answer reports as accepted is in ClickHouse ("acknowledged means written");
//   - the service still answers /health afterwards, and its heap does not grow between the
//     first and the second half of the run (it runs in this process).
// Rate limits are raised out of the way. The seed is fixed (override: YAVIO_FUZZ_SEED).
import http from "node:http"
import v8 from "node:v8"
import vm from "node:vm"
import { KNOWN_EVENT_TYPES, type KnownEventType } from "@yavio/domain"
import fc from "fast-check"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import {
  type ErrorJson,
  everyEventType,
  futureEvent,
  type JsonEvent,
  newScope,
  type Reply,
  type ResultsJson,
  type Scope,
  send,
} from "./support/events.js"
import { type IngestHarness, startIngest, type Tenant } from "./support/IngestHarness.js"

const SEED = Number(process.env.YAVIO_FUZZ_SEED ?? 20_261_125)
/** Requests in flight at once. */
const CONCURRENCY = 16
/** Requests generated per property run, sent CONCURRENCY at a time. */
const REQUESTS_PER_RUN = 128
/**
 * Runs per half: 2 × 20 × 128 = 5,120 requests. A third are batches of 1–10 mutated events,
 * each event a payload of its own; every other request is one payload: about 11,300 in all
 * (at least 10,000 is asserted). Batches are what costs (each waits for its insert), which
 * sets the mix: the file stays near a minute on two cores.
 */
const RUNS_PER_HALF = 20

let ingest: IngestHarness
let tenant: Tenant
let widget: { readonly scope: Scope; readonly token: string }
let agent: http.Agent

beforeAll(async () => {
  ingest = await startIngest({
    rateLimits: {
      keyEventsPerSecond: 1e9,
      keyBurst: 1e9,
      ipRequestsPerSecond: 1e9,
      widgetTokenEvents: 1e9,
      mintsPerSecond: 1e9,
    },
    // A failed insert is retried after 1, 2, 4 ms instead of 100, 200, 400: the run is long.
    writer: { retryBase: "1 millis" },
  })
  tenant = await ingest.createTenant("fuzz")
  agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY })
  const scope = newScope()
  const minted = await send(ingest.url, "/v1/widget-tokens", {
    headers: { authorization: `Bearer ${tenant.apiKey}`, "content-type": "application/json" },
    body: JSON.stringify({ traceId: scope.traceId, sessionId: scope.sessionId }),
  })
  expect(minted.status).toBe(200)
  widget = { scope, token: (minted.json as { token: string }).token }
}, 60_000)
afterAll(async () => {
  agent?.destroy()
  await ingest?.close()
})

// ---------------------------------------------------------------------------------------------
// Generators

const EVENT_FIELDS = [
  "event_type",
  "event_id",
  "timestamp",
  "trace_id",
  "session_id",
  "source",
  "event_name",
  "user_id",
  "platform",
  "sdk_version",
  "country_code",
  "metadata",
  "user_traits",
  "latency_ms",
  "status",
  "error_category",
  "error_message",
  "is_retry",
  "input_keys",
  "input_types",
  "input_values",
  "output_values",
  "intent_signals",
  "tokens_in",
  "tokens_out",
  "conversion_value",
  "conversion_currency",
  "viewport_width",
  "viewport_height",
  "scroll_depth_pct",
  "click_count",
  "visible_duration_ms",
  "field_name",
  "nav_from",
  "nav_to",
  "device_touch",
  "device_pixel_ratio",
  "connection_type",
  "load_time_ms",
  "protocol_version",
  "client_name",
  "client_version",
  "connection_duration_ms",
  "step_sequence",
  "__proto__",
  "constructor",
] as const

const printable = (maxLength: number) =>
  fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength })

const loneSurrogate = fc
  .tuple(fc.string({ maxLength: 5 }), fc.integer({ min: 0xd800, max: 0xdfff }), fc.string({ maxLength: 5 }))
  .map(([before, unit, after]) => before + String.fromCharCode(unit) + after)

const hostileString = fc.oneof(
  { weight: 4, arbitrary: fc.string({ maxLength: 30 }) },
  { weight: 3, arbitrary: fc.string({ unit: "binary", maxLength: 30 }) },
  { weight: 2, arbitrary: fc.string({ unit: "grapheme", maxLength: 30 }) },
  { weight: 2, arbitrary: loneSurrogate },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      "",
      " ",
      "\u0000",
      "tr_",
      "ses_",
      "tr_abc",
      "ses_x",
      "Tool-Call",
      "tool_call",
      "widget",
      "server",
      "success",
      "EUR",
      "DE",
      "2025-02-30T00:00:00Z",
      "jane.doe@example.com",
      "card 4111 1111 1111 1111",
      "ssn 123-45-6789",
      "call +1 415 555 0100",
      "221B Baker Street",
      "0b7c2f4e-8f1a-4c56-9d2e-000000000001",
      "💥🙈",
      "\\u0000",
      '"}]}',
    ),
  },
  { weight: 1, arbitrary: fc.string({ minLength: 500, maxLength: 3000 }) },
)

const hostileNumber = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.constantFrom(0, -0, -1, 0.5, 255, 65_536, 2 ** 32, 2 ** 53 + 1, 1e21, 1e308, -1e308, 5e-324, 1e20),
)

const aroundNow = fc
  .integer({ min: -40 * 24 * 60, max: 30 })
  .map((minutes) => ({ kind: "time", minutes }) as const)

/** Nested containers as a value (kept modest: deep nesting has tests of its own). */
const nested = fc.tuple(fc.integer({ min: 1, max: 60 }), fc.boolean()).map(([depth, arrays]) => {
  let value: unknown = "leaf"
  for (let i = 0; i < depth; i++) value = arrays ? [value] : { k: value }
  return value
})

const anyValue = fc.oneof(
  { weight: 3, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  { weight: 4, arbitrary: hostileString },
  { weight: 2, arbitrary: hostileNumber },
  { weight: 1, arbitrary: fc.constantFrom<unknown>(null, true, false, [], {}) },
  { weight: 2, arbitrary: aroundNow },
  { weight: 1, arbitrary: nested },
  { weight: 1, arbitrary: fc.dictionary(hostileString, hostileString, { maxKeys: 4 }) },
)

/** Fields stored as free text: any string is valid there, so hostile strings reach ClickHouse. */
const TEXT_FIELDS = [
  "event_name",
  "user_id",
  "platform",
  "sdk_version",
  "country_code",
  "error_message",
  "field_name",
  "nav_from",
  "nav_to",
  "connection_type",
  "protocol_version",
  "client_name",
  "client_version",
] as const

const mutation = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      field: fc.constantFrom<string>(...TEXT_FIELDS),
      remove: fc.constant(false),
      value: hostileString,
    }),
  },
  {
    weight: 4,
    arbitrary: fc.record({
      field: fc.constantFrom<string>(...EVENT_FIELDS),
      remove: fc.integer({ min: 0, max: 3 }).map((n) => n === 0),
      value: anyValue,
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ field: fc.string({ maxLength: 10 }), remove: fc.boolean(), value: anyValue }),
  },
)

const eventSpec = fc.record({
  type: fc.constantFrom<KnownEventType | "generic">(...KNOWN_EVENT_TYPES, "generic"),
  mutations: fc.array(mutation, { maxLength: 3 }),
})

type EventSpec = typeof eventSpec extends fc.Arbitrary<infer A> ? A : never

const headerValue = fc.oneof(printable(40), fc.constantFrom("", " ", "application/json", "text/plain", "*/*"))

type Credential = "key" | "widget" | "none" | { readonly header: string }

const credential = fc.oneof(
  { weight: 6, arbitrary: fc.constant<Credential>("key") },
  { weight: 1, arbitrary: fc.constant<Credential>("none") },
  {
    weight: 2,
    arbitrary: fc
      .oneof(
        printable(60),
        printable(40).map((s) => `Bearer ${s}`),
        printable(40).map((s) => `Bearer yav_${s}`),
        fc.constantFrom("Bearer", "Basic dXNlcjpwYXNz", "Bearer a.b.c", "Bearer eyJhbGciOiJub25lIn0.e30."),
      )
      .map((header): Credential => ({ header })),
  },
)

const extraHeaders = fc.dictionary(
  fc.constantFrom(
    "x-request-id",
    "origin",
    "cf-ipcountry",
    "x-vercel-ip-country",
    "accept",
    "accept-encoding",
    "x-forwarded-for",
    "user-agent",
  ),
  headerValue,
  { maxKeys: 3 },
)

/** One request to make, as data (ids and times are filled in when it is sent). */
type Probe =
  | {
      readonly kind: "batch"
      readonly via: "key" | "widget"
      readonly events: ReadonlyArray<EventSpec>
      readonly foreignTrace: boolean
      readonly top: Readonly<Record<string, unknown>>
      readonly headers: Readonly<Record<string, string>>
    }
  | {
      readonly kind: "raw"
      readonly method: string
      readonly path: string
      readonly credential: Credential
      readonly contentType: string | undefined
      readonly body: string | Uint8Array
      readonly headers: Readonly<Record<string, string>>
    }

const batchProbe = fc.record({
  kind: fc.constant("batch" as const),
  via: fc.constantFrom("key" as const, "key" as const, "key" as const, "widget" as const),
  events: fc.array(eventSpec, { minLength: 1, maxLength: 10 }),
  // A widget batch for another trace now and then (refused whole with 2112).
  foreignTrace: fc.integer({ min: 0, max: 5 }).map((n) => n === 0),
  top: fc.dictionary(
    fc.constantFrom("sdk_version", "sent_at", "extra", "batch"),
    fc.jsonValue({ maxDepth: 2 }),
    {
      maxKeys: 2,
    },
  ),
  headers: extraHeaders,
})

const rawBody = fc.oneof(
  { weight: 3, arbitrary: fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v) ?? "null") },
  {
    weight: 3,
    arbitrary: fc
      .array(fc.jsonValue({ maxDepth: 3 }), { maxLength: 6 })
      .map((events) => JSON.stringify({ events })),
  },
  { weight: 2, arbitrary: fc.uint8Array({ maxLength: 2048 }) },
  { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 200 }) },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.jsonValue({ maxDepth: 2 }), fc.integer({ min: 1, max: 40 }))
      .map(([v, cut]) => (JSON.stringify({ events: [v] }) ?? "").slice(0, -cut)),
  },
  {
    weight: 1,
    arbitrary: fc
      .record(
        {
          traceId: fc.oneof(hostileString, fc.constant("tr_ok")),
          sessionId: fc.oneof(hostileString, fc.constant("ses_ok")),
        },
        { requiredKeys: [] },
      )
      .map((b) => JSON.stringify(b)),
  },
)

const rawProbe = fc.record({
  kind: fc.constant("raw" as const),
  method: fc.oneof(
    { weight: 8, arbitrary: fc.constant("POST") },
    { weight: 1, arbitrary: fc.constantFrom("GET", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD") },
  ),
  path: fc.oneof(
    { weight: 6, arbitrary: fc.constant("/v1/events") },
    { weight: 2, arbitrary: fc.constant("/v1/widget-tokens") },
    {
      weight: 1,
      arbitrary: fc.oneof(
        fc.constantFrom(
          "/health",
          "/metrics",
          "/v1/openapi.json",
          "/v1/events/",
          "/v1//events",
          "/v1/events?x=%ff",
          "/%zz",
          "/",
        ),
        fc.stringMatching(/^\/[A-Za-z0-9._~%/?=&-]{0,24}$/),
      ),
    },
  ),
  credential,
  contentType: fc.oneof(
    fc.constant<string | undefined>("application/json"),
    fc.constantFrom<string | undefined>(
      undefined,
      "text/plain",
      "application/x-www-form-urlencoded",
      "multipart/form-data",
    ),
    headerValue,
  ),
  body: rawBody,
  headers: extraHeaders,
})

const probe: fc.Arbitrary<Probe> = fc.oneof(
  { weight: 1, arbitrary: batchProbe },
  { weight: 2, arbitrary: rawProbe },
)

// ---------------------------------------------------------------------------------------------
// Sending and checking

const isTime = (value: unknown): value is { kind: "time"; minutes: number } =>
  typeof value === "object" && value !== null && (value as { kind?: unknown }).kind === "time"

/** A real event of the spec's type with the mutations applied. */
const buildEvent = (spec: EventSpec, scope: Scope): Record<string, unknown> => {
  const base: JsonEvent = spec.type === "generic" ? futureEvent(scope) : everyEventType(scope)[spec.type]
  const event: Record<string, unknown> = { ...base }
  for (const { field, remove, value } of spec.mutations) {
    if (remove) {
      delete event[field]
      continue
    }
    const resolved = isTime(value) ? new Date(Date.now() + value.minutes * 60_000).toISOString() : value
    // An own property even for `__proto__`, as JSON.parse makes it on the server.
    Object.defineProperty(event, field, {
      value: resolved,
      enumerable: true,
      writable: true,
      configurable: true,
    })
  }
  return event
}

interface Sent {
  readonly probe: Probe
  readonly reply: Reply
  readonly body: string | Uint8Array
  /** For batches: the events as sent. */
  readonly events?: ReadonlyArray<Record<string, unknown>>
  readonly path: string
}

const authorizationOf = (credential: Credential): string | undefined =>
  credential === "key"
    ? `Bearer ${tenant.apiKey}`
    : credential === "widget"
      ? `Bearer ${widget.token}`
      : credential === "none"
        ? undefined
        : credential.header

const sendProbe = async (p: Probe): Promise<Sent> => {
  if (p.kind === "batch") {
    const scope = p.via === "widget" && !p.foreignTrace ? widget.scope : newScope()
    const events = p.events.map((spec) => buildEvent(spec, scope))
    const body = JSON.stringify({ ...p.top, events })
    const reply = await send(ingest.url, "/v1/events", {
      agent,
      headers: {
        ...p.headers,
        authorization: authorizationOf(p.via),
        "content-type": "application/json",
      },
      body,
    })
    return { probe: p, reply, body, events, path: "/v1/events" }
  }
  const hasBody = p.method !== "GET" && p.method !== "HEAD"
  const reply = await send(ingest.url, p.path, {
    agent,
    method: p.method,
    headers: { ...p.headers, authorization: authorizationOf(p.credential), "content-type": p.contentType },
    ...(hasBody ? { body: p.body } : {}),
  })
  return { probe: p, reply, body: p.body, path: p.path }
}

const describeSent = (s: Sent) =>
  `${s.probe.kind === "raw" ? `${s.probe.method} ${s.path}` : `POST ${s.path} (${s.probe.via})`} → ${s.reply.status} ${s.reply.text.slice(0, 300)}\nbody: ${String(typeof s.body === "string" ? s.body : Buffer.from(s.body).toString("hex")).slice(0, 1500)}`

/** Checks one exchange; returns a description of what is wrong, or undefined. */
const problemWith = (s: Sent): string | undefined => {
  const { reply } = s
  if (reply.status >= 500) return "a 5xx answer"
  const isApi = s.path === "/v1/events" || s.path === "/v1/widget-tokens"
  const method = s.probe.kind === "raw" ? s.probe.method : "POST"
  if (isApi && method === "POST") {
    if (typeof reply.headers["x-request-id"] !== "string") return "no x-request-id header"
    if (reply.status >= 400) {
      const error = (reply.json as Partial<ErrorJson> | undefined)?.error
      if (error === undefined) return "an error answer without an error body"
      if (error.status !== reply.status) return "error.status differs from the HTTP status"
      if (!/^YAVIO-\d{4}$/.test(error.code)) return "an error code that is not a YAVIO code"
      if (error.requestId !== reply.headers["x-request-id"])
        return "error.requestId differs from x-request-id"
    }
  }
  if (s.events !== undefined) {
    const n = s.events.length
    const body = reply.json as Partial<ResultsJson> & Partial<ErrorJson> & { accepted?: number }
    if (reply.status === 200 && body.accepted !== n) return `200 with accepted ${body.accepted}, sent ${n}`
    if (reply.status === 207 || (reply.status === 400 && body.results !== undefined)) {
      const results = body.results ?? []
      const accepted = results.filter((r) => r.status === "accepted").length
      if (results.length !== n) return `${results.length} results for ${n} events`
      if (body.accepted !== accepted || body.rejected !== n - accepted) return "counts disagree with results"
      if (reply.status === 207 && (accepted === 0 || accepted === n)) return "207 without a mix"
      if (reply.status === 400 && accepted !== 0) return "400 with accepted events"
    }
    if (![200, 207, 400].includes(reply.status)) return "unexpected status for a batch"
    if (reply.status === 400 && body.results === undefined) {
      const code = body.error?.code
      const expected = s.probe.kind === "batch" && s.probe.via === "widget" ? "YAVIO-2112" : undefined
      if (code !== expected) return `a batch refused whole with ${code}`
    }
  }
  return undefined
}

/** Event ids the service said it accepted (ids only: the heap is measured, keep little). */
const acknowledged = new Set<string>()
let requests = 0
/** Random inputs sent: one per request, but one per event for batches of mutated events. */
let payloads = 0
const problems: string[] = []

const recordAccepted = (s: Sent) => {
  if (s.events === undefined || (s.reply.status !== 200 && s.reply.status !== 207)) return
  const results = (s.reply.json as Partial<ResultsJson> | undefined)?.results
  s.events.forEach((event, i) => {
    const ok = s.reply.status === 200 || results?.[i]?.status === "accepted"
    if (ok && typeof event.event_id === "string") acknowledged.add(event.event_id.toLowerCase())
  })
}

/** Runs `f` over `items`, at most `width` at a time, in order of `items`. */
const pool = async <A, B>(items: ReadonlyArray<A>, width: number, f: (item: A) => Promise<B>) => {
  const settled: Array<PromiseSettledResult<B>> = []
  let next = 0
  const worker = async () => {
    while (next < items.length) {
      const i = next++
      try {
        settled[i] = { status: "fulfilled", value: await f(items[i]!) }
      } catch (reason) {
        settled[i] = { status: "rejected", reason }
      }
    }
  }
  await Promise.all(Array.from({ length: width }, worker))
  return settled
}

/**
 * One half of the run. The fast-check property is that the service answers every request
 * (a dead or hung server stops the run there, with the counterexample). What the answers say
 * is checked per request and collected instead of failing the run on the first finding: the
 * memory check needs the whole run, and each failing request is reported whole (requests are
 * independent, so it is its own counterexample). The seed reproduces the run.
 */
const runHalf = (seed: number) =>
  fc.assert(
    fc.asyncProperty(
      fc.array(probe, { minLength: REQUESTS_PER_RUN, maxLength: REQUESTS_PER_RUN }),
      async (probes) => {
        const settled = await pool(probes, CONCURRENCY, sendProbe)
        requests += settled.length
        for (const p of probes) payloads += p.kind === "batch" ? p.events.length : 1
        let answered = true
        for (const [i, outcome] of settled.entries()) {
          if (outcome.status === "rejected") {
            problems.push(
              `no answer (${String(outcome.reason)}) to ${JSON.stringify(probes[i]).slice(0, 1500)}`,
            )
            answered = false
            continue
          }
          const problem = problemWith(outcome.value)
          if (problem === undefined) recordAccepted(outcome.value)
          else problems.push(`${problem}: ${describeSent(outcome.value)}`)
        }
        return answered
      },
    ),
    // No shrinking: a shrink step would resend whole runs of requests.
    { seed, numRuns: RUNS_PER_HALF, endOnFailure: true },
  )

const gc = (() => {
  v8.setFlagsFromString("--expose-gc")
  return vm.runInNewContext("gc") as () => void
})()

const memory = () => {
  gc()
  gc()
  const { heapUsed, rss } = process.memoryUsage()
  return { heapUsed, rss }
}

// ---------------------------------------------------------------------------------------------

describe(`random input, ${2 * RUNS_PER_HALF * REQUESTS_PER_RUN} requests (seed ${SEED})`, () => {
  const snapshots: Array<{ heapUsed: number; rss: number }> = []

  it("answers every request, never with a 5xx, each answer well-formed and consistent with the request", async () => {
    const cpu0 = process.cpuUsage()
    const wall0 = performance.now()
    snapshots.push(memory())
    await runHalf(SEED)
    snapshots.push(memory())
    await runHalf(SEED + 1)
    snapshots.push(memory())
    const cpu = process.cpuUsage(cpu0)
    console.info(
      `fuzz: ${Math.round(performance.now() - wall0)} ms wall, ${Math.round((cpu.user + cpu.system) / 1000)} ms CPU`,
    )
    console.info(`${payloads} payloads in ${requests} requests`)
    expect(payloads).toBeGreaterThanOrEqual(10_000)
    const kinds = new Map<string, number>()
    for (const problem of problems) {
      const kind = problem.slice(0, problem.indexOf(":"))
      kinds.set(kind, (kinds.get(kind) ?? 0) + 1)
    }
    expect(
      Object.fromEntries(kinds),
      `${problems.length} of ${requests} requests failed, e.g.:\n\n${problems.slice(0, 5).join("\n\n")}`,
    ).toEqual({})
  }, 240_000)

  it("still answers /health, healthy", async () => {
    const reply = await send(ingest.url, "/health", { method: "GET" })
    expect(reply.status).toBe(200)
    expect((reply.json as { status: string }).status).toBe("healthy")
  })

  it("keeps its heap flat: the second half grows it by less than 100 MB", () => {
    expect(snapshots).toHaveLength(3)
    const [, first, second] = snapshots as [
      unknown,
      { heapUsed: number; rss: number },
      { heapUsed: number; rss: number },
    ]
    const MB = 1024 * 1024
    const growth = { heapMB: (second.heapUsed - first.heapUsed) / MB, rssMB: (second.rss - first.rss) / MB }
    console.info(`memory growth over the second half: ${JSON.stringify(growth)}`)
    expect(growth.heapMB).toBeLessThan(100)
    expect(growth.rssMB).toBeLessThan(300)
  })

  it("stores every event it acknowledged", async () => {
    expect(acknowledged.size).toBeGreaterThan(1000)
    const rows = await ingest.clickhouse<{ id: string }>(
      `SELECT DISTINCT lower(event_id) AS id FROM events WHERE project_id = '${tenant.projectId}'`,
    )
    const stored = new Set(rows.map((r) => r.id))
    const missing = [...acknowledged].filter((id) => !stored.has(id))
    expect(
      { missing: missing.length, of: acknowledged.size },
      `acknowledged but not stored, e.g. event_id ${missing.slice(0, 5).join(", ")}`,
    ).toEqual({ missing: 0, of: acknowledged.size })
  })
})
