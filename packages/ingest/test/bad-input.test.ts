// Bad input to `POST /v1/events` on the real service: every malformed body, oversized body,
// invalid event and over-limit field answers with its YAVIO code and status, never a 5xx,
// and what is stored stays within the field limits (ingest-and-storage.md §1 "Per-event
// validation and limits"). Also the per-key rate limits, with small limits so that they are
// reachable: 10 events/s sustained, burst 20 — every test takes a key of its own.
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import {
  batchOf,
  type ErrorJson,
  expectError,
  type JsonEvent,
  jsonDepth,
  newScope,
  outcomes,
  postEvents,
  type Reply,
  type ResultsJson,
  retryAfterOf,
  type Scope,
  send,
  serverEvent,
  trackEvent,
} from "./support/events.js"
import { type IngestHarness, startIngest, type Tenant } from "./support/IngestHarness.js"

let ingest: IngestHarness
beforeAll(async () => {
  ingest = await startIngest({
    rateLimits: { keyEventsPerSecond: 10, keyBurst: 20 },
    // Requests that arrive within 25 ms share one insert, so the test of a poisoned insert can
    // put two requests in the same one on purpose.
    writer: { linger: "25 millis" },
  })
}, 60_000)
afterAll(() => ingest?.close())

let tenants = 0
const freshTenant = (): Promise<Tenant> => ingest.createTenant(`bad-input-${++tenants}`)

type Row = Record<string, unknown>
const rowsOf = (tenant: Tenant, where = "1") =>
  ingest.clickhouse<Row>(`SELECT * FROM events FINAL WHERE project_id = '${tenant.projectId}' AND (${where})`)
const onlyRow = async (tenant: Tenant, eventId: unknown): Promise<Row> => {
  const rows = await rowsOf(tenant, `event_id = '${String(eventId)}'`)
  expect(rows).toHaveLength(1)
  return rows[0]!
}

/** One event in a batch of its own; the answer must reject it with `code` (400, results say why). */
const expectEventRejected = async (event: unknown, code: string) => {
  const tenant = await freshTenant()
  const reply = await postEvents(ingest.url, tenant.apiKey, batchOf([event as JsonEvent]))
  const body = expectError(reply, 400, code) as ErrorJson & ResultsJson
  expect(body.accepted).toBe(0)
  expect(body.rejected).toBe(1)
  expect(outcomes(reply)).toEqual([code])
  expect(await rowsOf(tenant)).toEqual([])
}

const expectNo5xx = (reply: Reply) => expect(reply.status, reply.text.slice(0, 300)).toBeLessThan(500)

const toolCall = (scope: Scope, fields: JsonEvent = {}) =>
  serverEvent(scope, "tool_call", { event_name: "lookup", latency_ms: 10, ...fields })
const identify = (scope: Scope, fields: JsonEvent = {}) =>
  serverEvent(scope, "identify", { trace_id: undefined, user_id: "u_1", ...fields })

const DAY = 24 * 3600_000

