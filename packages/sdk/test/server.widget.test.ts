/**
 * The server side of widgets (sdk.md §5) against a real node:http token endpoint: tokens minted
 * per trace and pre-minted off the call path, bounded wait, refresh near expiry, cache cleared on
 * reconnect and on 401, `_meta.yavio` in results, `window.__YAVIO__` in served widget HTML, and
 * the API key nowhere in what a client receives.
 */

import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js"
import { McpServer as McpServerV2 } from "@modelcontextprotocol/server"
import { afterEach, describe, expect, it } from "vitest"
import * as z from "zod"
import { withYavio } from "../src/server/index.js"
import { type OptionsWithInternal, runtimeFor } from "../src/server/runtime.js"
import type { YavioContext } from "../src/server/types.js"
import { connectV1, connectV2, type Recorder, recorder, TEST_KEY } from "./support/harness.js"
import { TokenServer } from "./support/TokenServer.js"

const WIDGET_URI = "ui://widget/rooms.html"
const HTML = "<!doctype html><html><head><title>Rooms</title></head><body><div id=root></div></body></html>"
const yv = (extra: unknown): YavioContext => (extra as { yavio: YavioContext }).yavio

const cleanups: Array<() => Promise<unknown>> = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup().catch(() => {})
})

const start = async (): Promise<{ tokens: TokenServer; rec: Recorder }> => {
  const tokens = await new TokenServer().start()
  cleanups.push(() => tokens.stop())
  return { tokens, rec: recorder(`${tokens.baseUrl}/v1/events`) }
}

const registerWidgets = (server: McpServer): McpServer => {
  server.registerTool(
    "show_rooms",
    {
      inputSchema: { city: z.string() },
      _meta: { ui: { resourceUri: WIDGET_URI }, "openai/outputTemplate": WIDGET_URI },
    },
    async ({ city }, extra) => {
      yv(extra).step("rooms_listed")
      return {
        content: [{ type: "text", text: `rooms in ${city}` }],
        structuredContent: { rooms: [1, 2] },
        _meta: { "app/hint": "keep me" },
      }
    },
  )
  server.registerTool("plain", {}, async () => ({ content: [{ type: "text", text: "plain" }] }))
  server.registerTool("late_widget", {}, async () => ({
    content: [{ type: "text", text: "late" }],
    _meta: { "openai/outputTemplate": WIDGET_URI },
  }))
  server.registerResource("rooms-widget", WIDGET_URI, { mimeType: "text/html+skybridge" }, async (uri) => ({
    contents: [{ uri: uri.href, mimeType: "text/html+skybridge", text: HTML }],
  }))
  return server
}

const waitUntil = async (condition: () => boolean, timeoutMs = 2000): Promise<void> => {
  const deadline = Date.now() + timeoutMs
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("condition not met in time")
    await new Promise((resolve) => setTimeout(resolve, 5))
  }
}

type Meta = Record<string, unknown> & { yavio?: Record<string, unknown> }

