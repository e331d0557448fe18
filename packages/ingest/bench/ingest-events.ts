/**
 * Realistic event batches for `npm run bench:ingest`: the types of events.md in a plausible
 * mix for an MCP server with widgets, 0.2–2 KB each, about 5 % of events carrying PII (an
 * e-mail, a phone, a card, an address, an SSN) somewhere in a free-text field.
 *
 * Bodies are built ahead of the timed loop as byte templates. Each event's `event_id` is a
 * UUID whose last group is overwritten at send time with a run-wide counter (`stampBatch`),
 * so every event sent is unique without generating JSON on the load generator's clock.
 */

// A small deterministic PRNG (xorshift32) so runs send the same mix.
export const makeRandom = (seed: number) => {
  let state = seed >>> 0 || 0x9e3779b9
  const random = (): number => {
    state ^= state << 13
    state ^= state >>> 17
    state ^= state << 5
    return (state >>> 0) / 0x1_0000_0000
  }
  const int = (max: number): number => Math.floor(random() * max)
  const pick = <A>(items: ReadonlyArray<A>): A => items[int(items.length)]!
  const hex = (n: number): string => {
    let s = ""
    for (let i = 0; i < n; i++) s += "0123456789abcdef"[int(16)]
    return s
  }
  const nanoid = (n: number): string => {
    const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-"
    let s = ""
    for (let i = 0; i < n; i++) s += alphabet[int(64)]
    return s
  }
  return { random, int, pick, hex, nanoid }
}

type Random = ReturnType<typeof makeRandom>
type Event = Record<string, unknown>

const cities = ["Paris", "Berlin", "New York", "San Francisco", "Tokyo", "Lisbon", "Austin", "São Paulo"]
const tools = ["search_hotels", "book_hotel", "get_weather", "list_orders", "create_invoice", "lookup_flight"]
const platforms = ["chatgpt", "claude", "cursor", "vscode", "windsurf", "unknown"]
const clients = [
  ["claude-ai", "0.1.0"],
  ["chatgpt", "1.2025.150"],
  ["cursor", "1.4.2"],
  ["vscode", "1.103.0"],
] as const

