/**
 * withYavio on the v2 line (@modelcontextprotocol/server 2.x): a real v2 Client pinned to the
 * stateless 2026-07-28 revision against a wrapped McpServer served by `serveStdio` over an
 * in-memory wire, plus a 2025-era (`initialize`) connection to a v2 server.
 */

import { inputRequired, McpServer } from "@modelcontextprotocol/server"
import { afterEach, describe, expect, it, vi } from "vitest"
import * as z from "zod"
import type { SdkEvent } from "../src/core/contracts.js"
import { withYavio, yavio } from "../src/server/index.js"
import { SESSION_META_KEY } from "../src/server/instrumentation.js"
import type { YavioContext, YavioOptions } from "../src/server/types.js"
import { validateEvent } from "../src/validators.generated.js"
import { connectV2, connectV2Legacy, type Recorder, recorder } from "./support/harness.js"

const yv = (ctx: unknown): YavioContext => (ctx as { yavio: YavioContext }).yavio
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
const text = (value: string) => ({ content: [{ type: "text" as const, text: value }] })

const closers: Array<() => Promise<unknown>> = []
afterEach(async () => {
  vi.useRealTimers()
  for (const close of closers.splice(0)) await close().catch(() => {})
})

const expectValid = (event: SdkEvent | undefined) => {
  expect(event).toBeDefined()
  expect(validateEvent(event)).toEqual({ ok: true })
}

const register = (server: McpServer): McpServer => {
  server.registerTool(
    "search_rooms",
    { description: "Find rooms", inputSchema: z.object({ city: z.string() }) },
    async ({ city }, ctx) => {
      yv(ctx)?.step("rooms_found")
      await sleep(1)
      yavio.track("searched", { city })
      return {
        content: [{ type: "text", text: `2 rooms in ${city}` }],
        structuredContent: { rooms: [{ id: 1 }, { id: 2 }] },
      }
    },
  )
  server.registerTool("boom", {}, async () => {
    throw new Error("upstream timed out")
  })
  server.registerTool(
    "confirm_booking",
    { inputSchema: z.object({ room: z.number() }) },
    async ({ room }, ctx) => {
      const answer = ctx.mcpReq.inputResponses?.confirm as { action?: string } | undefined
      if (answer === undefined) {
        return inputRequired({
          inputRequests: {
            confirm: inputRequired.elicit({
              message: `Book room ${room}?`,
              requestedSchema: { type: "object", properties: { ok: { type: "boolean" } } },
            }),
          },
        })
      }
      yv(ctx).step("confirmed", { action: answer.action ?? "none" })
      return text(`booking ${answer.action}`)
    },
  )
  server.registerResource("hotel-info", "hotel://info", { mimeType: "text/plain" }, async (uri) => ({
    contents: [{ uri: uri.href, text: "A nice hotel" }],
  }))
  server.registerPrompt("plan_trip", { argsSchema: z.object({ city: z.string() }) }, ({ city }) => ({
    messages: [{ role: "user", content: { type: "text", text: `Plan a trip to ${city}` } }],
  }))
  return server
}

const factory = (rec: Recorder | undefined, options?: YavioOptions) => () => {
  const server = register(new McpServer({ name: "hotel", version: "2.0.0" }))
  return rec === undefined ? server : withYavio(server, rec.options(options))
}

const elicitationClient =
  (action: "accept" | "decline" | "cancel") => (client: { setRequestHandler: Function }) => {
    client.setRequestHandler("elicitation/create", async () => {
      await sleep(5)
      return action === "accept" ? { action, content: { ok: true } } : { action }
    })
  }