describe("widget configuration (v1)", () => {
  it("mints per trace off the call path and injects _meta.yavio, keeping existing _meta", async () => {
    const { tokens, rec } = await start()
    const server = withYavio(registerWidgets(new McpServer({ name: "w", version: "1" })), rec.options())
    const client = await connectV1(server, { name: "openai-mcp", version: "1" })
    cleanups.push(() => client.close())
    // initialize of a server with widget tools pre-mints one token for the session
    await waitUntil(() => tokens.tokenRequests.length === 1)
    const preMinted = tokens.tokenRequests[0]!

    const first = await client.callTool({ name: "show_rooms", arguments: { city: "Rome" } })
    const second = await client.callTool({ name: "show_rooms", arguments: { city: "Oslo" } })
    const [call1, call2] = rec.sink.ofType("tool_call")
    const meta1 = first._meta as Meta
    expect(meta1["app/hint"]).toBe("keep me")
    expect(meta1.yavio).toEqual({
      token: `jwt.${call1?.trace_id}.1`,
      endpoint: `${tokens.baseUrl}/v1/events`,
      traceId: call1?.trace_id,
      sessionId: call1?.session_id,
      stepOffset: 1,
    })
    // the call adopted the pre-minted trace: no token request on its path
    expect(call1?.trace_id).toBe(preMinted.traceId)
    expect(preMinted.sessionId).toBe(call1?.session_id)
    expect(preMinted.authorization).toBe(`Bearer ${TEST_KEY}`)
    // the second call used the token pre-minted after the first one
    expect((second._meta as Meta).yavio?.traceId).toBe(call2?.trace_id)
    expect(tokens.tokenRequests[1]?.traceId).toBe(call2?.trace_id)
    expect(rec.sink.ofType("step").map((event) => event.trace_id)).toEqual([call1?.trace_id, call2?.trace_id])

    const responses = rec.sink.ofType("widget_response")
    expect(responses).toHaveLength(2)
    expect(responses[0]).toMatchObject({
      event_name: "show_rooms",
      trace_id: call1?.trace_id,
      metadata: { resource_uri: WIDGET_URI, token_minted: true, trace_id: call1?.trace_id },
    })
    expect(JSON.stringify([first, second])).not.toContain(TEST_KEY)
  })

  it("leaves non-widget results untouched; a widget announced only by the result still gets config", async () => {
    const { tokens, rec } = await start()
    const bare = await connectV1(registerWidgets(new McpServer({ name: "w", version: "1" })))
    const server = withYavio(registerWidgets(new McpServer({ name: "w", version: "1" })), rec.options())
    const client = await connectV1(server)
    cleanups.push(
      () => bare.close(),
      () => client.close(),
    )
    expect(await client.callTool({ name: "plain", arguments: {} })).toEqual(
      await bare.callTool({ name: "plain", arguments: {} }),
    )
    const late = await client.callTool({ name: "late_widget", arguments: {} })
    const meta = late._meta as Meta
    expect(meta["openai/outputTemplate"]).toBe(WIDGET_URI)
    expect(meta.yavio?.traceId).toBe(
      rec.sink.one("tool_call", (event) => event.event_name === "late_widget").trace_id,
    )
    expect(rec.sink.ofType("widget_response").map((event) => event.event_name)).toEqual(["late_widget"])
    expect(tokens.tokenRequests.some((request) => request.traceId === meta.yavio?.traceId)).toBe(true)
  })

  it("injects window.__YAVIO__ into served widget HTML for the session's latest widget trace", async () => {
    const { rec } = await start()
    const server = withYavio(registerWidgets(new McpServer({ name: "w", version: "1" })), rec.options())
    const client = await connectV1(server)
    cleanups.push(() => client.close())
    const before = await client.readResource({ uri: WIDGET_URI })
    expect(before.contents[0]).toMatchObject({ text: HTML }) // no widget trace yet
    expect(rec.logger.count("YAVIO-1104")).toBe(1)

    const result = await client.callTool({ name: "show_rooms", arguments: { city: "Rome" } })
    const after = await client.readResource({ uri: WIDGET_URI })
    const html = (after.contents[0] as { text: string }).text
    const match = /<head><script>window\.__YAVIO__=(.*?)<\/script><title>/.exec(html)
    expect(match).not.toBeNull()
    expect(JSON.parse(match![1]!)).toEqual((result._meta as Meta).yavio)
    expect(html.startsWith("<!doctype html><html><head>")).toBe(true)
    expect(html).not.toContain(TEST_KEY)
  })

  it("token failure → no _meta.yavio, widget_response token_minted false, YAVIO-1103", async () => {
    const { tokens, rec } = await start()
    tokens.mode = { kind: "status", status: 500 }
    const server = withYavio(registerWidgets(new McpServer({ name: "w", version: "1" })), rec.options())
    const client = await connectV1(server)
    cleanups.push(() => client.close())
    const result = await client.callTool({ name: "show_rooms", arguments: { city: "Rome" } })
    expect(result._meta).toEqual({ "app/hint": "keep me" })
    expect(rec.sink.one("widget_response").metadata).toMatchObject({ token_minted: false })
    expect(rec.sink.one("tool_call").status).toBe("success")
    expect(rec.logger.count("YAVIO-1103")).toBeGreaterThanOrEqual(1)
  })

  it("the wait for a slow token endpoint is bounded (500 ms)", async () => {
    const { tokens, rec } = await start()
    tokens.mode = { kind: "delay", ms: 1500 }
    const server = withYavio(registerWidgets(new McpServer({ name: "w", version: "1" })), rec.options())
    const client = await connectV1(server)
    cleanups.push(() => client.close())
    const t0 = Date.now()
    const result = await client.callTool({ name: "show_rooms", arguments: { city: "Rome" } })
    const elapsed = Date.now() - t0
    expect(elapsed).toBeLessThan(1200)
    expect(elapsed).toBeGreaterThanOrEqual(400)
    expect((result._meta as Meta).yavio).toBeUndefined()
    expect(rec.sink.one("widget_response").metadata).toMatchObject({ token_minted: false })
  })

  it("refreshes a token within 30 s of expiry; clears the cache on 401 and on reconnect", async () => {
    const { tokens, rec } = await start()
    tokens.mode = { kind: "ok", lifetimeMs: 20_000 } // always inside the 30 s refresh margin
    const options = rec.options()
    const server = withYavio(registerWidgets(new McpServer({ name: "w", version: "1" })), options)
    const widgets = runtimeFor(options as OptionsWithInternal)!.widgets
    let client = await connectV1(server)
    const result = await client.callTool({ name: "show_rooms", arguments: { city: "Rome" } })
    const traceId = (result._meta as Meta).yavio?.traceId as string
    await client.readResource({ uri: WIDGET_URI })
    expect(tokens.tokenRequests.filter((request) => request.traceId === traceId).length).toBe(2) // refreshed

    // Fresh tokens from here on; then a reconnect of the same server instance clears the cache.
    tokens.mode = { kind: "ok" }
    await client.readResource({ uri: WIDGET_URI })
    expect(widgets.cached(traceId)).toBeDefined()
    await client.close()
    client = await connectV1(server)
    cleanups.push(() => client.close())
    expect(widgets.cached(traceId)).toBeUndefined()

    // A 401 from the token endpoint (key revoked): nothing cached is handed out any more.
    const next = await client.callTool({ name: "show_rooms", arguments: { city: "Oslo" } })
    const nextTrace = (next._meta as Meta).yavio?.traceId as string
    expect(widgets.cached(nextTrace)).toBeDefined()
    tokens.mode = { kind: "status", status: 401 }
    const count = tokens.tokenRequests.length
    await client.callTool({ name: "show_rooms", arguments: { city: "Bern" } })
    await waitUntil(() => tokens.tokenRequests.length > count)
    await waitUntil(() => widgets.cached(nextTrace) === undefined)
  })
})

