/**
 * The example server answers a real MCP client (v1, in-memory transport) and `withYavio`
 * records what happened. Events are captured through the SDK's internal test hook (an event
 * sink in place of the HTTP transport, a stand-in for the widget-token endpoint) under the
 * options key `Symbol.for("yavio.sdk.internal")`, so no ingest has to run.
 */

import { Client } from "@modelcontextprotocol/sdk/client/index.js"
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js"
import type { YavioOptions } from "@yavio/sdk"
import { afterEach, describe, expect, it } from "vitest"
import { ROOMS } from "../src/hotel.js"
import { createHotelServer } from "../src/server.js"
import { WIDGET_URI } from "../src/widget.js"

type Event = Record<string, unknown> & { readonly event_type: string; readonly event_name?: string }

/** Where the SDK's events go instead of HTTP, and a token endpoint that always answers. */
const recorder = () => {
  const events: Event[] = []
  const tokenFetch = (async (_url: string | URL | Request, init?: RequestInit) => {
    const { traceId } = JSON.parse(String(init?.body)) as { traceId: string }
    return new Response(
      JSON.stringify({
        token: `test-token.${traceId}`,
        expiresAt: new Date(Date.now() + 900_000).toISOString(),
      }),
      { status: 200, headers: { "content-type": "application/json" } },
    )
  }) as typeof fetch
  const silent = { log: () => {}, once: () => {} }
  const options = {
    apiKey: "yav_example_test_key_000",
    endpoint: "http://127.0.0.1:9",
    [Symbol.for("yavio.sdk.internal")]: {
      sink: {
        enqueue: (event: Event) => void events.push(event),
        flush: async () => {},
        shutdown: async () => {},
      },
      fetch: tokenFetch,
      logger: silent,
      env: {},
    },
  } as YavioOptions
  const of = (type: string, name?: string) =>
    events.filter((event) => event.event_type === type && (name === undefined || event.event_name === name))
  return { events, options, of }
}

const closers: Array<() => Promise<void>> = []
afterEach(async () => {
  for (const close of closers.splice(0)) await close()
})

const connect = async (options: YavioOptions, clientInfo = { name: "claude-ai", version: "0.1.0" }) => {
  const [clientTransport, serverTransport] = InMemoryTransport.createLinkedPair()
  await createHotelServer(options).connect(serverTransport)
  const client = new Client(clientInfo)
  await client.connect(clientTransport)
  closers.push(() => client.close())
  return client
}

type ToolResult = {
  content: Array<{ type: string; text?: string }>
  structuredContent?: Record<string, unknown>
  isError?: boolean
  _meta?: Record<string, unknown>
}
const callTool = async (client: Client, name: string, args: Record<string, unknown>) =>
  (await client.callTool({ name, arguments: args })) as ToolResult