describe("v2 (2026-07-28): transparency", () => {
  it("same tool list, results and errors as the bare server; instanceof holds", async () => {
    const rec = recorder()
    const made: object[] = []
    const a = await connectV2(factory(undefined))
    const b = await connectV2(() => {
      const server = factory(rec)()
      made.push(server)
      return server
    })
    closers.push(a.close, b.close)
    expect(made[0]).toBeInstanceOf(McpServer)
    expect(await b.client.listTools()).toEqual(await a.client.listTools())
    for (const [name, args] of [
      ["search_rooms", { city: "Rome" }],
      ["search_rooms", { city: 1 }],
      ["boom", {}],
      ["nope", {}],
    ] as const) {
      const run = (client: typeof a.client) =>
        client.callTool({ name, arguments: args }).catch((error: { code?: number; message: string }) => ({
          thrown: [error.code, error.message],
        }))
      expect(await run(b.client)).toEqual(await run(a.client))
    }
    expect(await b.client.readResource({ uri: "hotel://info" })).toEqual(
      await a.client.readResource({ uri: "hotel://info" }),
    )
    expect(await b.client.getPrompt({ name: "plan_trip", arguments: { city: "Oslo" } })).toEqual(
      await a.client.getPrompt({ name: "plan_trip", arguments: { city: "Oslo" } }),
    )
    // The bare server's handler used the singleton outside any instrumented request: recorded
    // without trace, platform or tool, and YAVIO-1105 logged once.
    const outside = rec.sink.events.filter(
      (event) => event.trace_id === undefined && event.event_type === "track",
    )
    expect(outside).toHaveLength(1)
    expect(outside[0]).not.toHaveProperty("platform")
    expect(rec.logger.count("YAVIO-1105")).toBe(1)
    for (const event of rec.sink.events) if (!outside.includes(event)) expectValid(event)
  })
})

describe("v2 (2026-07-28): events", () => {
  it("client identity from each request's _meta, discover, traceparent, lists, resources, prompts", async () => {
    const rec = recorder()
    const { client, close } = await connectV2(factory(rec), { name: "openai-mcp", version: "1.0.0" })
    closers.push(close)
    await client.listTools()
    await client.callTool({
      name: "search_rooms",
      arguments: { city: "Rome" },
      _meta: { traceparent: "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01" },
    })
    await client.callTool({ name: "boom", arguments: {} })
    await client.readResource({ uri: "hotel://info" })
    await client.getPrompt({ name: "plan_trip", arguments: { city: "Oslo" } })

    for (const event of rec.sink.events) expectValid(event)
    const discover = rec.sink.one("connection")
    expect(discover).toMatchObject({
      client_name: "openai-mcp",
      client_version: "1.0.0",
      platform: "chatgpt",
      metadata: { phase: "discover" },
    })
    const discovery = rec.sink.one("tool_discovery")
    expect(discovery.metadata).toMatchObject({
      tools_count: 3,
      client_name: "openai-mcp",
      client_version: "1.0.0",
    })
    expect(discovery.metadata).toHaveProperty("client_capabilities")

    const [search, boom] = rec.sink.ofType("tool_call")
    expect(search).toMatchObject({
      event_name: "search_rooms",
      status: "success",
      platform: "chatgpt",
      input_keys: ["city"],
      metadata: { otel_trace_id: "0af7651916cd43dd8448eb211c80319c", result_count: 2 },
    })
    expect(rec.sink.one("track").trace_id).toBe(search?.trace_id)
    expect(rec.sink.one("step")).toMatchObject({ step_sequence: 0, trace_id: search?.trace_id })
    expect(boom).toMatchObject({
      status: "error",
      error_category: "timeout",
      error_message: "upstream timed out",
    })
    expect(boom?.metadata).not.toHaveProperty("otel_trace_id")
    expect(rec.sink.one("resource_access", (e) => e.event_name === "hotel-info").metadata).toMatchObject({
      uri: "hotel://info",
      access_count: 1,
    })
    expect(rec.sink.one("prompt_usage", (e) => e.event_name === "plan_trip").metadata).toMatchObject({
      arguments: { city: "Oslo" },
    })
    // stateless: one client identity within the window → one session
    expect(new Set(rec.sink.events.map((event) => event.session_id)).size).toBe(1)
  })

  it("input_required elicitation → one elicitation event (outcome, latency) in the final call's trace", async () => {
    const rec = recorder()
    for (const action of ["accept", "decline"] as const) {
      const { client, close } = await connectV2(
        factory(rec),
        { name: "claude-ai", version: "2" },
        { elicitation: { form: {} } },
        elicitationClient(action),
      )
      closers.push(close)
      const result = await client.callTool({ name: "confirm_booking", arguments: { room: 7 } })
      expect(result.content).toEqual([{ type: "text", text: `booking ${action}` }])
    }
    const calls = rec.sink.ofType("tool_call")
    expect(calls).toHaveLength(2) // the input_required round is not a finished call
    const elicitations = rec.sink.ofType("elicitation")
    expect(elicitations.map((event) => (event.metadata as { outcome: string }).outcome)).toEqual([
      "accept",
      "decline",
    ])
    elicitations.forEach((event, i) => {
      expectValid(event)
      expect(event.trace_id).toBe(calls[i]?.trace_id)
      expect(event.latency_ms as number).toBeGreaterThanOrEqual(4)
      expect(event.metadata).toMatchObject({ requested_fields: ["ok"], mode: "form" })
    })
    expect(calls.map((event) => event.is_retry)).toEqual([0, 1])
    expect(rec.sink.ofType("step").map((event) => event.trace_id)).toEqual(
      calls.map((event) => event.trace_id),
    )
  })
})

