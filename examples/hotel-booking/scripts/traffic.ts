/**
 * `npm run example:traffic`: realistic traffic from simulated users through the instrumented
 * hotel server into a local Yavio (`npm start`).
 *
 * Reads `$YAVIO_DATA_DIR/local.json` (default `./.yavio`, written by the first `npm start`) for
 * the API key and ingest URL, then runs sessions: each one starts the example server as a child
 * process on stdio with `YAVIO_API_KEY`/`YAVIO_ENDPOINT` — how desktop hosts run MCP servers,
 * one process per session — and drives it with a real MCP client posing as ChatGPT, Claude,
 * Cursor or VS Code: searches, details, bookings, sold-out errors, retries, zero results.
 * When a session ends its server delivers the events and exits. Widget results of hosts that
 * render widgets are opened in headless Chromium (`/usr/bin/chromium`, see widgetBrowser.ts),
 * where the React widget's `useYavio()` sends the widget events; `--no-browser` skips that.
 *
 *   npm run example:traffic -- [--sessions 50] [--concurrency 4] [--max-seconds 180] [--seed N]
 *                              [--data-dir ./.yavio] [--endpoint http://127.0.0.1:3001] [--no-browser]
 */

import { existsSync, readFileSync } from "node:fs"
import { resolve } from "node:path"
import { fileURLToPath } from "node:url"
import { parseArgs } from "node:util"
import { Client } from "@modelcontextprotocol/sdk/client/index.js"
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js"
import { CITIES, ROOMS } from "../src/hotel.js"
import { WIDGET_URI } from "../src/widget.js"
import { startWidgetBrowser, type WidgetBrowser } from "./widgetBrowser.js"

const EXAMPLE_DIR = fileURLToPath(new URL("..", import.meta.url))
const SERVER_ENTRY = fileURLToPath(new URL("../src/stdio.ts", import.meta.url))
/** A session that takes longer than this is abandoned (its server is stopped). */
const SESSION_TIMEOUT_MS = 60_000

// ---------------------------------------------------------------------------------------------
// Options

const { values: flags } = parseArgs({
  options: {
    sessions: { type: "string", default: "50" },
    concurrency: { type: "string", default: "4" },
    "max-seconds": { type: "string", default: "180" },
    seed: { type: "string" },
    "data-dir": { type: "string" },
    endpoint: { type: "string" },
    "no-browser": { type: "boolean", default: false },
    help: { type: "boolean", short: "h", default: false },
  },
})

if (flags.help) {
  console.log(
    "npm run example:traffic -- [--sessions 50] [--concurrency 4] [--max-seconds 180] [--seed N]\n" +
      "                           [--data-dir ./.yavio] [--endpoint http://127.0.0.1:3001] [--no-browser]",
  )
  process.exit(0)
}

const positiveInt = (name: string, value: string | undefined, max: number): number => {
  const n = Number(value)
  if (!Number.isInteger(n) || n < 1 || n > max) {
    console.error(`--${name} must be a whole number from 1 to ${max}`)
    process.exit(2)
  }
  return n
}

const sessionCount = positiveInt("sessions", flags.sessions, 10_000)
const concurrency = positiveInt("concurrency", flags.concurrency, 32)
const maxSeconds = positiveInt("max-seconds", flags["max-seconds"], 86_400)
const seed = flags.seed === undefined ? Math.floor(Math.random() * 2 ** 31) : Number(flags.seed)
const dataDir = resolve(flags["data-dir"] ?? process.env.YAVIO_DATA_DIR ?? "./.yavio")

// ---------------------------------------------------------------------------------------------
// The local install

const localFile = resolve(dataDir, "local.json")
if (!existsSync(localFile)) {
  console.error(`${localFile} not found. Start Yavio once first (npm start), or pass --data-dir.`)
  process.exit(1)
}
const local = JSON.parse(readFileSync(localFile, "utf8")) as { apiKey?: string; ingestUrl?: string }
const apiKey = local.apiKey
const endpoint = flags.endpoint ?? local.ingestUrl
if (typeof apiKey !== "string" || typeof endpoint !== "string") {
  console.error(`${localFile} has no apiKey / ingestUrl`)
  process.exit(1)
}