/** A generator of events with timestamps in the last ten minutes before `nowMs`. */
export const makeEventSource = (seed: number, nowMs: number) => {
  const r: Random = makeRandom(seed)
  const { int, pick, hex, nanoid, random } = r
  const uuid = (): string => `${hex(8)}-${hex(4)}-4${hex(3)}-a${hex(3)}-${hex(12)}`
  const timestamp = (): string => new Date(nowMs - int(600_000)).toISOString()

  const queries = [
    (c: string) => `hotels in ${c} under $${100 + int(400)} for ${1 + int(6)} nights`,
    (c: string) => `weather in ${c} on 2026-11-${10 + int(18)} at ${10 + int(12)}:00`,
    (c: string) => `flights to ${c} departing 11/${10 + int(18)}/2026, 2 adults, economy`,
    (c: string) => `restaurants near the old town of ${c} with 4.5+ rating, table for ${2 + int(4)} at 19:30`,
    () => `orders from the last ${7 + int(60)} days with status shipped, page ${1 + int(9)} of 10`,
    () => `invoice for ${1 + int(20)} seats of the Pro plan, total €${(int(500_000) / 100).toFixed(2)}`,
  ]
  const pii = [
    () => `contact me at jane.${nanoid(5)}@example.com`,
    () => "my card is 4111 1111 1111 1111, exp 12/28",
    () => `call me on +1 (415) 555-${1000 + int(8999)}`,
    () => `ship it to ${1 + int(2000)} Market Street, San Francisco`,
    () => `SSN 123-45-${1000 + int(8999)}`,
  ]

  // A few sessions and traces per batch, as one server's SDK would flush them.
  let session = `ses_${nanoid(21)}`
  let trace = `tr_${nanoid(21)}`
  const common = (type: string, name: string | undefined, source: "server" | "widget") => {
    if (random() < 0.1) session = `ses_${nanoid(21)}`
    if (random() < 0.3) trace = `tr_${nanoid(21)}`
    return {
      event_id: uuid(),
      event_type: type,
      ...(name === undefined ? {} : { event_name: name }),
      timestamp: timestamp(),
      trace_id: trace,
      session_id: session,
      user_id: random() < 0.5 ? null : `user_${nanoid(10)}`,
      platform: pick(platforms),
      source,
      sdk_version: "0.1.0",
    }
  }
  const viewport = () => ({ viewport_width: pick([390, 768, 1280]), viewport_height: pick([844, 1024, 720]) })

  const toolCall = (withPii: boolean): Event => {
    const city = pick(cities)
    const query = withPii ? `${pick(queries)(city)} — ${pick(pii)()}` : pick(queries)(city)
    const failed = random() < 0.1
    return {
      ...common("tool_call", pick(tools), "server"),
      latency_ms: 20 + int(2000),
      status: failed ? "error" : "success",
      ...(failed
        ? { error_category: "timeout", error_message: `upstream timed out after ${3000 + int(5000)} ms` }
        : {}),
      is_retry: random() < 0.05 ? 1 : 0,
      input_keys: ["query", "city", "checkin", "guests", "currency"],
      input_types: {
        query: "string",
        city: "string",
        checkin: "string",
        guests: "number",
        currency: "string",
      },
      input_values: {
        query,
        city,
        checkin: `2026-11-${10 + int(18)}`,
        guests: 1 + int(4),
        currency: pick(["USD", "EUR", "GBP"]),
      },
      output_values: {
        results: Array.from({ length: 3 }, () => ({
          id: uuid(),
          name: `${pick(["Grand", "Royal", "Park", "City", "Harbor"])} ${pick(["Hotel", "Suites", "Inn"])} ${city}`,
          price: `$${1 + int(9)},${100 + int(899)}.${10 + int(89)}`,
          rating: (3 + random() * 2).toFixed(1),
          available_from: timestamp(),
          sku: `SKU-${int(99999)}-${hex(6)}`,
        })),
        total: 3 + int(40),
        next_page: `cursor_${nanoid(16)}`,
      },
      intent_signals: ["intent:budget", `intent:${pick(["travel", "booking", "compare"])}`],
      tokens_in: 100 + int(900),
      tokens_out: 200 + int(2000),
      metadata: {
        response_size_bytes: 1000 + int(20000),
        content_types: { text: 1, resource: int(3) },
        result_count: 3,
        zero_result: false,
        server_version: `v${1 + int(3)}.${int(20)}.${int(10)}`,
      },
    }
  }

  const widget = (withPii: boolean): Event => {
    const kind = int(8)
    if (kind === 0)
      return {
        ...common("widget_render", "hotel_list", "widget"),
        ...viewport(),
        device_pixel_ratio: pick([1, 2, 3]),
        device_touch: int(2),
        connection_type: pick(["4g", "wifi", "3g"]),
        metadata: { language: "en-US", timezone_offset: -60 },
      }
    if (kind === 1)
      return {
        ...common("widget_scroll", "results", "widget"),
        ...viewport(),
        scroll_depth_pct: int(101),
        metadata: { direction: pick(["down", "up"]), velocity: int(3000) / 10 },
      }
    if (kind === 2)
      return {
        ...common("widget_visibility", "hotel_list", "widget"),
        visible_duration_ms: int(60_000),
        metadata: { percent_visible: int(101) },
      }
    if (kind === 3)
      return {
        ...common("widget_navigation", undefined, "widget"),
        nav_from: "/results",
        nav_to: `/hotel/${int(500)}`,
        metadata: { time_on_previous_ms: int(30_000) },
      }
    if (kind === 4)
      return {
        ...common("widget_form_field", "booking_form", "widget"),
        field_name: pick(["email", "phone", "guests", "notes"]),
        metadata: { time_in_field_ms: int(20_000), outcome: pick(["filled", "abandoned"]) },
      }
    if (kind === 5)
      return {
        ...common("widget_performance", undefined, "widget"),
        load_time_ms: 50 + int(3000),
        metadata: { first_paint_ms: int(800), dom_content_loaded_ms: int(1500), transfer_size: int(400_000) },
      }
    return {
      ...common("widget_click", pick(["book_now", "show_more", "filter_price", "map_toggle"]), "widget"),
      ...viewport(),
      click_count: 1 + int(10),
      metadata: {
        element: pick(["button", "a", "div"]),
        x: int(800),
        y: int(600),
        label: withPii ? pick(pii)() : `Book for $${100 + int(900)}.99`,
      },
    }
  }

  const other = (withPii: boolean): Event => {
    const kind = int(10)
    if (kind === 0) {
      const [name, version] = pick(clients)
      const disconnect = random() < 0.5
      return {
        ...common("connection", undefined, "server"),
        protocol_version: "2025-06-18",
        client_name: name,
        client_version: version,
        ...(disconnect ? { connection_duration_ms: int(3_600_000) } : {}),
        metadata: { phase: disconnect ? "disconnect" : "connect" },
      }
    }
    if (kind === 1)
      return {
        ...common("tool_discovery", undefined, "server"),
        metadata: { tools_listed: tools, tools_count: tools.length, client_name: "claude-ai" },
      }
    if (kind === 2)
      return {
        ...common("resource_access", "hotel_catalog", "server"),
        metadata: { uri: `resource://catalog/${int(1000)}`, response_size_bytes: int(50_000) },
      }
    if (kind === 3)
      return {
        ...common("sampling_call", undefined, "server"),
        latency_ms: 200 + int(4000),
        tokens_in: int(2000),
        tokens_out: int(2000),
        metadata: { model_hint: "claude-sonnet" },
      }
    if (kind === 4)
      return {
        ...common("identify", undefined, "server"),
        user_id: `user_${nanoid(10)}`,
        user_traits: {
          plan: pick(["free", "pro", "team"]),
          seats: 1 + int(50),
          company: pick(["Acme", "Globex", "Initech"]),
          signup_date: "2026-03-14",
          ...(withPii ? { email: `jane.${nanoid(5)}@example.com` } : {}),
        },
        metadata: { source: "oauth", locale: "en-GB" },
      }
    if (kind === 5)
      return {
        ...common("conversion", "booking_completed", "server"),
        conversion_value: int(200_000) / 100,
        conversion_currency: "EUR",
        metadata: { order_id: `ORD-2026-${100000 + int(899999)}`, nights: 1 + int(7), coupon: "WINTER25" },
      }
    if (kind <= 7)
      return {
        ...common("step", pick(["search", "select", "checkout"]), "server"),
        step_sequence: int(5),
        metadata: { variant: pick(["a", "b"]) },
      }
    return {
      ...common("track", pick(["filter_applied", "compare_opened", "price_alert_set"]), "server"),
      metadata: {
        filters: { min_price: int(100), max_price: 100 + int(900), stars: [3, 4, 5], city: pick(cities) },
        sort: "price_asc",
        note: withPii ? pick(pii)() : `applied at ${timestamp()} from v20.19.0 client`,
        experiment: { id: uuid(), variant: pick(["a", "b"]) },
      },
    }
  }

  /** One event: 35 % tool calls, 35 % widget events, 30 % the other server types. */
  const next = (): Event => {
    const withPii = random() < 0.05
    const x = random()
    if (x < 0.35) return toolCall(withPii)
    if (x < 0.7) return widget(withPii)
    return other(withPii)
  }
  return { next }
}

