/**
 * End to end (sdk.md §9 "End to end", §5): `withYavio` → the real ingest → rows in ClickHouse.
 *
 * The real server (`npm start`) runs as a child process on embedded stores; its first start
 * provisions the project and API key read from `local.json`. A v1 McpServer and a v2 McpServer,
 * each wrapped with `withYavio(server, { apiKey, endpoint })`, are driven by the real v1 and v2
 * clients over in-memory transports through one hotel session each: tools/list, a successful
 * tool, a thrown error, an `isError` result, a resource read, a booking that steps, identifies
 * and converts, and a widget tool whose result carries a token minted by ingest. The widget's
 * events are then POSTed with that token, as the browser hook would. A third server sends
 * through a proxy that loses one answer, so the SDK resends a batch ingest already wrote.
 *
 * After `yavio.flush()` the server is stopped (chDB locks its directory) and ClickHouse is read
 * in this process. Everything is driven once in `beforeAll`; each test asserts one behaviour.
 */

import { McpServer as McpServerV1 } from "@modelcontextprotocol/sdk/server/mcp.js"
import { McpServer as McpServerV2 } from "@modelcontextprotocol/server"
import { type PlatformProcess, startPlatform } from "@yavio/testkit/PlatformProcess"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import * as z from "zod"
import { withYavio, yavio } from "../src/server/index.js"
import { INTERNAL, type OptionsWithInternal } from "../src/server/runtime.js"
import type { YavioContext, YavioOptions } from "../src/server/types.js"
import { LossyProxy } from "./support/e2e/LossyProxy.js"
import { literal, withStore } from "./support/e2e/StoredEvents.js"
import {
  jwtClaims,
  type PostAnswer,
  postWidgetBatch,
  type WidgetConfig,
  widgetConfigOf,
  widgetSession,
} from "./support/e2e/widgetBatch.js"
import { connectV1, connectV2 } from "./support/harness.js"
import { RecordingLogger } from "./support/RecordingSink.js"

const WIDGET_URI = "ui://hotel/rooms.html"
const yv = (extra: unknown): YavioContext => (extra as { yavio: YavioContext }).yavio
const text = (value: string) => ({ content: [{ type: "text" as const, text: value }] })

// ---------------------------------------------------------------------------------------------
// The hotel server, once per MCP generation (v1 takes raw Zod shapes, v2 Zod objects).

const rooms = (city: string) => ({
  content: [{ type: "text" as const, text: `2 rooms in ${city}` }],
  structuredContent: {
    rooms: [
      { id: "R1", price: 120 },
      { id: "R2", price: 240 },
    ],
  },
})

/** Handler bodies shared by both generations: `y` is the request's `extra.yavio` / `ctx.yavio`. */
const handlers = {
  search: (city: string, y: YavioContext) => {
    y.step("rooms_found", { city, count: 2 })
    return rooms(city)
  },
  checkAvailability: (): never => {
    throw new Error("availability service timed out")
  },
  cancel: () => ({ isError: true, ...text("booking B-404 not found") }),
  book: (room: string, user: string, y: YavioContext) => {
    y.step("details_checked", { room })
    y.identify(user, { plan: "gold" })
    y.step("booked", { room })
    y.conversion("booking", { value: 240, currency: "eur", meta: { room } })
    return text(`room ${room} booked`)
  },
  show: (city: string, y: YavioContext) => {
    y.step("rooms_shown", { city })
    return { ...rooms(city), _meta: { "app/hint": "kept" } }
  },
}

const hotelV1 = (options: YavioOptions): McpServerV1 => {
  const server = withYavio(new McpServerV1({ name: "hotel", version: "1.0.0" }), options)
  server.registerTool("search_rooms", { inputSchema: { city: z.string() } }, async ({ city }, extra) =>
    handlers.search(city, yv(extra)),
  )
  server.registerTool("check_availability", { inputSchema: { room: z.string() } }, async () =>
    handlers.checkAvailability(),
  )
  server.registerTool("cancel_booking", { inputSchema: { booking: z.string() } }, async () =>
    handlers.cancel(),
  )
  server.registerTool(
    "book_room",
    { inputSchema: { room: z.string(), user: z.string() } },
    async ({ room, user }, extra) => handlers.book(room, user, yv(extra)),
  )
  server.registerTool(
    "show_rooms",
    { inputSchema: { city: z.string() }, _meta: { ui: { resourceUri: WIDGET_URI } } },
    async ({ city }, extra) => handlers.show(city, yv(extra)),
  )
  server.registerResource("hotel-info", "hotel://info", { mimeType: "text/plain" }, async (uri) => ({
    contents: [{ uri: uri.href, text: "A quiet hotel by the river" }],
  }))
  return server
}

