/**
 * Unit tests of the server entry's pure parts (platform table, session ids, schema probing, HTML
 * injection, header readers, the session store) and of the explicit API outside any request.
 */

import { Server } from "@modelcontextprotocol/sdk/server/index.js"
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js"
import { ListToolsRequestSchema } from "@modelcontextprotocol/sdk/types.js"
import { describe, expect, it, vi } from "vitest"
import * as z from "zod"
import { createYavio, withYavio, yavio } from "../src/server/index.js"
import { truncateUtf8 } from "../src/server/instrumentation.js"
import { CLIENT_NAME_PLATFORMS, detectPlatform, platformFromClientName } from "../src/server/platform.js"
import { countryOf, otelTraceIdOf, transportKindOf } from "../src/server/requestInfo.js"
import { type OptionsWithInternal, runtimeFor } from "../src/server/runtime.js"
import { schemaDeclaresKey, withAdvertisedParam } from "../src/server/schema.js"
import { INACTIVITY_WINDOW_MS, MAX_SESSIONS, SessionStore, toSessionId } from "../src/server/sessions.js"
import { injectWidgetScript, isHtmlMimeType, widgetUriOf } from "../src/server/widget.js"
import { connectV1, recorder } from "./support/harness.js"

// First in this file on purpose: the singleton records outside requests on the first instance.
describe("explicit API outside any request", () => {
  it("the singleton records without trace / platform and logs YAVIO-1105 once; createYavio does not warn", async () => {
    const rec = recorder()
    const tracker = createYavio(rec.options())
    yavio.track("outside", { n: 1 })
    yavio.step("outside_step")
    yavio.identify("user_9", { tier: "gold" })
    tracker.track("from_tracker")
    tracker.conversion("bought", { value: 5, currency: "usd" })
    const events = rec.sink.events
    expect(events.map((event) => event.event_type)).toEqual([
      "track",
      "step",
      "identify",
      "track",
      "conversion",
    ])
    for (const event of events) {
      expect(event).not.toHaveProperty("trace_id")
      expect(event).not.toHaveProperty("platform")
      expect(event.session_id).toMatch(/^ses_/)
    }
    expect(events[1]).not.toHaveProperty("step_sequence")
    // identify binds the background session: later background events carry the user
    expect(events.slice(2).map((event) => event.user_id)).toEqual(["user_9", "user_9", "user_9"])
    expect(rec.logger.count("YAVIO-1105")).toBe(1)
    await yavio.flush()
    await tracker.flush()
    expect(rec.sink.flushes).toBe(2)
    await tracker.shutdown()
    await tracker.shutdown()
    expect(rec.sink.shutdowns).toBe(1)
    tracker.track("after_shutdown")
    expect(rec.sink.ofType("track")).toHaveLength(2)
  })

  it("createYavio inside a wrapped handler joins that request's trace", async () => {
    const rec = recorder()
    const tracker = createYavio(rec.options())
    const server = withYavio(new McpServer({ name: "s", version: "1" }), rec.options())
    server.registerTool("job", {}, async () => {
      tracker.step("queued")
      return { content: [{ type: "text", text: "ok" }] }
    })
    const client = await connectV1(server)
    await client.callTool({ name: "job", arguments: {} })
    await client.close()
    expect(rec.sink.one("step").trace_id).toBe(rec.sink.one("tool_call").trace_id)
  })

  it("without configuration every method is a silent no-op", async () => {
    const tracker = createYavio({ apiKey: "not-a-key" })
    expect(() => tracker.track("x")).not.toThrow()
    await expect(tracker.flush()).resolves.toBeUndefined()
    await expect(tracker.shutdown()).resolves.toBeUndefined()
  })
})