describe("malformed request bodies", () => {
  const valid = () => batchOf([trackEvent(newScope())])

  it.each<{ name: string; body: () => string | Buffer; contentType?: string; status: number; code: string }>([
    { name: "malformed JSON", body: () => '{"events": [', status: 400, code: "YAVIO-2109" },
    { name: "an empty body", body: () => "", status: 400, code: "YAVIO-2109" },
    { name: "a body of whitespace", body: () => " \n\t ", status: 400, code: "YAVIO-2109" },
    { name: "an empty object", body: () => "{}", status: 400, code: "YAVIO-2109" },
    { name: "JSON null", body: () => "null", status: 400, code: "YAVIO-2109" },
    { name: "a top-level array", body: () => `[${valid()}]`, status: 400, code: "YAVIO-2109" },
    { name: "a JSON string", body: () => '"events"', status: 400, code: "YAVIO-2109" },
    {
      name: "a form-encoded body",
      body: valid,
      contentType: "application/x-www-form-urlencoded",
      status: 400,
      code: "YAVIO-2109",
    },
    { name: "events that is a string", body: () => '{"events": "x"}', status: 400, code: "YAVIO-2100" },
    {
      name: "events that is an object",
      body: () => '{"events": {"0": {}}}',
      status: 400,
      code: "YAVIO-2100",
    },
    { name: "events that is null", body: () => '{"events": null}', status: 400, code: "YAVIO-2100" },
    { name: "an empty batch", body: () => '{"events": []}', status: 400, code: "YAVIO-2110" },
    {
      name: "invalid UTF-8 bytes",
      body: () =>
        Buffer.concat([
          Buffer.from('{"events":[{"event_type":"track","event_name":"caf'),
          Buffer.from([0xc3, 0x28, 0xff, 0xfe]),
          Buffer.from('"}]}'),
        ]),
      status: 400,
      code: "YAVIO-2109",
    },
    {
      name: "an overlong UTF-8 encoding",
      body: () =>
        Buffer.concat([Buffer.from('{"events":[], "x": "'), Buffer.from([0xc0, 0xaf]), Buffer.from('"}')]),
      status: 400,
      code: "YAVIO-2109",
    },
  ])("answers $status $code for $name", async ({ body, contentType, status, code }) => {
    const tenant = await freshTenant()
    const reply = await send(ingest.url, "/v1/events", {
      headers: {
        authorization: `Bearer ${tenant.apiKey}`,
        "content-type": contentType ?? "application/json",
      },
      body: body(),
    })
    expectError(reply, status, code)
    expect(await rowsOf(tenant)).toEqual([])
  })

  it.each(["text/plain", "text/plain;charset=UTF-8", "application/json; charset=utf-8"])(
    "accepts a batch sent as %s (beacons cannot send JSON)",
    async (contentType) => {
      const tenant = await freshTenant()
      const event = trackEvent(newScope())
      const reply = await send(ingest.url, "/v1/events", {
        headers: { authorization: `Bearer ${tenant.apiKey}`, "content-type": contentType },
        body: batchOf([event]),
      })
      expect(reply.status).toBe(200)
      await onlyRow(tenant, event.event_id)
    },
  )
})

describe("body size", () => {
  const LIMIT = 500 * 1024
  /** A syntactically valid body of exactly `bytes` bytes carrying one real event. */
  const bodyOf = (bytes: number, event: JsonEvent) => {
    const head = `{"events":[${JSON.stringify(event)}],"padding":"`
    const tail = '"}'
    return head + "p".repeat(bytes - head.length - tail.length) + tail
  }
  const chunksOf = (body: string, size: number) => {
    const buffer = Buffer.from(body)
    const chunks: Buffer[] = []
    for (let i = 0; i < buffer.length; i += size) chunks.push(buffer.subarray(i, i + size))
    return chunks
  }

  it("accepts a body of exactly 500 KB", async () => {
    const tenant = await freshTenant()
    const event = trackEvent(newScope())
    const reply = await postEvents(ingest.url, tenant.apiKey, bodyOf(LIMIT, event))
    expect(reply.status).toBe(200)
    await onlyRow(tenant, event.event_id)
  })

  it("answers 413 YAVIO-2111 for a body over 500 KB with a Content-Length", async () => {
    const tenant = await freshTenant()
    const reply = await postEvents(ingest.url, tenant.apiKey, bodyOf(LIMIT + 1, trackEvent(newScope())))
    expectError(reply, 413, "YAVIO-2111")
    expect(await rowsOf(tenant)).toEqual([])
  })

  it("accepts a chunked body under the limit", async () => {
    const tenant = await freshTenant()
    const event = trackEvent(newScope())
    const reply = await send(ingest.url, "/v1/events", {
      headers: { authorization: `Bearer ${tenant.apiKey}`, "content-type": "application/json" },
      chunks: chunksOf(bodyOf(300 * 1024, event), 16 * 1024),
    })
    expect(reply.status).toBe(200)
    await onlyRow(tenant, event.event_id)
  })

  it("answers 413 YAVIO-2111 while streaming a chunked body (no Content-Length) that passes 500 KB", async () => {
    const tenant = await freshTenant()
    // 4 MB offered in 16 KB chunks; the client stops writing when the answer arrives.
    const reply = await send(ingest.url, "/v1/events", {
      headers: { authorization: `Bearer ${tenant.apiKey}`, "content-type": "application/json" },
      chunks: chunksOf(bodyOf(4 * 1024 * 1024, trackEvent(newScope())), 16 * 1024),
    })
    expectError(reply, 413, "YAVIO-2111")
    expect(await rowsOf(tenant)).toEqual([])
  })

  it("answers 413 YAVIO-2111 for a chunked body just over 500 KB sent in full", async () => {
    const tenant = await freshTenant()
    const reply = await send(ingest.url, "/v1/events", {
      headers: { authorization: `Bearer ${tenant.apiKey}`, "content-type": "application/json" },
      chunks: chunksOf(bodyOf(LIMIT + 1, trackEvent(newScope())), 64 * 1024),
    })
    expectError(reply, 413, "YAVIO-2111")
  })

  it("rejects an event over 50 KB with YAVIO-2108 in the results and keeps the rest of the batch", async () => {
    const tenant = await freshTenant()
    const scope = newScope()
    const big = trackEvent(scope, { metadata: { blob: "b".repeat(51 * 1024) } })
    const small = trackEvent(scope)
    const reply = await postEvents(ingest.url, tenant.apiKey, batchOf([big, small]))
    expect(reply.status).toBe(207)
    expect(outcomes(reply)).toEqual(["YAVIO-2108", "accepted"])
    const rows = await rowsOf(tenant)
    expect(rows.map((r) => r.event_id)).toEqual([small.event_id])
  })
})

