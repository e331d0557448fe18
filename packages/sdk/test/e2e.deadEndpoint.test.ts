/**
 * "A dead endpoint never slows a tool call" (sdk.md §6.3, §8, §9 Transport): a server wrapped
 * with an endpoint nobody listens on (`http://127.0.0.1:<closed port>`) answers as fast as the
 * same server unwrapped, while the SDK's sender fails and backs off in the background; widget
 * calls go out without configuration; `shutdown()` gives up within its bound (5 s).
 *
 * Real v1 and v2 clients over in-memory transports; latencies are medians over alternated
 * bare/wrapped calls after a warm-up, so machine noise hits both sides alike.
 */

import { McpServer as McpServerV1 } from "@modelcontextprotocol/sdk/server/mcp.js"
import { McpServer as McpServerV2 } from "@modelcontextprotocol/server"
import { freePort } from "@yavio/testkit/PlatformProcess"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import * as z from "zod"
import { createYavio, withYavio } from "../src/server/index.js"
import { INTERNAL, type OptionsWithInternal } from "../src/server/runtime.js"
import type { YavioContext } from "../src/server/types.js"
import { DEFAULT_SHUTDOWN_TIMEOUT_MS } from "../src/transport/HttpTransport.js"
import { connectV1, connectV2 } from "./support/harness.js"
import { RecordingLogger } from "./support/RecordingSink.js"

const WARM_UP = 50
const CALLS = 200
/** The allowance over the bare server's median: generous, the goal is ≤ 15 µs (sdk.md §8). */
const ALLOWANCE_MS = 2
const WIDGET_URI = "ui://hotel/rooms.html"

const yv = (extra: unknown): YavioContext | undefined => (extra as { yavio?: YavioContext }).yavio

const answer = (city: string, extra: unknown) => {
  yv(extra)?.step("rooms_found", { city })
  return {
    content: [{ type: "text" as const, text: `2 rooms in ${city}` }],
    structuredContent: { rooms: [{ id: "R1" }, { id: "R2" }] },
  }
}

const hotelV1 = (): McpServerV1 => new McpServerV1({ name: "hotel", version: "1.0.0" })
const registerV1 = (server: McpServerV1): McpServerV1 => {
  server.registerTool("search_rooms", { inputSchema: { city: z.string() } }, async ({ city }, extra) =>
    answer(city, extra),
  )
  server.registerTool(
    "show_rooms",
    { inputSchema: { city: z.string() }, _meta: { ui: { resourceUri: WIDGET_URI } } },
    async ({ city }, extra) => answer(city, extra),
  )
  return server
}
const registerV2 = (server: McpServerV2): McpServerV2 => {
  server.registerTool(
    "search_rooms",
    { inputSchema: z.object({ city: z.string() }) },
    async ({ city }, ctx) => answer(city, ctx),
  )
  server.registerTool(
    "show_rooms",
    { inputSchema: z.object({ city: z.string() }), _meta: { ui: { resourceUri: WIDGET_URI } } },
    async ({ city }, ctx) => answer(city, ctx),
  )
  return server
}

type Call = (name: string, city: string) => Promise<unknown>

const median = (values: ReadonlyArray<number>): number => {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}

const timed = async (call: () => Promise<unknown>): Promise<number> => {
  const started = performance.now()
  await call()
  return performance.now() - started
}

/** Medians of `CALLS` calls each, bare and wrapped alternated (and the order flipped every round). */
const measure = async (bare: Call, wrapped: Call) => {
  for (let i = 0; i < WARM_UP; i++) {
    await bare("search_rooms", "Rome")
    await wrapped("search_rooms", "Rome")
  }
  const bareMs: number[] = []
  const wrappedMs: number[] = []
  for (let i = 0; i < CALLS; i++) {
    const city = `City ${i}`
    if (i % 2 === 0) {
      bareMs.push(await timed(() => bare("search_rooms", city)))
      wrappedMs.push(await timed(() => wrapped("search_rooms", city)))
    } else {
      wrappedMs.push(await timed(() => wrapped("search_rooms", city)))
      bareMs.push(await timed(() => bare("search_rooms", city)))
    }
  }
  return { bare: median(bareMs), wrapped: median(wrappedMs) }
}