describe("platform detection", () => {
  it("maps the known client names (table asserted)", () => {
    expect(CLIENT_NAME_PLATFORMS).toMatchObject({
      "openai-mcp": "chatgpt",
      "claude-ai": "claude",
      "cursor-vscode": "cursor",
      "visual studio code": "vscode",
    })
    for (const [name, platform] of Object.entries(CLIENT_NAME_PLATFORMS)) {
      expect(platformFromClientName(name)).toBe(platform)
    }
    expect(platformFromClientName("Visual Studio Code")).toBe("vscode")
    expect(platformFromClientName("Claude Desktop")).toBe("claude")
    expect(platformFromClientName("Windsurf Editor")).toBe("windsurf")
    expect(platformFromClientName("my-agent")).toBeUndefined()
    expect(platformFromClientName(undefined)).toBeUndefined()
  })

  it("layers: developer strategies, client name, User-Agent / headers, Origin / Referer, else unknown", () => {
    const none = { headers: {} }
    expect(detectPlatform({ ...none, clientName: "claude-ai" }, [() => "Acme"])).toEqual({ platform: "acme" })
    expect(
      detectPlatform({ ...none, clientName: "claude-ai" }, [
        () => undefined,
        () => {
          throw new Error("x")
        },
      ]),
    ).toEqual({
      platform: "claude",
    })
    expect(detectPlatform({ headers: {}, userAgent: "Cursor/0.45 (darwin)" })).toEqual({ platform: "cursor" })
    expect(detectPlatform({ headers: { "openai-conversation-id": "c" } })).toEqual({ platform: "chatgpt" })
    expect(detectPlatform({ headers: {}, origin: "https://chatgpt.com" })).toEqual({ platform: "chatgpt" })
    expect(detectPlatform({ headers: {}, referer: "https://claude.ai/chat/1" })).toEqual({
      platform: "claude",
    })
    expect(
      detectPlatform({ headers: {}, clientName: "agent-x", clientVersion: "2", userAgent: "node" }),
    ).toEqual({
      platform: "unknown",
      signals: { client_name: "agent-x", client_version: "2", user_agent: "node" },
    })
  })

  it("platformStrategies reach the events", async () => {
    const rec = recorder()
    const server = withYavio(
      new McpServer({ name: "s", version: "1" }),
      rec.options({ platformStrategies: [() => "acme"] }),
    )
    server.registerTool("t", {}, async () => ({ content: [] }))
    const client = await connectV1(server)
    await client.callTool({ name: "t", arguments: {} })
    await client.close()
    expect(rec.sink.one("tool_call").platform).toBe("acme")
  })
})