describe("invalid events", () => {
  const scope = newScope()
  const minutesFromNow = (minutes: number) => new Date(Date.now() + minutes * 60_000).toISOString()
  const { session_id: _s, ...withoutSession } = trackEvent(scope)
  const { source: _o, ...withoutSource } = trackEvent(scope)
  const { timestamp: _t, ...withoutTimestamp } = trackEvent(scope)
  const { trace_id: _r, ...toolCallWithoutTrace } = toolCall(scope)

  it.each<{ name: string; event: () => unknown; code: string }>([
    // 2100: wrong type for a known field
    {
      name: "latency_ms as a string",
      event: () => toolCall(scope, { latency_ms: "fast" }),
      code: "YAVIO-2100",
    },
    { name: "fractional tokens_in", event: () => toolCall(scope, { tokens_in: 1.5 }), code: "YAVIO-2100" },
    {
      name: "tokens_out beyond UInt32",
      event: () => toolCall(scope, { tokens_out: 2 ** 32 }),
      code: "YAVIO-2100",
    },
    { name: "is_retry as a boolean", event: () => toolCall(scope, { is_retry: true }), code: "YAVIO-2100" },
    {
      name: "metadata as an array",
      event: () => trackEvent(scope, { metadata: [1, 2] }),
      code: "YAVIO-2100",
    },
    { name: "metadata as a string", event: () => trackEvent(scope, { metadata: "{}" }), code: "YAVIO-2100" },
    { name: "platform as null", event: () => trackEvent(scope, { platform: null }), code: "YAVIO-2100" },
    { name: "an unknown source", event: () => trackEvent(scope, { source: "browser" }), code: "YAVIO-2100" },
    { name: "event_id not a UUID", event: () => trackEvent(scope, { event_id: "123" }), code: "YAVIO-2100" },
    { name: "trace_id without tr_", event: () => trackEvent(scope, { trace_id: "abc" }), code: "YAVIO-2100" },
    {
      name: "event_name as a number",
      event: () => trackEvent(scope, { event_name: 12 }),
      code: "YAVIO-2100",
    },
    {
      name: "a viewport beyond UInt16",
      event: () => serverEvent(scope, "widget_render", { source: "widget", viewport_width: 70_000 }),
      code: "YAVIO-2100",
    },
    {
      name: "a lower-case currency",
      event: () =>
        serverEvent(scope, "conversion", {
          event_name: "buy",
          conversion_value: 1,
          conversion_currency: "eur",
        }),
      code: "YAVIO-2100",
    },
    { name: "an event that is an array", event: () => [trackEvent(scope)], code: "YAVIO-2100" },
    { name: "an event that is a string", event: () => "track", code: "YAVIO-2100" },
    { name: "an event that is null", event: () => null, code: "YAVIO-2100" },
    // 2101: missing required field
    { name: "no session_id", event: () => withoutSession, code: "YAVIO-2101" },
    { name: "no source", event: () => withoutSource, code: "YAVIO-2101" },
    { name: "no timestamp", event: () => withoutTimestamp, code: "YAVIO-2101" },
    { name: "a tool_call without trace_id", event: () => toolCallWithoutTrace, code: "YAVIO-2101" },
    // 2102: event_type that is not an identifier
    {
      name: "event_type Tool-Call",
      event: () => trackEvent(scope, { event_type: "Tool-Call" }),
      code: "YAVIO-2102",
    },
    { name: "an empty event_type", event: () => trackEvent(scope, { event_type: "" }), code: "YAVIO-2102" },
    {
      name: "an event_type of 65 characters",
      event: () => trackEvent(scope, { event_type: `e${"x".repeat(64)}` }),
      code: "YAVIO-2102",
    },
    { name: "a numeric event_type", event: () => trackEvent(scope, { event_type: 7 }), code: "YAVIO-2102" },
    // 2103: timestamp format
    {
      name: "a timestamp in words",
      event: () => trackEvent(scope, { timestamp: "yesterday" }),
      code: "YAVIO-2103",
    },
    {
      name: "a timestamp without a zone",
      event: () => trackEvent(scope, { timestamp: new Date().toISOString().slice(0, 19) }),
      code: "YAVIO-2103",
    },
    { name: "a negative epoch", event: () => trackEvent(scope, { timestamp: -5 }), code: "YAVIO-2103" },
    // 2104–2107: length limits
    {
      name: "event_name of 257 characters",
      event: () => trackEvent(scope, { event_name: "n".repeat(257) }),
      code: "YAVIO-2104",
    },
    {
      name: "user_id of 257 characters",
      event: () => trackEvent(scope, { user_id: "u".repeat(257) }),
      code: "YAVIO-2105",
    },
    {
      name: "trace_id of 129 characters",
      event: () => trackEvent(scope, { trace_id: `tr_${"t".repeat(126)}` }),
      code: "YAVIO-2106",
    },
    {
      name: "session_id of 129 characters",
      event: () => trackEvent(scope, { session_id: `ses_${"s".repeat(125)}` }),
      code: "YAVIO-2107",
    },
    // 2113: outside −30 days … +10 minutes
    {
      name: "a timestamp 31 days old",
      event: () => trackEvent(scope, { timestamp: new Date(Date.now() - 31 * DAY).toISOString() }),
      code: "YAVIO-2113",
    },
    {
      name: "a timestamp 11 minutes ahead",
      event: () => trackEvent(scope, { timestamp: minutesFromNow(11) }),
      code: "YAVIO-2113",
    },
    {
      name: "an epoch-ms timestamp 31 days old",
      event: () => trackEvent(scope, { timestamp: Date.now() - 31 * DAY }),
      code: "YAVIO-2113",
    },
    {
      name: "an epoch beyond the Date range",
      event: () => trackEvent(scope, { timestamp: 1e20 }),
      code: "YAVIO-2113",
    },
  ])("rejects $name with $code", async ({ event, code }) => {
    await expectEventRejected(event(), code)
  })

  it("accepts timestamps just inside the window: 29 days old, 9 minutes ahead, epoch milliseconds", async () => {
    const tenant = await freshTenant()
    const events = [
      trackEvent(scope, { timestamp: new Date(Date.now() - 29 * DAY).toISOString() }),
      trackEvent(scope, { timestamp: minutesFromNow(9) }),
      trackEvent(scope, { timestamp: Date.now() }),
    ]
    const reply = await postEvents(ingest.url, tenant.apiKey, batchOf(events))
    expect(reply.status).toBe(200)
    expect(await rowsOf(tenant)).toHaveLength(3)
  })
})