describe("v2 (2026-07-28): sessions", () => {
  it("inactivity window per client identity: same client → same session, another client or 30 min idle → new", async () => {
    vi.useFakeTimers({ toFake: ["Date"] })
    const rec = recorder()
    const call = async (name: string) => {
      const { client, close } = await connectV2(factory(rec), { name, version: "1" })
      await client.callTool({ name: "search_rooms", arguments: { city: "Rome" } })
      await close()
    }
    await call("claude-ai")
    await call("claude-ai")
    await call("openai-mcp")
    vi.setSystemTime(Date.now() + 31 * 60 * 1000)
    await call("claude-ai")
    const sessions = rec.sink.ofType("tool_call").map((event) => event.session_id)
    expect(sessions[0]).toBe(sessions[1])
    expect(sessions[2]).not.toBe(sessions[0])
    expect(sessions[3]).not.toBe(sessions[0])
    expect(new Set(sessions).size).toBe(3)
  })

  it("sessionFrom: the developer's own handle", async () => {
    const rec = recorder()
    const options: YavioOptions = {
      sessionFrom: (request) => {
        const meta = (request.params as { _meta?: Record<string, unknown> } | undefined)?._meta
        return typeof meta?.["acme/conversation"] === "string" ? meta["acme/conversation"] : undefined
      },
    }
    const { client, close } = await connectV2(factory(rec, options))
    closers.push(close)
    await client.callTool({
      name: "search_rooms",
      arguments: { city: "A" },
      _meta: { "acme/conversation": "conv-1" },
    })
    await client.callTool({
      name: "search_rooms",
      arguments: { city: "B" },
      _meta: { "acme/conversation": "ses_conv-2" },
    })
    await client.callTool({ name: "search_rooms", arguments: { city: "C" } })
    const sessions = rec.sink.ofType("tool_call").map((event) => event.session_id)
    expect(sessions.slice(0, 2)).toEqual(["ses_conv-1", "ses_conv-2"])
    expect(sessions[2]).toMatch(/^ses_[A-Za-z0-9_-]{21}$/)
  })

  it("sessionParam: advertised, minted in the first result's _meta, stripped before the handler", async () => {
    const rec = recorder()
    const seen: unknown[] = []
    const { client, close } = await connectV2(() => {
      const server = withYavio(
        new McpServer({ name: "s", version: "1" }),
        rec.options({ sessionParam: true }),
      )
      server.registerTool("echo", { inputSchema: z.object({ q: z.string() }).strict() }, async (args) => {
        seen.push(args)
        return text(args.q)
      })
      return server
    })
    closers.push(close)
    const { tools } = await client.listTools()
    expect(tools[0]?.inputSchema.properties).toHaveProperty("session")
    expect(tools[0]?.inputSchema.required ?? []).not.toContain("session")
    const first = await client.callTool({ name: "echo", arguments: { q: "1" } })
    const handle = (first._meta as Record<string, unknown>)[SESSION_META_KEY] as string
    expect(handle).toMatch(/^ses_/)
    const second = await client.callTool({ name: "echo", arguments: { q: "2", session: handle } })
    expect(second._meta).not.toHaveProperty(SESSION_META_KEY)
    await client.callTool({ name: "echo", arguments: { q: "3", session: "ses_other" } })
    expect(seen).toEqual([{ q: "1" }, { q: "2" }, { q: "3" }])
    expect(rec.sink.ofType("tool_call").map((event) => event.session_id)).toEqual([
      handle,
      handle,
      "ses_other",
    ])
  })
})