const hotelV2 = (options: YavioOptions): McpServerV2 => {
  const server = withYavio(new McpServerV2({ name: "hotel", version: "2.0.0" }), options)
  server.registerTool(
    "search_rooms",
    { inputSchema: z.object({ city: z.string() }) },
    async ({ city }, ctx) => handlers.search(city, yv(ctx)),
  )
  server.registerTool("check_availability", { inputSchema: z.object({ room: z.string() }) }, async () =>
    handlers.checkAvailability(),
  )
  server.registerTool("cancel_booking", { inputSchema: z.object({ booking: z.string() }) }, async () =>
    handlers.cancel(),
  )
  server.registerTool(
    "book_room",
    { inputSchema: z.object({ room: z.string(), user: z.string() }) },
    async ({ room, user }, ctx) => handlers.book(room, user, yv(ctx)),
  )
  server.registerTool(
    "show_rooms",
    { inputSchema: z.object({ city: z.string() }), _meta: { ui: { resourceUri: WIDGET_URI } } },
    async ({ city }, ctx) => handlers.show(city, yv(ctx)),
  )
  server.registerResource("hotel-info", "hotel://info", { mimeType: "text/plain" }, async (uri) => ({
    contents: [{ uri: uri.href, text: "A quiet hotel by the river" }],
  }))
  return server
}

// ---------------------------------------------------------------------------------------------
// One hotel session, the same for both generations.

/** What both clients offer (adapted, so v1 and v2 result types need not line up). */
interface HotelClient {
  readonly listTools: () => Promise<ReadonlyArray<string>>
  readonly callTool: (name: string, args: Record<string, unknown>) => Promise<unknown>
  readonly readResource: (uri: string) => Promise<unknown>
  readonly close: () => Promise<void>
}

interface SessionRun {
  readonly user: string
  readonly listed: ReadonlyArray<string>
  readonly results: Readonly<Record<string, unknown>>
  readonly widget: WidgetConfig
  /** The widget's own events, as POSTed. */
  readonly widgetEvents: ReadonlyArray<Record<string, unknown>>
  readonly widgetAnswer: PostAnswer
  /** The same token used for an event of another trace. */
  readonly foreignAnswer: PostAnswer
  readonly foreignEventId: string
}

const settled = (promise: Promise<unknown>): Promise<unknown> =>
  promise.catch((error: unknown) => ({ thrown: error instanceof Error ? error.message : String(error) }))

const runSession = async (client: HotelClient, user: string): Promise<SessionRun> => {
  const results: Record<string, unknown> = {}
  const listed = await client.listTools()
  results.search_rooms = await settled(client.callTool("search_rooms", { city: "Lisbon" }))
  results.check_availability = await settled(client.callTool("check_availability", { room: "R1" }))
  results.cancel_booking = await settled(client.callTool("cancel_booking", { booking: "B-404" }))
  results.resource = await settled(client.readResource("hotel://info"))
  results.book_room = await settled(client.callTool("book_room", { room: "R2", user }))
  const show = await client.callTool("show_rooms", { city: "Lisbon" })
  const shownAt = Date.now()
  results.show_rooms = show

  // The browser side: render, two steps continuing the server's count, one POST.
  const widget = widgetConfigOf(show)
  const session = widgetSession(widget, shownAt)
  session.render()
  session.step("room_selected", { room: "R2" })
  session.step("booking_started")
  const widgetAnswer = await postWidgetBatch(widget, session.events)

  // A widget token only writes its own trace: one foreign event rejects the whole batch.
  const foreign = widgetSession({ ...widget, traceId: "tr_someoneElsesTrace0000" }, Date.now())
  foreign.step("sneaky")
  const foreignAnswer = await postWidgetBatch(widget, foreign.events)

  await client.close()
  return {
    user,
    listed,
    results,
    widget,
    widgetEvents: session.events,
    widgetAnswer,
    foreignAnswer,
    foreignEventId: String(foreign.events[0]?.event_id),
  }
}