describe("field limits", () => {
  const SUFFIX = "... [truncated]"

  it("stores an error_message of 5 KB cut to 2 KB, ending in '... [truncated]'", async () => {
    const tenant = await freshTenant()
    const message = "upstream timed out while waiting for the provider; ".repeat(100).slice(0, 5 * 1024)
    const event = toolCall(newScope(), { status: "error", error_category: "timeout", error_message: message })
    const reply = await postEvents(ingest.url, tenant.apiKey, batchOf([event]))
    expect(reply.status).toBe(200)
    const stored = String((await onlyRow(tenant, event.event_id)).error_message)
    expect(stored.endsWith(SUFFIX)).toBe(true)
    expect(Buffer.byteLength(stored)).toBeLessThanOrEqual(2 * 1024)
    expect(Buffer.byteLength(stored)).toBeGreaterThan(2 * 1024 - 64)
    expect(message.startsWith(stored.slice(0, -SUFFIX.length))).toBe(true)
  })

  it("stores a multi-byte error_message over 2 KB as valid UTF-8 within 2 KB", async () => {
    const tenant = await freshTenant()
    const message = "Zeitüberschreitung 🙈 ".repeat(200)
    const event = toolCall(newScope(), { error_message: message })
    expect((await postEvents(ingest.url, tenant.apiKey, batchOf([event]))).status).toBe(200)
    const stored = String((await onlyRow(tenant, event.event_id)).error_message)
    expect(stored.endsWith(SUFFIX)).toBe(true)
    expect(Buffer.byteLength(stored)).toBeLessThanOrEqual(2 * 1024)
    expect(stored).not.toContain("\uFFFD")
    expect(message.startsWith(stored.slice(0, -SUFFIX.length))).toBe(true)
  })

  it("stores metadata of 20 KB as {_truncated: true, _original_size}", async () => {
    const tenant = await freshTenant()
    const metadata = { notes: "n".repeat(20 * 1024), count: 3 }
    const event = trackEvent(newScope(), { metadata })
    expect((await postEvents(ingest.url, tenant.apiKey, batchOf([event]))).status).toBe(200)
    const stored = JSON.parse(String((await onlyRow(tenant, event.event_id)).metadata))
    expect(stored).toEqual({ _truncated: true, _original_size: Buffer.byteLength(JSON.stringify(metadata)) })
  })

  it("stores metadata just under 10 KB as sent", async () => {
    const tenant = await freshTenant()
    const metadata = { notes: "n".repeat(10 * 1024 - 40) }
    const event = trackEvent(newScope(), { metadata })
    expect((await postEvents(ingest.url, tenant.apiKey, batchOf([event]))).status).toBe(200)
    expect(JSON.parse(String((await onlyRow(tenant, event.event_id)).metadata))).toEqual(metadata)
  })

  it("stores user_traits over 5 KB as {_truncated: true, _original_size}", async () => {
    const tenant = await freshTenant()
    const traits = { bio: "b".repeat(6 * 1024) }
    const event = identify(newScope(), { user_traits: traits })
    expect((await postEvents(ingest.url, tenant.apiKey, batchOf([event]))).status).toBe(200)
    const stored = JSON.parse(String((await onlyRow(tenant, event.event_id)).user_traits))
    expect(stored).toEqual({ _truncated: true, _original_size: Buffer.byteLength(JSON.stringify(traits)) })
  })

  it("truncates input_keys over 5 KB and intent_signals over 2 KB to a prefix that fits", async () => {
    const tenant = await freshTenant()
    const keys = Array.from({ length: 600 }, (_, i) => `argument_${i}`)
    const signals = Array.from({ length: 300 }, (_, i) => `intent:signal_${i}`)
    const event = toolCall(newScope(), { input_keys: keys, intent_signals: signals })
    expect((await postEvents(ingest.url, tenant.apiKey, batchOf([event]))).status).toBe(200)
    const row = await onlyRow(tenant, event.event_id)
    const storedKeys = JSON.parse(String(row.input_keys)) as string[]
    const storedSignals = JSON.parse(String(row.intent_signals)) as string[]
    expect(Buffer.byteLength(String(row.input_keys))).toBeLessThanOrEqual(5 * 1024)
    expect(Buffer.byteLength(String(row.intent_signals))).toBeLessThanOrEqual(2 * 1024)
    expect(storedKeys.length).toBeGreaterThan(0)
    expect(storedSignals.length).toBeGreaterThan(0)
    expect(storedKeys).toEqual(keys.slice(0, storedKeys.length))
    expect(storedSignals).toEqual(signals.slice(0, storedSignals.length))
  })
})