describe("v2 server, 2025-era connection (initialize)", () => {
  it("connection, session, platform, push elicitation and sampling", async () => {
    const rec = recorder()
    const server = withYavio(register(new McpServer({ name: "hotel", version: "2" })), rec.options())
    server.registerTool("ask", {}, async (ctx) => {
      const answer = await ctx.mcpReq.elicitInput({
        message: "Name?",
        requestedSchema: { type: "object", properties: { name: { type: "string" } } },
      })
      const sample = await ctx.mcpReq.requestSampling({
        messages: [{ role: "user", content: { type: "text", text: "hello there" } }],
        maxTokens: 20,
      })
      return text(`${answer.action}:${"model" in sample ? sample.model : ""}`)
    })
    const client = await connectV2Legacy(
      server,
      { name: "cursor-vscode", version: "1.0.0" },
      { elicitation: { form: {} }, sampling: {} },
      (c) => {
        c.setRequestHandler("elicitation/create", async () => ({ action: "cancel" }))
        c.setRequestHandler("sampling/createMessage", async () => ({
          role: "assistant",
          content: { type: "text", text: "hi!" },
          model: "m-1",
          usage: { inputTokens: 11, outputTokens: 3 },
        }))
      },
    )
    const result = await client.callTool({ name: "ask", arguments: {} })
    expect(result.content).toEqual([{ type: "text", text: "cancel:m-1" }])
    await client.callTool({ name: "search_rooms", arguments: { city: "Rome" } })
    await client.close()
    await rec.sink.waitFor(
      (events) => events.filter((event) => event.event_type === "connection").length === 2,
    )

    for (const event of rec.sink.events) expectValid(event)
    const [connect, disconnect] = rec.sink.ofType("connection")
    expect(connect).toMatchObject({
      client_name: "cursor-vscode",
      platform: "cursor",
      metadata: { phase: "connect" },
    })
    expect(disconnect).toMatchObject({ metadata: { phase: "disconnect" } })
    const call = rec.sink.one("tool_call", (event) => event.event_name === "ask")
    expect(rec.sink.one("elicitation")).toMatchObject({
      trace_id: call.trace_id,
      metadata: { outcome: "cancel" },
    })
    expect(rec.sink.one("sampling_call")).toMatchObject({
      trace_id: call.trace_id,
      tokens_in: 11,
      tokens_out: 3,
      metadata: { model: "m-1" },
    })
    expect(new Set(rec.sink.events.map((event) => event.session_id))).toEqual(new Set([connect?.session_id]))
  })

  it("input_required on a 2025-era connection (the SDK's legacy shim) still yields one elicitation", async () => {
    const rec = recorder()
    const server = withYavio(register(new McpServer({ name: "hotel", version: "2" })), rec.options())
    const client = await connectV2Legacy(
      server,
      { name: "claude-ai", version: "1" },
      { elicitation: { form: {} } },
      elicitationClient("accept"),
    )
    closers.push(() => client.close())
    const result = await client.callTool({ name: "confirm_booking", arguments: { room: 1 } })
    expect(result.content).toEqual([{ type: "text", text: "booking accept" }])
    const call = rec.sink.one("tool_call")
    expect(rec.sink.one("elicitation")).toMatchObject({
      trace_id: call.trace_id,
      metadata: { outcome: "accept" },
    })
  })
})
