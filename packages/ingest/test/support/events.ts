// Event builders and a raw HTTP client for the ingest tests that run against the real service.
//
// Events are plain JSON values, as an SDK puts them in a request body, stamped with the current
// time (the service checks the −30 days … +10 minutes window against its own clock). Each test
// gets its own trace and session ids (`newScope`) so its rows can be found without counting
// anyone else's.
//
// The client is `node:http` rather than `fetch`: the tests need exact bytes (invalid UTF-8,
// bodies without a content type), chunked bodies written piece by piece, a chosen local address
// (the per-IP limit keys on it: 127.0.0.0/8 is all loopback on Linux) and keep-alive agents.
import { randomBytes, randomUUID } from "node:crypto"
import http from "node:http"
import type { KnownEventType } from "@yavio/domain"
import { expect } from "vitest"

export type JsonEvent = { readonly [field: string]: unknown }

/** `length` URL-safe random characters. */
export const randomId = (length: number): string =>
  randomBytes(Math.ceil((length * 3) / 4) + 1)
    .toString("base64url")
    .slice(0, length)

export interface Scope {
  readonly traceId: string
  readonly sessionId: string
}

/** A fresh trace and session, shaped like the SDK's ids. */
export const newScope = (): Scope => ({ traceId: `tr_${randomId(21)}`, sessionId: `ses_${randomId(21)}` })

/** The common fields of a server event; a field given as `undefined` is left out, as JSON would. */
export const serverEvent = (scope: Scope, eventType: string, fields: JsonEvent = {}): JsonEvent => {
  const event: Record<string, unknown> = {
    event_id: randomUUID(),
    event_type: eventType,
    timestamp: new Date().toISOString(),
    trace_id: scope.traceId,
    session_id: scope.sessionId,
    user_id: null,
    platform: "claude",
    source: "server",
    sdk_version: "0.1.0",
    ...fields,
  }
  for (const [key, value] of Object.entries(event)) if (value === undefined) delete event[key]
  return event
}

/** A widget event: `source: "widget"` and the viewport the widget sends with everything. */
export const widgetEvent = (scope: Scope, eventType: string, fields: JsonEvent = {}): JsonEvent =>
  serverEvent(scope, eventType, { source: "widget", viewport_width: 414, viewport_height: 720, ...fields })

/** One valid event of every known type (the type checker insists on all of them). */
export const everyEventType = (scope: Scope): Readonly<Record<KnownEventType, JsonEvent>> => ({
  tool_call: serverEvent(scope, "tool_call", {
    event_name: "find_flights",
    latency_ms: 240.5,
    status: "success",
    is_retry: 0,
    input_keys: ["origin", "destination"],
    input_types: { origin: "string", destination: "string" },
    input_values: { origin: "OSL", destination: "BCN" },
    output_values: { content: [{ type: "text", text: "4 flights" }] },
    intent_signals: ["intent:compare"],
    tokens_in: 40,
    tokens_out: 310,
    metadata: { result_count: 4, zero_result: false },
  }),
  connection: serverEvent(scope, "connection", {
    trace_id: undefined,
    protocol_version: "2025-06-18",
    client_name: "claude-ai",
    client_version: "0.9.1",
    metadata: { phase: "connect" },
  }),
  tool_discovery: serverEvent(scope, "tool_discovery", {
    trace_id: undefined,
    metadata: { tools_listed: ["find_flights"], tools_count: 1 },
  }),
  resource_access: serverEvent(scope, "resource_access", {
    event_name: "flight-widget",
    metadata: { uri: "ui://widget/flights.html" },
  }),
  prompt_usage: serverEvent(scope, "prompt_usage", { event_name: "plan_weekend" }),
  sampling_call: serverEvent(scope, "sampling_call", { latency_ms: 700, tokens_in: 120, tokens_out: 60 }),
  elicitation: serverEvent(scope, "elicitation", { latency_ms: 9000, metadata: { outcome: "accept" } }),
  widget_response: serverEvent(scope, "widget_response", {
    event_name: "find_flights",
    metadata: { widget_token_minted: true },
  }),
  step: serverEvent(scope, "step", { event_name: "flights_listed", step_sequence: 1 }),
  track: serverEvent(scope, "track", { event_name: "sort_changed", metadata: { by: "price" } }),
  conversion: widgetEvent(scope, "conversion", {
    event_name: "ticket_bought",
    conversion_value: 129.9,
    conversion_currency: "NOK",
  }),
  identify: serverEvent(scope, "identify", {
    trace_id: undefined,
    user_id: "user_77",
    user_traits: { plan: "team" },
  }),
  widget_render: widgetEvent(scope, "widget_render", {
    device_pixel_ratio: 2,
    device_touch: 0,
    connection_type: "wifi",
  }),
  widget_error: widgetEvent(scope, "widget_error", { metadata: { message: "chart failed to draw" } }),
  widget_visibility: widgetEvent(scope, "widget_visibility", { visible_duration_ms: 3100 }),
  widget_click: widgetEvent(scope, "widget_click", { event_name: "select-flight", click_count: 1 }),
  widget_rage_click: widgetEvent(scope, "widget_rage_click", { event_name: "select-flight" }),
  widget_scroll: widgetEvent(scope, "widget_scroll", { event_name: "flight-list", scroll_depth_pct: 55 }),
  widget_form_field: widgetEvent(scope, "widget_form_field", {
    event_name: "passenger-form",
    field_name: "seats",
  }),
  widget_form_submit: widgetEvent(scope, "widget_form_submit", {
    event_name: "passenger-form",
    status: "success",
  }),
  widget_link_click: widgetEvent(scope, "widget_link_click", { event_name: "baggage-rules" }),
  widget_navigation: widgetEvent(scope, "widget_navigation", { nav_from: "/list", nav_to: "/details" }),
  widget_focus: widgetEvent(scope, "widget_focus", { metadata: { focus_count: 1 } }),
  widget_performance: widgetEvent(scope, "widget_performance", { load_time_ms: 410.2 }),
})