describe("widget configuration (v2, 2026-07-28)", () => {
  it("injects _meta.yavio with the server's session and trace", async () => {
    const { tokens, rec } = await start()
    const { client, close } = await connectV2(() => {
      const server = withYavio(new McpServerV2({ name: "w", version: "2" }), rec.options())
      server.registerTool(
        "show_rooms",
        { inputSchema: z.object({ city: z.string() }), _meta: { ui: { resourceUri: WIDGET_URI } } },
        async ({ city }) => ({ content: [{ type: "text", text: city }] }),
      )
      return server
    })
    cleanups.push(close)
    const first = await client.callTool({ name: "show_rooms", arguments: { city: "Rome" } })
    const second = await client.callTool({ name: "show_rooms", arguments: { city: "Oslo" } })
    const [call1, call2] = rec.sink.ofType("tool_call")
    expect((first._meta as Meta).yavio).toMatchObject({
      traceId: call1?.trace_id,
      sessionId: call1?.session_id,
      endpoint: `${tokens.baseUrl}/v1/events`,
      stepOffset: 0,
    })
    expect((second._meta as Meta).yavio?.traceId).toBe(call2?.trace_id)
    // the second call adopted the token pre-minted after the first
    const adopted = tokens.tokenRequests.find((request) => request.traceId === call2?.trace_id)
    expect(adopted).toBeDefined()
    expect(JSON.stringify([first, second])).not.toContain(TEST_KEY)
  })
})