const logger = new RecordingLogger()
let options: OptionsWithInternal
const closers: Array<() => Promise<unknown>> = []

beforeAll(async () => {
  // A port that was free a moment ago and has no listener now: connections are refused.
  const port = await freePort()
  options = {
    apiKey: "yav_deadEndpointKey0123456789",
    endpoint: `http://127.0.0.1:${port}`,
    // Only the log lines are recorded; events go through the real HTTP transport.
    [INTERNAL]: { logger },
  }
})

afterAll(async () => {
  for (const close of closers.splice(0)) await close().catch(() => {})
  await createYavio(options).shutdown()
})

describe("a dead endpoint never slows a tool call", () => {
  it("v1: wrapped p50 stays within the allowance of the bare p50; widget calls go out without config", async () => {
    const bare = await connectV1(registerV1(hotelV1()))
    const wrapped = await connectV1(registerV1(withYavio(hotelV1(), options)))
    closers.push(
      () => bare.close(),
      () => wrapped.close(),
    )
    const p50 = await measure(
      (name, city) => bare.callTool({ name, arguments: { city } }),
      (name, city) => wrapped.callTool({ name, arguments: { city } }),
    )
    expect(p50.wrapped, JSON.stringify(p50)).toBeLessThan(p50.bare + ALLOWANCE_MS)

    const shown = await wrapped.callTool({ name: "show_rooms", arguments: { city: "Oslo" } })
    expect(shown).toEqual(await bare.callTool({ name: "show_rooms", arguments: { city: "Oslo" } }))
    expect(shown._meta?.yavio).toBeUndefined() // no token: no widget configuration
  }, 30_000)

  it("v2: wrapped p50 stays within the allowance of the bare p50; widget calls go out without config", async () => {
    const bare = await connectV2(() => registerV2(new McpServerV2({ name: "hotel", version: "2.0.0" })))
    const wrapped = await connectV2(() =>
      registerV2(withYavio(new McpServerV2({ name: "hotel", version: "2.0.0" }), options)),
    )
    closers.push(bare.close, wrapped.close)
    const p50 = await measure(
      (name, city) => bare.client.callTool({ name, arguments: { city } }),
      (name, city) => wrapped.client.callTool({ name, arguments: { city } }),
    )
    expect(p50.wrapped, JSON.stringify(p50)).toBeLessThan(p50.bare + ALLOWANCE_MS)

    const shown = await wrapped.client.callTool({ name: "show_rooms", arguments: { city: "Oslo" } })
    expect(shown).toEqual(await bare.client.callTool({ name: "show_rooms", arguments: { city: "Oslo" } }))
    expect(shown._meta?.yavio).toBeUndefined() // no token: no widget configuration
  }, 30_000)

  it("the sender kept failing in the background, and shutdown() returns within its bound", async () => {
    // More than a batch (100 events) buffered, so sends are attempted and refused.
    const client = await connectV1(registerV1(withYavio(hotelV1(), options)))
    for (let i = 0; i < 150; i++) await client.callTool({ name: "search_rooms", arguments: { city: "Rome" } })
    await client.close()
    for (const close of closers.splice(0)) await close()
    const started = performance.now()
    await createYavio(options).shutdown()
    const elapsed = performance.now() - started
    expect(elapsed).toBeLessThan(DEFAULT_SHUTDOWN_TIMEOUT_MS + 1_000)
    // Sends were attempted, refused, retried, and finally given up.
    expect(logger.count("YAVIO-1200")).toBeGreaterThan(0)
    expect(logger.count("YAVIO-1201") + logger.count("YAVIO-1205")).toBeGreaterThan(0)
    expect(logger.count("YAVIO-1103")).toBeGreaterThan(0) // widget token unreachable
  }, 30_000)
})