try {
  const health = await fetch(`${endpoint.replace(/\/+$/, "")}/health`, { signal: AbortSignal.timeout(5_000) })
  if (!health.ok) throw new Error(`health answered ${health.status}`)
} catch (error) {
  console.error(
    `Cannot reach Yavio ingest at ${endpoint} (${error instanceof Error ? error.message : error}). ` +
      "Is `npm start` running?",
  )
  process.exit(1)
}

// ---------------------------------------------------------------------------------------------
// Simulated people

/** mulberry32: small, seedable, good enough for traffic. */
const prng = (start: number) => {
  let state = start >>> 0
  return (): number => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

type Random = () => number
const pick = <T>(random: Random, items: ReadonlyArray<T>): T => items[Math.floor(random() * items.length)]!
const weighted = <T>(random: Random, items: ReadonlyArray<readonly [T, number]>): T => {
  const total = items.reduce((sum, [, weight]) => sum + weight, 0)
  let roll = random() * total
  for (const [item, weight] of items) {
    roll -= weight
    if (roll < 0) return item
  }
  return items[items.length - 1]![0]
}

/** Real client names the SDK maps to platforms (sdk.md §2.9). */
interface Platform {
  readonly name: string
  readonly version: string
  /** Whether the host renders widgets (fetches the template of a widget result). */
  readonly widgets: boolean
}
const PLATFORMS: ReadonlyArray<readonly [Platform, number]> = [
  [{ name: "openai-mcp", version: "1.0.0", widgets: true }, 4],
  [{ name: "claude-ai", version: "0.1.0", widgets: true }, 3],
  [{ name: "cursor-vscode", version: "1.0.0", widgets: false }, 2],
  [{ name: "Visual Studio Code", version: "1.101.2", widgets: false }, 1],
]

interface Person {
  readonly name: string
  readonly loyaltyId: string | undefined
  readonly home: string
}

const PEOPLE: ReadonlyArray<Person> = [
  { name: "ana", loyaltyId: "LY-20417", home: "Lisbon" },
  { name: "ben", loyaltyId: undefined, home: "London" },
  { name: "chloe", loyaltyId: "LY-31008", home: "Paris" },
  { name: "dmitri", loyaltyId: undefined, home: "Berlin" },
  { name: "elif", loyaltyId: "LY-10552", home: "Istanbul" },
  { name: "farah", loyaltyId: undefined, home: "New York" },
  { name: "gus", loyaltyId: "LY-77710", home: "Porto" },
  { name: "hana", loyaltyId: undefined, home: "Tokyo" },
  { name: "ivan", loyaltyId: "LY-45120", home: "Barcelona" },
  { name: "jo", loyaltyId: undefined, home: "Sydney" },
  { name: "kofi", loyaltyId: "LY-66203", home: "Accra" },
  { name: "lea", loyaltyId: undefined, home: "Zurich" },
]

type Journey = "browse" | "book" | "picky" | "lost" | "impatient"
const JOURNEYS: ReadonlyArray<readonly [Journey, number]> = [
  ["book", 5],
  ["browse", 3],
  ["picky", 2],
  ["lost", 1],
  ["impatient", 1],
]
const ELSEWHERE = ["Atlantis", "Gotham", "Springfield", "Lisbonn"]

// ---------------------------------------------------------------------------------------------
// Statistics

const stats = {
  sessions: 0,
  failed: [] as string[],
  platforms: new Map<string, number>(),
  calls: new Map<string, number>(),
  errors: 0,
  zeroResults: 0,
  bookings: 0,
  revenue: new Map<string, number>(),
  widgetReads: 0,
  widgetRenders: 0,
  widgetActions: new Map<string, number>(),
}
const bump = (map: Map<string, number>, key: string, by = 1) => map.set(key, (map.get(key) ?? 0) + by)

interface CallOutcome {
  readonly ok: boolean
  readonly structured: Record<string, unknown> | undefined
  readonly meta?: unknown
}

// ---------------------------------------------------------------------------------------------
// One session

const runSession = async (index: number): Promise<string> => {
  const random = prng(seed + index * 7919)
  const platform = weighted(random, PLATFORMS)
  const person = pick(random, PEOPLE)
  const journey = weighted(random, JOURNEYS)
  const trail: string[] = []

  const transport = new StdioClientTransport({
    command: process.execPath,
    args: ["--conditions=@yavio/source", "--import", "tsx", SERVER_ENTRY],
    cwd: EXAMPLE_DIR,
    env: {
      ...(Object.fromEntries(
        Object.entries(process.env).filter((entry): entry is [string, string] => entry[1] !== undefined),
      ) as Record<string, string>),
      YAVIO_API_KEY: apiKey,
      YAVIO_ENDPOINT: endpoint,
    },
    stderr: "pipe",
  })
  let serverLog = ""
  transport.stderr?.on("data", (chunk: Buffer) => {
    serverLog = (serverLog + chunk.toString("utf8")).slice(-2_000)
  })
  const client = new Client({ name: platform.name, version: platform.version }, { capabilities: {} })

  const call = async (name: string, args: Record<string, unknown>): Promise<CallOutcome> => {
    bump(stats.calls, name)
    try {
      const result = (await client.callTool({ name, arguments: args })) as {
        isError?: boolean
        structuredContent?: Record<string, unknown>
        _meta?: unknown
      }
      const ok = result.isError !== true
      if (!ok) stats.errors++
      trail.push(ok ? name : `${name}✗`)
      return { ok, structured: result.structuredContent, meta: result._meta }
    } catch {
      stats.errors++
      trail.push(`${name}✗`)
      return { ok: false, structured: undefined }
    }
  }

  const search = async (args: Record<string, unknown>) => {
    const outcome = await call("search_rooms", args)
    const rooms = (outcome.structured?.rooms as Array<{ id: string }> | undefined) ?? []
    if (outcome.ok && rooms.length === 0) {
      stats.zeroResults++
      trail[trail.length - 1] = "search_rooms∅"
    }
    if (outcome.ok && rooms.length > 0 && platform.widgets) {
      // The host fetches the widget template to render the result, and the person uses it.
      const { contents } = await client.readResource({ uri: WIDGET_URI })
      stats.widgetReads++
      const html = (contents[0] as { text?: string } | undefined)?.text
      if (browser !== undefined && typeof html === "string") {
        try {
          const actions = await browser.render(
            html,
            { structuredContent: outcome.structured, _meta: outcome.meta },
            random,
          )
          stats.widgetRenders++
          for (const action of actions) bump(stats.widgetActions, action)
          trail.push(`widget(${actions.join(",")})`)
        } catch (error) {
          trail.push(`widget✗(${error instanceof Error ? error.message.split("\n")[0] : error})`)
        }
      }
    }
    return rooms
  }

  const checkIn = () => {
    const date = new Date(Date.now() + (7 + Math.floor(random() * 80)) * 86_400_000)
    return date.toISOString().slice(0, 10)
  }

  const book = async (rooms: ReadonlyArray<{ id: string }>) => {
    const nights = 1 + Math.floor(random() * 5)
    const candidates = [...rooms]
    for (let attempt = 0; attempt < 3 && candidates.length > 0; attempt++) {
      const room = candidates.splice(Math.floor(random() * candidates.length), 1)[0]!
      const args: Record<string, unknown> = { roomId: room.id, checkIn: checkIn(), nights }
      if (person.loyaltyId !== undefined) args.loyaltyId = person.loyaltyId
      // Now and then the model gets an argument wrong first (schema failure), then fixes it.
      if (random() < 0.1) await call("book_room", { ...args, nights: 0 })
      const outcome = await call("book_room", args)
      const booking = outcome.structured?.booking as { total?: number; currency?: string } | undefined
      if (outcome.ok && typeof booking?.total === "number" && typeof booking.currency === "string") {
        stats.bookings++
        bump(stats.revenue, booking.currency, booking.total)
        return
      }
      // Sold out: try the same room on other dates once, else another room.
      if (random() < 0.4) candidates.unshift(room)
    }
  }

  const work = async () => {
    await client.connect(transport)
    await client.listTools()
    const city = random() < 0.7 ? pick(random, CITIES) : person.home
    const guests = 1 + Math.floor(random() * 3)
    switch (journey) {
      case "book": {
        let rooms = await search({ city, guests })
        if (rooms.length === 0) rooms = await search({ city: pick(random, CITIES) })
        for (const room of rooms.slice(0, 1 + Math.floor(random() * 2)))
          await call("room_details", { roomId: room.id })
        if (rooms.length > 0) await book(rooms)
        break
      }
      case "browse": {
        const rooms = await search({ city })
        if (rooms.length > 0 && random() < 0.6) await call("room_details", { roomId: pick(random, rooms).id })
        if (random() < 0.5) await search({ city: pick(random, CITIES), guests })
        break
      }
      case "picky": {
        const cheapest = Math.min(...ROOMS.filter((r) => r.city === city).map((r) => r.pricePerNight), 100)
        await search({ city, maxPrice: Math.max(10, cheapest - 30) }) // too cheap: nothing
        const rooms = await search({ city, maxPrice: cheapest + 80 })
        if (rooms.length > 0 && random() < 0.5) await book(rooms)
        break
      }
      case "lost": {
        await search({ city: pick(random, ELSEWHERE) })
        await call("room_details", { roomId: `${city.slice(0, 3).toUpperCase()}-999` })
        break
      }
      case "impatient": {
        await search({ city, guests })
        await search({ city, guests }) // the same call again: a retry
        break
      }
    }
  }

  const started = Date.now()
  let timer: NodeJS.Timeout | undefined
  try {
    await Promise.race([
      work(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`timed out after ${SESSION_TIMEOUT_MS} ms`)),
          SESSION_TIMEOUT_MS,
        )
      }),
    ])
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error)
    stats.failed.push(`#${index + 1} ${platform.name}: ${reason}${serverLog === "" ? "" : `\n${serverLog}`}`)
    await client.close().catch(() => {})
    return `failed (${reason})`
  } finally {
    clearTimeout(timer)
  }
  // Closing stdin ends the session: the server records the disconnect, delivers, and exits.
  await client.close()
  stats.sessions++
  bump(stats.platforms, platform.name)
  return `${platform.name.padEnd(18)} ${person.name.padEnd(7)} ${journey.padEnd(9)} ${trail.join(" → ")} (${((Date.now() - started) / 1000).toFixed(1)} s)`
}