// ---------------------------------------------------------------------------------------------
// Rows as stored.

interface Row {
  readonly event_id: string
  readonly project_id: string
  readonly workspace_id: string
  readonly event_type: string
  readonly event_name: string | null
  readonly source: string
  readonly session_id: string
  readonly trace_id: string | null
  readonly user_id: string | null
  readonly step_sequence: number | null
  readonly status: string | null
  readonly error_category: string | null
  readonly platform: string | null
  readonly is_retry: number
  readonly conversion_value: number | null
  readonly conversion_currency: string | null
  readonly client_name: string | null
  readonly phase: string
  readonly ms: string
}

interface Stored {
  /** Every row of the table (FINAL), ordered by timestamp then step_sequence. */
  readonly rows: ReadonlyArray<Row>
  readonly counts: { readonly rows: number; readonly final: number; readonly distinct: number }
  /** Per widget trace: the trace's rows as the dashboard would ask for them. */
  readonly traces: ReadonlyMap<string, ReadonlyArray<Row>>
}

const COLUMNS = `event_id, project_id, workspace_id, event_type, event_name, source, session_id, trace_id,
  user_id, step_sequence, status, error_category, platform, is_retry, conversion_value, conversion_currency,
  client_name, JSONExtractString(ifNull(metadata, '{}'), 'phase') AS phase,
  toString(toUnixTimestamp64Milli(timestamp)) AS ms`

const readStored = (dataDir: string, traceIds: ReadonlyArray<string>): Promise<Stored> =>
  withStore(dataDir, async (query) => {
    const rows = await query<Row>(`SELECT ${COLUMNS} FROM events FINAL ORDER BY timestamp, step_sequence`)
    const [counts] = await query<{ rows: string; final: string; distinct: string }>(
      `SELECT (SELECT count() FROM events) AS rows, (SELECT count() FROM events FINAL) AS final,
         (SELECT uniqExact(event_id) FROM events) AS distinct`,
    )
    const traces = new Map<string, ReadonlyArray<Row>>()
    for (const traceId of traceIds) {
      traces.set(
        traceId,
        await query<Row>(
          `SELECT ${COLUMNS} FROM events FINAL WHERE trace_id = ${literal(traceId)} ORDER BY timestamp, step_sequence`,
        ),
      )
    }
    return {
      rows,
      counts: {
        rows: Number(counts?.rows),
        final: Number(counts?.final),
        distinct: Number(counts?.distinct),
      },
      traces,
    }
  })

// ---------------------------------------------------------------------------------------------

let ingest: PlatformProcess | undefined
let proxy: LossyProxy | undefined
/** The SDK's log lines of the instance sending through the proxy. */
const proxyLog = new RecordingLogger()
let runs: { readonly v1: SessionRun; readonly v2: SessionRun }
/** The session sent through the lossy proxy and its stored event ids. */
let retried: { readonly sessionId: string; readonly eventIds: ReadonlyArray<string> }
let stored: Stored