/** A well-formed event type this server does not know, with a field it does not know either. */
export const futureEvent = (scope: Scope): JsonEvent =>
  serverEvent(scope, "checkout_abandoned", {
    event_name: "cart",
    metadata: { items: 2 },
    cart_value: 80,
  })

/** A small valid event (a custom `track`) for tests that need many of them. */
export const trackEvent = (scope: Scope, fields: JsonEvent = {}): JsonEvent =>
  serverEvent(scope, "track", { event_name: "clicked", ...fields })

export const batchOf = (events: ReadonlyArray<JsonEvent>, extra: JsonEvent = {}): string =>
  JSON.stringify({ events, sdk_version: "0.1.0", sent_at: new Date().toISOString(), ...extra })

// ---------------------------------------------------------------------------------------------
// HTTP

export interface Reply {
  readonly status: number
  readonly headers: http.IncomingHttpHeaders
  readonly text: string
  /** The body parsed as JSON, or `undefined` when it is not JSON. */
  readonly json: unknown
}

export interface SendOptions {
  readonly method?: string
  readonly headers?: Readonly<Record<string, string | undefined>>
  /** Sent with a Content-Length. */
  readonly body?: string | Uint8Array
  /**
   * Sent with chunked transfer encoding, one write per chunk, each after the previous one was
   * flushed; writing stops as soon as a response arrives (a server may answer early).
   */
  readonly chunks?: Iterable<Uint8Array>
  /** Local address to connect from (an address in 127.0.0.0/8). */
  readonly localAddress?: string
  readonly agent?: http.Agent
  readonly timeoutMs?: number
}

/** One request. Rejects when the connection ends without a complete response. */
export const send = (baseUrl: string, path: string, options: SendOptions = {}): Promise<Reply> =>
  new Promise((resolve, reject) => {
    // The path is sent as given (not resolved against the base: "//x" must stay a path).
    const url = new URL(baseUrl)
    const headers: Record<string, string> = {}
    for (const [name, value] of Object.entries(options.headers ?? {})) {
      if (value !== undefined) headers[name] = value
    }
    const body = typeof options.body === "string" ? Buffer.from(options.body, "utf8") : options.body
    if (body !== undefined) headers["content-length"] = String(body.byteLength)
    let answered = false
    const request = http.request(
      {
        host: url.hostname,
        port: url.port,
        path,
        method: options.method ?? "POST",
        headers,
        ...(options.localAddress === undefined ? {} : { localAddress: options.localAddress }),
        agent: options.agent ?? false,
        timeout: options.timeoutMs ?? 30_000,
      },
      (response) => {
        answered = true
        const parts: Buffer[] = []
        response.on("data", (part: Buffer) => parts.push(part))
        response.on("error", reject)
        response.on("end", () => {
          const text = Buffer.concat(parts).toString("utf8")
          let json: unknown
          try {
            json = JSON.parse(text)
          } catch {
            json = undefined
          }
          // A response that came while a chunked body was still being written ends the exchange.
          if (!request.writableEnded) request.destroy()
          resolve({ status: response.statusCode ?? 0, headers: response.headers, text, json })
        })
      },
    )
    request.on("timeout", () => request.destroy(new Error(`no response within the timeout`)))
    request.on("error", (error) => {
      if (!answered) reject(new Error(`${path}: the connection ended without a response (${error.message})`))
    })
    if (options.chunks === undefined) {
      request.end(body)
      return
    }
    const iterator = options.chunks[Symbol.iterator]()
    const next = (): void => {
      if (answered || request.destroyed) return
      const item = iterator.next()
      if (item.done === true) request.end()
      else request.write(item.value, (error) => (error ? undefined : next()))
    }
    next()
  })