describe("helpers", () => {
  it("session ids: ses_ prefix, printable ASCII, ≤ 128", () => {
    expect(toSessionId("abc-123")).toBe("ses_abc-123")
    expect(toSessionId("ses_abc")).toBe("ses_abc")
    expect(toSessionId("has space")).toBeUndefined()
    expect(toSessionId("x".repeat(125))).toBeUndefined()
  })

  it("schemaDeclaresKey: raw shapes, zod objects, standard JSON schemas", () => {
    expect(schemaDeclaresKey({ context: z.string() }, "context")).toBe(true)
    expect(schemaDeclaresKey({ city: z.string() }, "context")).toBe(false)
    expect(schemaDeclaresKey(z.object({ context: z.string() }).strict(), "context")).toBe(true)
    expect(schemaDeclaresKey(z.object({ city: z.string() }), "context")).toBe(false)
    const standard = {
      "~standard": {
        version: 1,
        vendor: "x",
        validate: () => ({ value: {} }),
        jsonSchema: { input: () => ({ type: "object", properties: { session: { type: "string" } } }) },
      },
    }
    expect(schemaDeclaresKey(standard, "session")).toBe(true)
    expect(schemaDeclaresKey(undefined, "context")).toBe(false)
  })

  it("withAdvertisedParam adds a string property (required when asked) without touching the input", () => {
    const schema = { type: "object", properties: { city: { type: "string" } }, required: ["city"] }
    expect(withAdvertisedParam(schema, "context", "why", true)).toEqual({
      type: "object",
      properties: { city: { type: "string" }, context: { type: "string", description: "why" } },
      required: ["city", "context"],
    })
    expect(schema.required).toEqual(["city"])
  })

  it("widget HTML: MIME types, script placement, script-safe JSON", () => {
    expect(isHtmlMimeType("text/html")).toBe(true)
    expect(isHtmlMimeType("text/html+skybridge")).toBe(true)
    expect(isHtmlMimeType("text/html;profile=mcp-app")).toBe(true)
    expect(isHtmlMimeType("text/plain")).toBe(false)
    const config = {
      token: "t</script><b>",
      endpoint: "e",
      traceId: "tr_1",
      sessionId: "ses_1",
      stepOffset: 0,
    }
    const head = injectWidgetScript("<html><head><title>x</title></head></html>", config)
    expect(head.startsWith('<html><head><script>window.__YAVIO__={"token":"t\\u003c/script\\u003e')).toBe(
      true,
    )
    expect(head).not.toContain("</script><b>")
    expect(
      injectWidgetScript("<!DOCTYPE html><div></div>", config).startsWith("<!DOCTYPE html><script>"),
    ).toBe(true)
    expect(injectWidgetScript("<div></div>", config).startsWith("<script>")).toBe(true)
    expect(widgetUriOf({ ui: { resourceUri: "ui://a" } })).toBe("ui://a")
    expect(widgetUriOf({ "openai/outputTemplate": "ui://b" })).toBe("ui://b")
    expect(widgetUriOf({ ui: {} })).toBeUndefined()
  })

  it("truncateUtf8 cuts on character boundaries", () => {
    expect(truncateUtf8("abc", 2048)).toBe("abc")
    const emoji = "😀".repeat(1000) // 4 bytes each
    const cut = truncateUtf8(emoji, 2048)
    expect(Buffer.byteLength(cut, "utf8")).toBe(2048)
    expect(cut).toBe("😀".repeat(512))
  })

  it("traceparent, CDN country, transport kind", () => {
    expect(otelTraceIdOf("00-0AF7651916CD43DD8448EB211C80319C-b7ad6b7169203331-01")).toBe(
      "0af7651916cd43dd8448eb211c80319c",
    )
    expect(otelTraceIdOf("00-00000000000000000000000000000000-b7ad6b7169203331-01")).toBeUndefined()
    expect(otelTraceIdOf("garbage")).toBeUndefined()
    expect(countryOf({ "cf-ipcountry": "de" })).toBe("DE")
    expect(countryOf({ "x-vercel-ip-country": "CH" })).toBe("CH")
    expect(countryOf({ "cf-ipcountry": "XX" })).toBeUndefined()
    expect(countryOf({ "cf-ipcountry": "T1" })).toBeUndefined()
    expect(countryOf({})).toBeUndefined()
    class StdioServerTransport {}
    class StreamableHTTPServerTransport {}
    expect(transportKindOf(new StdioServerTransport())).toBe("stdio")
    expect(transportKindOf(new StreamableHTTPServerTransport())).toBe("streamable_http")
    expect(transportKindOf({})).toBe("unknown")
  })

  it("session store: inactivity window and bounded size", () => {
    let now = 0
    const store = new SessionStore(() => now)
    const a = store.forIdentity("claude")
    now += INACTIVITY_WINDOW_MS - 1
    expect(store.forIdentity("claude")).toBe(a)
    now += INACTIVITY_WINDOW_MS + 1
    expect(store.forIdentity("claude").id).not.toBe(a.id)
    for (let i = 0; i < MAX_SESSIONS + 50; i++) store.get(`ses_${i}`)
    expect(store.size).toBeLessThanOrEqual(MAX_SESSIONS)
  })

  it("session store: the least recently active session is evicted first", () => {
    let now = 0
    const store = new SessionStore(() => now)
    for (let i = 0; i < MAX_SESSIONS; i++) store.get(`ses_${i}`)
    now += 5_000
    store.get("ses_0") // active again: moves to the back of the eviction order
    now += 500
    store.get("ses_3")
    store.get("ses_new_a")
    store.get("ses_new_b")
    expect(store.size).toBe(MAX_SESSIONS)
    expect([0, 1, 2, 3, 4].map((i) => store.has(`ses_${i}`))).toEqual([true, false, false, true, true])
  })
})