beforeAll(async () => {
  const server = await startPlatform({ timeoutMs: 120_000 })
  ingest = server
  const { apiKey } = server.install
  const options: YavioOptions = { apiKey, endpoint: server.url }
  // The first request of a fresh server pays for cold paths (key lookup in PostgreSQL, token
  // signing). Pay it here, so the widget call's token arrives within the SDK's bounded wait
  // (500 ms, sdk.md §5.2) even on a busy machine; it also proves local.json's key works.
  const warm = await fetch(`${server.url}/v1/widget-tokens`, {
    method: "POST",
    headers: { authorization: `Bearer ${apiKey}`, "content-type": "application/json" },
    body: JSON.stringify({ traceId: "tr_warmUpTrace000000000", sessionId: "ses_warmUpSession" }),
    signal: AbortSignal.timeout(15_000),
  })
  expect(warm.status).toBe(200)

  // v1: a real v1 Client over the in-memory transport (an `initialize` session).
  const v1 = await connectV1(hotelV1(options), { name: "claude-ai", version: "0.1.0" })
  const v1Run = await runSession(
    {
      listTools: async () => (await v1.listTools()).tools.map((tool) => tool.name),
      callTool: (name, args) => v1.callTool({ name, arguments: args }),
      readResource: (uri) => v1.readResource({ uri }),
      close: () => v1.close(),
    },
    "guest-v1",
  )

  // v2: a real v2 Client pinned to the stateless 2026-07-28 revision.
  const v2 = await connectV2(() => hotelV2(options), { name: "openai-mcp", version: "1.2.0" })
  const v2Run = await runSession(
    {
      listTools: async () => (await v2.client.listTools()).tools.map((tool) => tool.name),
      callTool: (name, args) => v2.client.callTool({ name, arguments: args }),
      readResource: (uri) => v2.client.readResource({ uri }),
      close: () => v2.close(),
    },
    "guest-v2",
  )
  runs = { v1: v1Run, v2: v2Run }

  // At-least-once delivery: the first batch's answer is lost, the SDK sends it again.
  proxy = await new LossyProxy(server.url).start()
  const viaProxyOptions: OptionsWithInternal = {
    apiKey,
    endpoint: proxy.url,
    [INTERNAL]: { logger: proxyLog },
  }
  const viaProxy = await connectV1(hotelV1(viaProxyOptions), {
    name: "cursor-vscode",
    version: "1.4.0",
  })
  await viaProxy.callTool({ name: "search_rooms", arguments: { city: "Porto" } })
  await viaProxy.callTool({ name: "search_rooms", arguments: { city: "Porto" } })
  await viaProxy.close()

  // The sync point: everything buffered is delivered (ingest answers once it is written).
  await yavio.flush()
  await server.stop()
  const traceIds = [v1Run.widget.traceId, v2Run.widget.traceId]
  stored = await readStored(server.dataDir, traceIds)
  const proxied = stored.rows.find((row) => row.client_name === "cursor-vscode")
  retried = {
    sessionId: proxied?.session_id ?? "",
    eventIds: stored.rows.filter((row) => row.session_id === proxied?.session_id).map((row) => row.event_id),
  }
}, 180_000)

afterAll(async () => {
  await yavio.shutdown()
  await proxy?.stop()
  await ingest?.stop(5_000)
  ingest?.remove()
}, 30_000)

const rowsOf = (sessionId: string) => stored.rows.filter((row) => row.session_id === sessionId)
const label = (row: Row) =>
  `${row.source}:${row.event_type}${row.event_name === null ? "" : `:${row.event_name}`}`
const one = (rows: ReadonlyArray<Row>, type: string, name?: string): Row => {
  const found = rows.filter(
    (row) => row.event_type === type && (name === undefined || row.event_name === name),
  )
  if (found.length !== 1) throw new Error(`expected one ${type} ${name ?? ""}: ${rows.map(label).join(", ")}`)
  return found[0]!
}

