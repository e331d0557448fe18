/**
 * Cost of the PII engine per realistic event, against JSON.stringify of the same event (which
 * the writer pays anyway). Events are decoded from distinct JSON texts, as ingest receives
 * them: tool calls with captured inputs and outputs, widget events, tracks, identifies and
 * conversions, ~1–2 KB each, about 3 % carrying some PII.
 *
 * Run: `node --import tsx packages/ingest/bench/pii.ts [events]`. Prints one JSON line on
 * stdout; details go to stderr.
 */
import { scrubEventRecord } from "@yavio/pii"

const count = Number(process.argv[2] ?? 100_000)

// A small deterministic PRNG so runs are comparable.
let seed = 0x9e3779b9
const random = (): number => {
  seed ^= seed << 13
  seed ^= seed >>> 17
  seed ^= seed << 5
  return (seed >>> 0) / 0x1_0000_0000
}
const pick = <A>(items: ReadonlyArray<A>): A => items[Math.floor(random() * items.length)]!
const int = (max: number): number => Math.floor(random() * max)
const hex = (n: number): string => {
  let s = ""
  for (let i = 0; i < n; i++) s += "0123456789abcdef"[int(16)]
  return s
}
const uuid = (): string => `${hex(8)}-${hex(4)}-4${hex(3)}-a${hex(3)}-${hex(12)}`
const nanoid = (n: number): string => {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-"
  let s = ""
  for (let i = 0; i < n; i++) s += alphabet[int(64)]
  return s
}
const timestamp = (): string => new Date(1_764_000_000_000 + int(86_400_000 * 30)).toISOString()

const cities = ["Paris", "Berlin", "New York", "San Francisco", "Tokyo", "Lisbon", "Austin", "São Paulo"]
const tools = ["search_hotels", "book_hotel", "get_weather", "list_orders", "create_invoice", "lookup_flight"]
const platforms = ["chatgpt", "claude", "cursor", "vscode", "unknown"]
const queries = [
  (c: string) => `hotels in ${c} under $${100 + int(400)} for ${1 + int(6)} nights`,
  (c: string) => `weather in ${c} on ${2026}-11-${10 + int(18)} at ${10 + int(12)}:00`,
  (c: string) => `flights to ${c} departing 11/${10 + int(18)}/2026, 2 adults, economy`,
  (c: string) => `restaurants near the old town of ${c} with 4.5+ rating, table for ${2 + int(4)} at 19:30`,
  () => `orders from the last ${7 + int(60)} days with status shipped, page ${1 + int(9)} of 10`,
  () => `invoice for ${1 + int(20)} seats of the Pro plan, total €${(int(500_000) / 100).toFixed(2)}`,
]
const pii = [
  () => `contact me at jane.${nanoid(5)}@example.com`,
  () => `my card is 4111 1111 1111 1111, exp 12/28`,
  () => `call me on +1 (415) 555-${1000 + int(8999)}`,
  () => `ship it to ${1 + int(2000)} Market Street, San Francisco`,
  () => `SSN 123-45-${1000 + int(8999)}`,
]

const common = (type: string, name: string) => ({
  event_id: uuid(),
  event_type: type,
  event_name: name,
  timestamp: timestamp(),
  trace_id: `tr_${nanoid(21)}`,
  session_id: `ses_${nanoid(21)}`,
  user_id: random() < 0.5 ? null : `user_${nanoid(10)}`,
  platform: pick(platforms),
  source: "server",
  sdk_version: "0.1.0",
})

const toolCall = (withPii: boolean) => {
  const city = pick(cities)
  const query = withPii ? `${pick(queries)(city)} — ${pick(pii)()}` : pick(queries)(city)
  const failed = random() < 0.1
  return {
    ...common("tool_call", pick(tools)),
    latency_ms: 20 + int(2000),
    status: failed ? "error" : "success",
    ...(failed
      ? { error_category: "timeout", error_message: `upstream timed out after ${3000 + int(5000)} ms` }
      : {}),
    is_retry: 0,
    input_keys: ["query", "city", "checkin", "guests", "currency"],
    input_types: { query: "string", city: "string", checkin: "string", guests: "number", currency: "string" },
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
      response_bytes: 1000 + int(20000),
      content_types: { text: 1, resource: int(3) },
      result_count: 3,
      zero_result: false,
      server_version: `v${1 + int(3)}.${int(20)}.${int(10)}`,
    },
  }
}