describe("low-level Server", () => {
  it("is instrumented in place: same object, its handlers report", async () => {
    const rec = recorder()
    const server = new Server({ name: "low", version: "1" }, { capabilities: { tools: {} } })
    expect(withYavio(server, rec.options())).toBe(server)
    server.setRequestHandler(ListToolsRequestSchema, async () => ({ tools: [] }))
    const client = await connectV1(server, { name: "claude-ai", version: "1" })
    await client.listTools()
    await client.close()
    expect(rec.sink.one("tool_discovery").metadata).toMatchObject({
      tools_count: 0,
      client_name: "claude-ai",
    })
    expect(rec.sink.ofType("connection").map((event) => (event.metadata as { phase: string }).phase)).toEqual(
      ["connect", "disconnect"],
    )
  })

  it("something that is not an MCP server is returned unchanged with YAVIO-1100", () => {
    const rec = recorder()
    const thing = { hello: "world" }
    expect(withYavio(thing, rec.options())).toBe(thing)
    expect(rec.logger.count("YAVIO-1100")).toBe(1)
    expect(withYavio(null, rec.options())).toBeNull()
  })
})

describe("failure isolation", () => {
  it("an instrumentation failure lets the call run uninstrumented (YAVIO-1100); nothing reaches the client", async () => {
    const rec = recorder()
    const server = withYavio(
      new McpServer({ name: "s", version: "1" }),
      rec.options({
        sessionFrom: () => {
          throw new Error("boom")
        },
      }),
    )
    server.registerTool("t", { inputSchema: { a: z.string() } }, async ({ a }) => ({
      content: [{ type: "text", text: a }],
    }))
    const client = await connectV1(server)
    expect((await client.callTool({ name: "t", arguments: { a: "x" } })).content).toEqual([
      { type: "text", text: "x" },
    ])
    await client.close()
    // sessionFrom is only consulted without an initialize session; a throwing one is a 1102, not a failure
    expect(rec.logger.count("YAVIO-1100")).toBe(0)

    // Failures inside the instrumentation itself: before the handler and after it.
    const rec2 = recorder()
    const options = rec2.options()
    const server2 = withYavio(new McpServer({ name: "s", version: "1" }), options)
    server2.registerTool("w", { _meta: { ui: { resourceUri: "ui://w" } } }, async () => ({
      content: [{ type: "text", text: "fine" }],
    }))
    const widgets = runtimeFor(options as OptionsWithInternal)!.widgets
    const client2 = await connectV1(server2)
    const before = vi.spyOn(widgets, "takeReady").mockImplementation(() => {
      throw new Error("broken before")
    })
    expect(await client2.callTool({ name: "w", arguments: {} })).toEqual({
      content: [{ type: "text", text: "fine" }],
    })
    before.mockRestore()
    // the failure, and (once) the callback noticing it ran without a request context
    expect(rec2.logger.count("YAVIO-1100")).toBe(2)
    expect(rec2.sink.ofType("tool_call")).toHaveLength(0) // ran uninstrumented
    const after = vi.spyOn(widgets, "prepare").mockImplementation(() => {
      throw new Error("broken after")
    })
    expect(await client2.callTool({ name: "w", arguments: {} })).toEqual({
      content: [{ type: "text", text: "fine" }],
    })
    after.mockRestore()
    expect(rec2.logger.count("YAVIO-1100")).toBe(3)
    expect(rec2.sink.ofType("tool_call")).toHaveLength(1)
    await client2.close()
  })
})