describe("hostile shapes", () => {
  /** An event whose `field` is the JSON text `nested` (spliced in as text: too deep to build as a value). */
  const withRawField = (event: JsonEvent, field: string, nested: string) => {
    const text = JSON.stringify({ ...event, [field]: "RAW" })
    return `{"events":[${text.replace('"RAW"', nested)}]}`
  }
  const objects = (levels: number) => `${'{"a":'.repeat(levels)}1${"}".repeat(levels)}`
  const arrays = (levels: number) => `{"a":${"[".repeat(levels)}${"]".repeat(levels)}}`

  it.each([
    {
      name: "metadata nested 5,000 objects deep",
      field: "metadata",
      nested: () => objects(5000),
      make: trackEvent,
    },
    {
      name: "metadata nested 5,000 arrays deep",
      field: "metadata",
      nested: () => arrays(5000),
      make: trackEvent,
    },
    {
      name: "user_traits nested 5,000 objects deep",
      field: "user_traits",
      nested: () => objects(5000),
      make: identify,
    },
    {
      name: "input_values nested 5,000 arrays deep",
      field: "input_values",
      nested: () => arrays(5000),
      make: toolCall,
    },
  ])("stores $name bounded, or rejects it, without a 5xx", async ({ field, nested, make }) => {
    const tenant = await freshTenant()
    const event = make(newScope())
    const reply = await postEvents(ingest.url, tenant.apiKey, withRawField(event, field, nested()))
    expectNo5xx(reply)
    const rows = await rowsOf(tenant)
    if (reply.status === 200) {
      expect(rows).toHaveLength(1)
      const stored = String(rows[0]![field])
      expect(Buffer.byteLength(stored)).toBeLessThanOrEqual(50 * 1024)
      // The spec's depth limit: 32 levels inside the field (its own object is one more).
      expect(jsonDepth(JSON.parse(stored))).toBeLessThanOrEqual(33)
    } else {
      expect(rows).toEqual([])
    }
  })

  it("answers a body nested 200,000 levels deep without a 5xx", async () => {
    const tenant = await freshTenant()
    const inEvents = `{"events":[${"[".repeat(200_000)}${"]".repeat(200_000)}]}`
    expectNo5xx(await postEvents(ingest.url, tenant.apiKey, inEvents))
    const inMetadata = withRawField(trackEvent(newScope()), "metadata", arrays(200_000))
    expectNo5xx(await postEvents(ingest.url, tenant.apiKey, inMetadata))
    expect(await rowsOf(tenant)).toEqual([])
  })

  it.each([
    { name: "error_message", event: () => toolCall(newScope(), { error_message: "e".repeat(400 * 1024) }) },
    { name: "event_name", event: () => trackEvent(newScope(), { event_name: "n".repeat(400 * 1024) }) },
    {
      name: "an unknown event field",
      event: () => ({ ...trackEvent(newScope()), blob: "x".repeat(400 * 1024) }),
    },
    {
      name: "metadata (multi-byte)",
      event: () => trackEvent(newScope(), { metadata: { t: "é".repeat(200 * 1024) } }),
    },
  ])("rejects a 400 KB string in $name as an event over 50 KB (2108)", async ({ event }) => {
    await expectEventRejected(event(), "YAVIO-2108")
  })

  it("ignores a 400 KB unknown top-level field and keeps the events", async () => {
    const tenant = await freshTenant()
    const event = trackEvent(newScope())
    const reply = await postEvents(
      ingest.url,
      tenant.apiKey,
      batchOf([event], { debug_dump: "d".repeat(400 * 1024) }),
    )
    expect(reply.status).toBe(200)
    await onlyRow(tenant, event.event_id)
  })

  it("never acknowledges an event with a lone UTF-16 surrogate without storing it", async () => {
    // `\ud800` is valid JSON text but not a Unicode scalar value. Whatever the service decides
    // (store it replaced, or reject the event), an event it reports as accepted must be stored.
    const tenant = await freshTenant()
    const scope = newScope()
    const plain = trackEvent(scope, { event_name: "plain" })
    const lone = trackEvent(scope, { event_name: "LONE" })
    const body = batchOf([plain, lone]).replace('"LONE"', '"lone \\ud800 surrogate"')
    const reply = await postEvents(ingest.url, tenant.apiKey, body)
    expectNo5xx(reply)
    const accepted =
      reply.status === 200
        ? [plain.event_id, lone.event_id]
        : [plain, lone].filter((_, i) => outcomes(reply)[i] === "accepted").map((e) => e.event_id)
    const stored = (await rowsOf(tenant)).map((r) => r.event_id)
    expect(stored.sort()).toEqual(accepted.sort())
  })

  it("keeps the events of other requests that share an insert with a hostile one", async () => {
    const victim = await freshTenant()
    const attacker = await freshTenant()
    const events = Array.from({ length: 5 }, () => trackEvent(newScope()))
    const hostile = batchOf([trackEvent(newScope(), { event_name: "X" })]).replace('"X"', '"\\udbff"')
    // Both keys are looked up once first, so that the requests below reach the writer together.
    for (const tenant of [victim, attacker]) {
      expect((await postEvents(ingest.url, tenant.apiKey, batchOf([trackEvent(newScope())]))).status).toBe(
        200,
      )
    }
    // Sent together, so the writer puts them in one insert (it lingers 25 ms for company).
    const [attack, ...replies] = await Promise.all([
      postEvents(ingest.url, attacker.apiKey, hostile),
      ...events.map((event) => postEvents(ingest.url, victim.apiKey, batchOf([event]))),
    ])
    // The victim's events are fine: they must be acknowledged and stored whatever the other
    // request carried.
    expect(replies.map((reply) => reply.status)).toEqual(events.map(() => 200))
    const stored = (await rowsOf(victim)).map((r) => r.event_id)
    expect(stored).toEqual(expect.arrayContaining(events.map((e) => e.event_id)))
    expectNo5xx(attack!)
  })
})