/** `Authorization` and `Content-Type` headers for a JSON POST with `credential` (omitted when undefined). */
export const jsonHeaders = (
  credential: string | undefined,
  extra: Readonly<Record<string, string | undefined>> = {},
): Record<string, string | undefined> => ({
  authorization: credential === undefined ? undefined : `Bearer ${credential}`,
  "content-type": "application/json",
  ...extra,
})

/** `POST /v1/events` with a JSON body (an object is serialised; a string is sent as is). */
export const postEvents = (
  baseUrl: string,
  credential: string | undefined,
  body: unknown,
  options: Omit<SendOptions, "body"> = {},
): Promise<Reply> =>
  send(baseUrl, "/v1/events", {
    ...options,
    headers: jsonHeaders(credential, options.headers),
    body: typeof body === "string" || body instanceof Uint8Array ? body : JSON.stringify(body),
  })

/** `POST /v1/widget-tokens` with a JSON body. */
export const postWidgetToken = (
  baseUrl: string,
  credential: string | undefined,
  body: unknown,
  options: Omit<SendOptions, "body"> = {},
): Promise<Reply> =>
  send(baseUrl, "/v1/widget-tokens", {
    ...options,
    headers: jsonHeaders(credential, options.headers),
    body: typeof body === "string" ? body : JSON.stringify(body),
  })

/** The `{ error: { … } }` body of an error answer, or `undefined`. */
export interface ErrorJson {
  readonly error: {
    readonly code: string
    readonly message: string
    readonly status: number
    readonly requestId: string
  }
}

export interface ResultsJson {
  readonly accepted: number
  readonly rejected: number
  readonly results: ReadonlyArray<
    | { readonly status: "accepted" }
    | { readonly status: "rejected"; readonly error: { code: string; message: string } }
  >
}

/** The YAVIO code of each event of a 207/400 answer, `"accepted"` for accepted ones. */
export const outcomes = (reply: Reply): ReadonlyArray<string> =>
  ((reply.json as Partial<ResultsJson> | undefined)?.results ?? []).map((result) =>
    result.status === "accepted" ? "accepted" : result.error.code,
  )

/** Distinct loopback addresses, so the per-IP limit of one test never sees another's requests. */
let lastOctet = 10
export const freshLoopbackAddress = (): string => {
  lastOctet++
  if (lastOctet > 250) throw new Error("out of loopback addresses")
  return `127.0.0.${lastOctet}`
}

/** Nesting depth of a JSON value (a scalar is 0, `{}` and `[]` are 1). Iterative: safe on deep values. */
export const jsonDepth = (value: unknown): number => {
  let deepest = 0
  const stack: Array<{ value: unknown; depth: number }> = [{ value, depth: 0 }]
  while (stack.length > 0) {
    const { value: current, depth } = stack.pop()!
    if (typeof current !== "object" || current === null) {
      deepest = Math.max(deepest, depth)
      continue
    }
    deepest = Math.max(deepest, depth + 1)
    for (const child of Object.values(current)) stack.push({ value: child, depth: depth + 1 })
  }
  return deepest
}

/** ClickHouse's `YYYY-MM-DD hh:mm:ss.sss` (UTC) as a Date. */
export const fromClickhouseTime = (text: string): Date => new Date(`${text.replace(" ", "T")}Z`)

// ---------------------------------------------------------------------------------------------
// Assertions shared by the test files

/**
 * The answer is the YAVIO error body with this status and code: `{ error: { code, message,
 * status, requestId } }`, the request id also in `x-request-id`.
 */
export const expectError = (reply: Reply, status: number, code: string): ErrorJson => {
  expect({ status: reply.status, code: (reply.json as Partial<ErrorJson> | undefined)?.error?.code }).toEqual(
    {
      status,
      code,
    },
  )
  const body = reply.json as ErrorJson
  expect(body.error.status).toBe(status)
  expect(typeof body.error.message).toBe("string")
  expect(body.error.message.length).toBeGreaterThan(0)
  expect(body.error.requestId).toMatch(/^[\w.:-]{1,128}$/)
  expect(reply.headers["x-request-id"]).toBe(body.error.requestId)
  return body
}

/** `Retry-After` in whole seconds (NaN when absent). */
export const retryAfterOf = (reply: Reply): number => Number(reply.headers["retry-after"])