/** A request body as bytes, with where each event's id ends (its last 12 hex digits). */
export interface BatchTemplate {
  readonly bytes: Buffer
  readonly idOffsets: ReadonlyArray<number>
}

const ID_KEY = Buffer.from('"event_id":"')
/** Offset of the last group inside a UUID (`8-4-4-4-12`). */
const LAST_GROUP = 24

/** `count` distinct bodies of `perBatch` events each. */
export const makeBatchTemplates = (
  count: number,
  perBatch: number,
  seed: number,
  nowMs: number,
): ReadonlyArray<BatchTemplate> => {
  const source = makeEventSource(seed, nowMs)
  const templates: BatchTemplate[] = []
  for (let b = 0; b < count; b++) {
    const events = Array.from({ length: perBatch }, source.next)
    const bytes = Buffer.from(
      JSON.stringify({ events, sdk_version: "0.1.0", sent_at: new Date(nowMs).toISOString() }),
    )
    const idOffsets: number[] = []
    for (let at = bytes.indexOf(ID_KEY); at !== -1; at = bytes.indexOf(ID_KEY, at + 1)) {
      idOffsets.push(at + ID_KEY.length + LAST_GROUP)
    }
    if (idOffsets.length !== perBatch) throw new Error("event_id not found in every event")
    templates.push({ bytes, idOffsets })
  }
  return templates
}

/** A copy of the template whose events carry ids `firstId`, `firstId + 1`, … in their last group. */
export const stampBatch = (template: BatchTemplate, firstId: number): Buffer => {
  const out = Buffer.allocUnsafe(template.bytes.length)
  template.bytes.copy(out)
  let id = firstId
  for (const offset of template.idOffsets) {
    out.write(id.toString(16).padStart(12, "0"), offset, "latin1")
    id++
  }
  return out
}