const widgetClick = (withPii: boolean) => ({
  ...common("widget_click", pick(["book_now", "show_more", "filter_price", "map_toggle"])),
  source: "widget",
  click_count: 1 + int(10),
  metadata: {
    element: pick(["button", "a", "div"]),
    x: int(800),
    y: int(600),
    label: withPii ? pick(pii)() : `Book for $${100 + int(900)}.99`,
    viewport: "390x844",
    language: "en-US",
    timezone_offset: -60,
  },
})

const track = (withPii: boolean) => ({
  ...common("track", pick(["filter_applied", "compare_opened", "price_alert_set"])),
  metadata: {
    filters: { min_price: int(100), max_price: 100 + int(900), stars: [3, 4, 5], city: pick(cities) },
    sort: "price_asc",
    note: withPii ? pick(pii)() : `applied at ${timestamp()} from v20.19.0 client`,
    experiment: { id: uuid(), variant: pick(["a", "b"]) },
  },
})

const identify = (withPii: boolean) => ({
  ...common("identify", "identify"),
  user_traits: {
    plan: pick(["free", "pro", "team"]),
    seats: 1 + int(50),
    company: pick(["Acme", "Globex", "Initech"]),
    signup_date: "2026-03-14",
    ...(withPii ? { email: `jane.${nanoid(5)}@example.com` } : {}),
  },
  metadata: { source: "oauth", locale: "en-GB" },
})

const conversion = () => ({
  ...common("conversion", "booking_completed"),
  conversion_value: int(200_000) / 100,
  conversion_currency: "EUR",
  metadata: { order_id: `ORD-2026-${100000 + int(899999)}`, nights: 1 + int(7), coupon: "WINTER25" },
})

const makeEvent = (): Record<string, unknown> => {
  const withPii = random() < 0.03
  const r = random()
  if (r < 0.55) return toolCall(withPii)
  if (r < 0.75) return widgetClick(withPii)
  if (r < 0.9) return track(withPii)
  if (r < 0.95) return identify(withPii)
  return conversion()
}

// Decode from text so every event owns fresh strings, as on the ingest path.
const texts = Array.from({ length: count }, () => JSON.stringify(makeEvent()))
const events = texts.map((t) => JSON.parse(t) as Record<string, unknown>)
const averageBytes = texts.reduce((n, t) => n + t.length, 0) / count

const timeEach = (f: (e: Record<string, unknown>) => unknown): { us: number; sink: number } => {
  let sink = 0
  const start = process.hrtime.bigint()
  for (let i = 0; i < events.length; i++) {
    const r = f(events[i]!)
    if (r !== events[i]) sink++
  }
  const ns = Number(process.hrtime.bigint() - start)
  return { us: ns / 1000 / events.length, sink }
}

const stringify = (e: Record<string, unknown>) => JSON.stringify(e)

// Warm both paths up (JIT, regexp compilation), then take the best of five rounds.
for (let i = 0; i < 2; i++) {
  timeEach(scrubEventRecord)
  timeEach(stringify)
}
let scrubUs = Number.POSITIVE_INFINITY
let baselineUs = Number.POSITIVE_INFINITY
let changed = 0
for (let round = 0; round < 5; round++) {
  const s = timeEach(scrubEventRecord)
  scrubUs = Math.min(scrubUs, s.us)
  changed = s.sink
  baselineUs = Math.min(baselineUs, timeEach(stringify).us)
}

// The slowest single event, against the spec's 1 ms limit. One timing per event is at the
// mercy of GC pauses and the scheduler, so the slowest hundred are re-timed and each keeps
// its best of 30 runs: the engine's own cost.
const single = (e: Record<string, unknown>): number => {
  const start = process.hrtime.bigint()
  scrubEventRecord(e)
  return Number(process.hrtime.bigint() - start) / 1000
}
const firstPass = events.map((e, i) => ({ i, us: single(e) })).sort((a, b) => b.us - a.us)
const p99Us = firstPass[Math.floor(events.length / 100)]!.us
let worstUs = 0
for (const { i } of firstPass.slice(0, 100)) {
  let best = Number.POSITIVE_INFINITY
  for (let k = 0; k < 30; k++) best = Math.min(best, single(events[i]!))
  worstUs = Math.max(worstUs, best)
}

const round3 = (n: number) => Math.round(n * 1000) / 1000
console.error(
  `${count} events, ${Math.round(averageBytes)} bytes on average, ${changed} changed by scrubbing; ` +
    `p99 of single timings ${p99Us.toFixed(1)} µs, slowest event ${worstUs.toFixed(1)} µs (best of 30)`,
)
console.log(
  JSON.stringify({
    figure: "pii_us_per_event",
    value: round3(scrubUs),
    baseline: "JSON.stringify of the same event",
    baseline_us: round3(baselineUs),
    ratio: round3(scrubUs / baselineUs),
  }),
)