describe("e2e: withYavio → real ingest → ClickHouse", () => {
  it("stores every event under the provisioned project", () => {
    const { install } = ingest!
    expect(stored.rows.length).toBeGreaterThan(30)
    expect(new Set(stored.rows.map((row) => row.project_id))).toEqual(new Set([install.projectId]))
    expect(new Set(stored.rows.map((row) => row.workspace_id))).toEqual(new Set([install.workspaceId]))
  })

  it("a batch delivered twice (SDK retry after a lost answer) is counted once", () => {
    const batches = proxy!.batches.filter((batch) => batch.eventIds.length > 0)
    // The first batch was written, answered 503 to the SDK, and resent unchanged.
    expect(batches[0]?.upstreamStatus).toBe(200)
    expect(batches[0]?.answeredStatus).toBe(503)
    expect(batches[1]?.eventIds).toEqual(batches[0]?.eventIds)
    expect(batches[1]?.upstreamStatus).toBe(200)
    expect(proxyLog.codes()).toEqual(["YAVIO-1200"]) // one retry after the 503, nothing dropped
    const sent = new Set(batches.flatMap((batch) => batch.eventIds))
    expect(new Set(retried.eventIds)).toEqual(sent)
    expect(retried.eventIds).toHaveLength(sent.size) // FINAL keeps one row per event_id
    expect(stored.counts.final).toBe(stored.counts.distinct)
    expect(stored.counts.final).toBe(stored.rows.length)
    expect(stored.counts.rows).toBeGreaterThanOrEqual(stored.counts.final)
    // the repeated tool is a retry in ClickHouse too
    // Two calls may share a millisecond, so the query's timestamp order cannot tell them apart:
    // the SDK's send order (the event ids of the batch) can.
    const order = batches[0]?.eventIds ?? []
    const calls = rowsOf(retried.sessionId)
      .filter((row) => row.event_type === "tool_call")
      .sort((a, b) => order.indexOf(a.event_id) - order.indexOf(b.event_id))
    expect(calls.map((row) => row.is_retry)).toEqual([0, 1])
  })

  describe.each([
    { gen: "v1" as const, client: "claude-ai", platform: "claude" },
    { gen: "v2" as const, client: "openai-mcp", platform: "chatgpt" },
  ])("$gen server, $client client", ({ gen, client, platform }) => {
    const run = () => runs[gen]
    const session = () => rowsOf(run().widget.sessionId)
    const server = () => session().filter((row) => row.source === "server")

    it("the client gets the tools and the handlers' answers unchanged, errors included", () => {
      const { listed, results } = run()
      expect([...listed].sort()).toEqual([
        "book_room",
        "cancel_booking",
        "check_availability",
        "search_rooms",
        "show_rooms",
      ])
      expect(results.search_rooms).toMatchObject(rooms("Lisbon"))
      expect(JSON.stringify(results.check_availability)).toContain("availability service timed out")
      expect(results.cancel_booking).toMatchObject({ isError: true, ...text("booking B-404 not found") })
      expect(results.resource).toMatchObject({ contents: [{ uri: "hotel://info" }] })
      expect(results.book_room).toMatchObject(text("room R2 booked"))
    })

    it("every interception point of the session is a row, on one session_id", () => {
      const expected = [
        "server:tool_discovery",
        "server:tool_call:search_rooms",
        "server:step:rooms_found",
        "server:tool_call:check_availability",
        "server:tool_call:cancel_booking",
        "server:resource_access:hotel-info",
        "server:tool_call:book_room",
        "server:step:details_checked",
        "server:identify",
        "server:step:booked",
        "server:conversion:booking",
        "server:tool_call:show_rooms",
        "server:step:rooms_shown",
        "server:widget_response:show_rooms",
        "widget:widget_render",
        "widget:step:room_selected",
        "widget:step:booking_started",
      ]
      const actual = session()
        .filter((row) => row.event_type !== "connection")
        .map(label)
      expect([...actual].sort()).toEqual([...expected].sort())
      for (const row of server()) {
        expect(row.platform).toBe(platform)
      }
      const connections = session().filter((row) => row.event_type === "connection")
      if (gen === "v1") {
        // one initialize, one transport close: the disconnect is the session's last event
        expect(connections.map((row) => row.phase)).toEqual(["connect", "disconnect"])
        expect(connections.every((row) => row.client_name === client)).toBe(true)
        expect(
          session()
            .filter((row) => row.source === "server")
            .at(-1)?.phase,
        ).toBe("disconnect")
      } else {
        // stateless: no handshake, no transport session; discovery at most
        expect(connections.every((row) => row.phase === "discover" && row.client_name === client)).toBe(true)
      }
    })

    it("tool calls carry status and error category", () => {
      const calls = server().filter((row) => row.event_type === "tool_call")
      const byName = Object.fromEntries(calls.map((row) => [row.event_name, row]))
      expect(byName.search_rooms).toMatchObject({ status: "success", error_category: null })
      expect(byName.check_availability).toMatchObject({ status: "error", error_category: "timeout" })
      expect(byName.cancel_booking).toMatchObject({ status: "error" })
      expect(byName.book_room).toMatchObject({ status: "success" })
      expect(byName.show_rooms).toMatchObject({ status: "success" })
      expect(new Set(calls.map((row) => row.trace_id)).size).toBe(5) // one trace per call
    })

    it("step, identify and conversion inside a handler carry the tool call's trace; steps count 0, 1, …", () => {
      const rows = server()
      const search = one(rows, "tool_call", "search_rooms")
      expect(one(rows, "step", "rooms_found")).toMatchObject({ trace_id: search.trace_id, step_sequence: 0 })
      const book = one(rows, "tool_call", "book_room")
      expect(one(rows, "step", "details_checked")).toMatchObject({
        trace_id: book.trace_id,
        step_sequence: 0,
      })
      expect(one(rows, "step", "booked")).toMatchObject({ trace_id: book.trace_id, step_sequence: 1 })
      expect(one(rows, "identify")).toMatchObject({ trace_id: book.trace_id, user_id: run().user })
      expect(one(rows, "conversion", "booking")).toMatchObject({
        trace_id: book.trace_id,
        conversion_value: 240,
        conversion_currency: "EUR",
        user_id: run().user,
      })
      expect(search.trace_id).not.toBe(book.trace_id)
    })

    it("user_id is null before identify and set on every later server event", () => {
      const before = new Set([
        "server:connection",
        "server:tool_discovery",
        "server:tool_call:search_rooms",
        "server:step:rooms_found",
        "server:tool_call:check_availability",
        "server:tool_call:cancel_booking",
        "server:resource_access:hotel-info",
        "server:step:details_checked",
      ])
      const rows = server().filter((row) => !(row.event_type === "connection" && row.phase === "disconnect"))
      for (const row of rows) {
        expect({ event: label(row), user_id: row.user_id }).toEqual({
          event: label(row),
          user_id: before.has(label(row)) ? null : run().user,
        })
      }
    })

    it("the widget tool's result carries _meta.yavio with a token ingest minted for the call's trace", () => {
      const { widget, results } = run()
      const { install, url } = ingest!
      const show = one(server(), "tool_call", "show_rooms")
      expect(widget).toMatchObject({
        endpoint: `${url}/v1/events`,
        traceId: show.trace_id,
        sessionId: show.session_id,
        stepOffset: 1, // rooms_shown was step 0 of the trace
      })
      expect((results.show_rooms as { _meta: Record<string, unknown> })._meta["app/hint"]).toBe("kept")
      const claims = jwtClaims(widget.token)
      expect(claims).toMatchObject({
        pid: install.projectId,
        wid: install.workspaceId,
        tid: widget.traceId,
        sid: widget.sessionId,
      })
      expect(Number(claims.exp) - Number(claims.iat)).toBe(900)
      expect(JSON.stringify(results)).not.toContain(install.apiKey)
      expect(one(server(), "widget_response", "show_rooms").trace_id).toBe(show.trace_id)
    })

    it("widget events share the server's session and trace and continue its step count", () => {
      const { widget, widgetAnswer, widgetEvents } = run()
      expect(widgetAnswer).toEqual({ status: 200, body: { accepted: widgetEvents.length } })
      const rows = session().filter((row) => row.source === "widget")
      expect(rows.map((row) => row.event_id).sort()).toEqual(
        widgetEvents.map((event) => event.event_id).sort(),
      )
      for (const row of rows) {
        expect(row).toMatchObject({ session_id: widget.sessionId, trace_id: widget.traceId, user_id: null })
      }
      expect(one(rows, "step", "room_selected").step_sequence).toBe(1)
      expect(one(rows, "step", "booking_started").step_sequence).toBe(2)
    })

    it("server and widget events of the trace come back together, ordered by timestamp and step_sequence", () => {
      const { widget } = run()
      const trace = stored.traces.get(widget.traceId) ?? []
      expect(trace.map(label).sort()).toEqual(
        [
          "server:tool_call:show_rooms",
          "server:step:rooms_shown",
          "server:widget_response:show_rooms",
          "widget:widget_render",
          "widget:step:room_selected",
          "widget:step:booking_started",
        ].sort(),
      )
      const times = trace.map((row) => Number(row.ms))
      expect(times).toEqual([...times].sort((a, b) => a - b))
      // The widget renders after the result reached it: all server rows first, then the
      // widget's in the order they happened; the steps read 0, 1, 2 across both sides.
      expect(trace.map((row) => row.source)).toEqual([
        "server",
        "server",
        "server",
        "widget",
        "widget",
        "widget",
      ])
      expect(trace.slice(3).map(label)).toEqual([
        "widget:widget_render",
        "widget:step:room_selected",
        "widget:step:booking_started",
      ])
      expect(trace.filter((row) => row.event_type === "step").map((row) => row.step_sequence)).toEqual([
        0, 1, 2,
      ])
    })

    it("a widget batch with another trace's event is rejected whole and stores nothing", () => {
      const { foreignAnswer, foreignEventId } = run()
      expect(foreignAnswer.status).toBe(400)
      expect(JSON.stringify(foreignAnswer.body)).toContain("YAVIO-2112")
      expect(stored.rows.some((row) => row.event_id === foreignEventId)).toBe(false)
    })
  })
})