describe("per-key rate limits (10 events/s, burst 20)", () => {
  it("answers 429 YAVIO-2051 with Retry-After for one batch larger than the burst, writing nothing", async () => {
    const tenant = await freshTenant()
    const scope = newScope()
    const reply = await postEvents(
      ingest.url,
      tenant.apiKey,
      batchOf(Array.from({ length: 21 }, () => trackEvent(scope))),
    )
    expectError(reply, 429, "YAVIO-2051")
    expect(retryAfterOf(reply)).toBeGreaterThanOrEqual(1)
    expect(await rowsOf(tenant)).toEqual([])
    // The refused batch took nothing from the bucket: a full burst still goes through.
    const full = await postEvents(
      ingest.url,
      tenant.apiKey,
      batchOf(Array.from({ length: 20 }, () => trackEvent(scope))),
    )
    expect(full.status).toBe(200)
  })

  it("answers 429 YAVIO-2050 with Retry-After once bursts drain the bucket, and recovers as it refills", async () => {
    const tenant = await freshTenant()
    const scope = newScope()
    const burst = () => batchOf(Array.from({ length: 20 }, () => trackEvent(scope)))
    expect((await postEvents(ingest.url, tenant.apiKey, burst())).status).toBe(200)
    const limited = await postEvents(ingest.url, tenant.apiKey, burst())
    expectError(limited, 429, "YAVIO-2050")
    expect(retryAfterOf(limited)).toBeGreaterThanOrEqual(1)
    expect(await rowsOf(tenant)).toHaveLength(20)

    // Another key has its own budget.
    const other = await freshTenant()
    expect((await postEvents(ingest.url, other.apiKey, burst())).status).toBe(200)

    // The bucket refills at 10 events/s: a one-event batch goes through again within a second or so.
    const deadline = Date.now() + 5_000
    let status = 429
    while (status === 429 && Date.now() < deadline) {
      status = (await postEvents(ingest.url, tenant.apiKey, batchOf([trackEvent(scope)]))).status
      if (status === 429) await new Promise((resolve) => setTimeout(resolve, 50))
    }
    expect(status).toBe(200)
  })
})