// ---------------------------------------------------------------------------------------------
// Run

const browser: WidgetBrowser | undefined = flags["no-browser"] ? undefined : await startWidgetBrowser()
if (!flags["no-browser"] && browser === undefined)
  console.log("no /usr/bin/chromium: widget results are fetched but not rendered (apt-get install chromium)")

const startedAt = Date.now()
const deadline = startedAt + maxSeconds * 1000
console.log(
  `yavio traffic: ${sessionCount} sessions, ${concurrency} at a time, seed ${seed} → ${endpoint} (data ${dataDir})`,
)

let next = 0
let done = 0
let skipped = 0
const worker = async () => {
  for (;;) {
    const index = next++
    if (index >= sessionCount) return
    if (Date.now() > deadline) {
      skipped++
      continue
    }
    const line = await runSession(index)
    done++
    console.log(`[${String(done).padStart(String(sessionCount).length)}/${sessionCount}] ${line}`)
  }
}
await Promise.all(Array.from({ length: Math.min(concurrency, sessionCount) }, worker))
await browser?.close()

const list = (map: Map<string, number>, format: (n: number) => string = String) =>
  [...map]
    .sort((a, b) => b[1] - a[1])
    .map(([key, n]) => `${key} ${format(n)}`)
    .join(" · ") || "none"
const seconds = ((Date.now() - startedAt) / 1000).toFixed(1)

console.log("")
console.log(
  `done in ${seconds} s: ${stats.sessions} sessions ok, ${stats.failed.length} failed, ${skipped} skipped`,
)
console.log(`  platforms    ${list(stats.platforms)}`)
console.log(`  tool calls   ${list(stats.calls)}`)
console.log(
  `  outcomes     ${stats.errors} errors · ${stats.zeroResults} zero-result searches · ${stats.widgetReads} widget fetches`,
)
console.log(`  widgets      ${stats.widgetRenders} rendered in Chromium: ${list(stats.widgetActions)}`)
console.log(`  bookings     ${stats.bookings}: ${list(stats.revenue, (n) => n.toLocaleString("en-US"))}`)
for (const failure of stats.failed) console.log(`  failed       ${failure}`)
if (skipped > 0) console.log(`  --max-seconds ${maxSeconds} reached: ${skipped} sessions not started`)

process.exit(stats.sessions === 0 ? 1 : 0)