describe("hotel-booking example", () => {
  it("lists its three tools; search_rooms declares the booking widget", async () => {
    const client = await connect(recorder().options)
    const { tools } = await client.listTools()
    expect(tools.map((tool) => tool.name).sort()).toEqual(["book_room", "room_details", "search_rooms"])
    const search = tools.find((tool) => tool.name === "search_rooms")
    expect(search?._meta).toMatchObject({ ui: { resourceUri: WIDGET_URI } })
    const { resources } = await client.listResources()
    expect(resources.map((resource) => resource.uri)).toEqual([WIDGET_URI])
  })

  it("searches, shows details, books: answers and events with trace, steps, identify and conversion", async () => {
    const rec = recorder()
    const client = await connect(rec.options)

    const found = await callTool(client, "search_rooms", { city: "Lisbon", guests: 2 })
    const rooms = found.structuredContent?.rooms as Array<{ id: string; pricePerNight: number }>
    expect(rooms.map((room) => room.id)).toEqual(["LIS-310", "LIS-101", "LIS-204"]) // cheapest first
    // A widget tool: the result carries the widget configuration for its trace.
    const config = found._meta?.yavio as { traceId: string; token: string; stepOffset: number }
    expect(config).toMatchObject({ token: `test-token.${config.traceId}`, stepOffset: 1 })

    const details = await callTool(client, "room_details", { roomId: "LIS-101" })
    expect(details.content[0]?.text).toContain("Casa do Rio (Lisbon), River view double: 140 EUR/night")

    // Find a check-in the deterministic inventory has free for LIS-101 (some nights are sold out).
    let booked: ToolResult | undefined
    for (let day = 1; day <= 28 && (booked === undefined || booked.isError === true); day++) {
      const checkIn = `2030-03-${String(day).padStart(2, "0")}`
      booked = await callTool(client, "book_room", {
        roomId: "LIS-101",
        checkIn,
        nights: 2,
        loyaltyId: "LY-1",
      })
    }
    expect(booked?.isError).not.toBe(true)
    expect(booked?.structuredContent?.booking).toMatchObject({
      roomId: "LIS-101",
      total: 280,
      currency: "EUR",
    })

    const search = rec.of("tool_call", "search_rooms")[0]
    expect(search).toMatchObject({ status: "success", platform: "claude", trace_id: config.traceId })
    expect(rec.of("step", "rooms_searched")[0]).toMatchObject({ trace_id: config.traceId, step_sequence: 0 })
    expect(rec.of("widget_response", "search_rooms")).toHaveLength(1)

    const bookCall = rec.of("tool_call", "book_room").at(-1)
    expect(bookCall).toMatchObject({ status: "success", user_id: "LY-1" })
    const traceOfBooking = { trace_id: bookCall?.trace_id }
    expect(rec.of("step", "booking_started").at(-1)).toMatchObject({ ...traceOfBooking, step_sequence: 0 })
    expect(rec.of("step", "booking_confirmed")).toEqual([
      expect.objectContaining({ ...traceOfBooking, step_sequence: 1, user_id: "LY-1" }),
    ])
    expect(rec.of("conversion", "booking")).toEqual([
      expect.objectContaining({ ...traceOfBooking, conversion_value: 280, conversion_currency: "EUR" }),
    ])
    expect(rec.of("identify")[0]).toMatchObject({ user_id: "LY-1" })
    // one session for the whole connection
    expect(new Set(rec.events.map((event) => event.session_id)).size).toBe(1)
  })

  it("zero results, unknown rooms, sold-out nights and bad arguments are answered and recorded as such", async () => {
    const rec = recorder()
    const client = await connect(rec.options, { name: "openai-mcp", version: "1.0.0" })

    const nothing = await callTool(client, "search_rooms", { city: "Atlantis" })
    expect(nothing.structuredContent).toEqual({ city: "Atlantis", rooms: [] })
    expect(rec.of("tool_call", "search_rooms")[0]).toMatchObject({
      platform: "chatgpt",
      metadata: expect.objectContaining({ zero_result: true }),
    })

    const unknown = await callTool(client, "room_details", { roomId: "XXX-1" })
    expect(unknown.isError).toBe(true)
    expect(rec.of("tool_call", "room_details")[0]).toMatchObject({ status: "error" })

    const invalid = await callTool(client, "book_room", {
      roomId: "BER-21",
      checkIn: "2030-01-01",
      nights: 0,
    })
    expect(invalid.isError).toBe(true)

    // Book every night of a room until one is sold out: a thrown error reaches the client as an error result.
    const room = ROOMS.find((r) => r.id === "BER-21")!
    let soldOut: ToolResult | undefined
    for (let day = 1; day <= 60 && soldOut === undefined; day++) {
      const checkIn = new Date(Date.UTC(2031, 0, day)).toISOString().slice(0, 10)
      const result = await callTool(client, "book_room", { roomId: room.id, checkIn, nights: 1 })
      if (result.isError === true) soldOut = result
    }
    expect(soldOut?.content[0]?.text).toContain("sold out")
    const failed = rec.of("tool_call", "book_room").filter((event) => event.status === "error")
    expect(failed.length).toBeGreaterThanOrEqual(2)
    expect(failed.at(-1)?.error_message).toContain("sold out")
  })

  it("serves the widget HTML with the session's widget configuration injected", async () => {
    const rec = recorder()
    const client = await connect(rec.options)
    const found = await callTool(client, "search_rooms", { city: "Porto" })
    const traceId = (found._meta?.yavio as { traceId?: string } | undefined)?.traceId
    expect(traceId).toMatch(/^tr_/)
    const { contents } = await client.readResource({ uri: WIDGET_URI })
    const html = String((contents[0] as { text?: string }).text)
    expect(html).toContain("window.__YAVIO__=")
    expect(html).toContain(String(traceId))
    expect(html).toContain('<div id="root"></div><script type="module">') // the React widget bundle
    expect(html).not.toContain("yav_example_test_key_000") // the API key never reaches the browser
    expect(rec.of("resource_access", "booking-widget")).toHaveLength(1)
  })
})
