/**
 * withYavio on the v1 line (@modelcontextprotocol/sdk 1.x, stateful MCP): a real v1 Client
 * against a wrapped McpServer over the in-memory transport, events recorded by a RecordingSink.
 */

import { McpServer, ResourceTemplate } from "@modelcontextprotocol/sdk/server/mcp.js"
import { CreateMessageRequestSchema, ElicitRequestSchema } from "@modelcontextprotocol/sdk/types.js"
import { afterEach, describe, expect, it } from "vitest"
import * as z from "zod"
import type { SdkEvent } from "../src/core/contracts.js"
import { withYavio, yavio, yavioOf } from "../src/server/index.js"
import type { YavioContext } from "../src/server/types.js"
import { validateEvent } from "../src/validators.generated.js"
import { connectV1, recorder, unconfigured } from "./support/harness.js"
import { RecordingLogger } from "./support/RecordingSink.js"

const yv = (extra: unknown): YavioContext => (extra as { yavio: YavioContext }).yavio
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

const closers: Array<() => Promise<unknown>> = []
afterEach(async () => {
  for (const close of closers.splice(0)) await close().catch(() => {})
})

/** A small hotel server exercising every interception point. */
const register = (server: McpServer): McpServer => {
  server.registerTool(
    "search_rooms",
    { description: "Find rooms", inputSchema: { city: z.string(), budget: z.number().optional() } },
    async ({ city }, extra) => {
      yv(extra)?.step("rooms_found", { count: 2 })
      return {
        content: [{ type: "text", text: `2 rooms in ${city}` }],
        structuredContent: { rooms: [{ id: 1 }, { id: 2 }] },
      }
    },
  )
  server.registerTool("empty_search", { inputSchema: { q: z.string() } }, async () => ({
    content: [{ type: "text", text: "No results found" }],
  }))
  server.registerTool("rate_limited", { description: "always fails" }, async () => {
    throw Object.assign(new Error("Too Many Requests from upstream"), { status: 429 })
  })
  server.registerTool("soft_fail", {}, async () => ({
    isError: true,
    content: [{ type: "text", text: "permission denied for this user" }],
  }))
  server.registerResource(
    "hotel-info",
    "hotel://info",
    { mimeType: "text/plain", description: "About" },
    async (uri) => ({ contents: [{ uri: uri.href, text: "A nice hotel" }] }),
  )
  server.registerResource(
    "room",
    new ResourceTemplate("hotel://rooms/{id}", { list: undefined }),
    { mimeType: "application/json" },
    async (uri, { id }) => ({
      contents: [{ uri: uri.href, mimeType: "application/json", text: `{"id":"${id}"}` }],
    }),
  )
  server.registerPrompt("plan_trip", { argsSchema: { city: z.string() } }, ({ city }) => ({
    messages: [{ role: "user", content: { type: "text", text: `Plan a trip to ${city}` } }],
  }))
  return server
}

const newServer = () => new McpServer({ name: "hotel", version: "1.0.0" })

const expectValid = (event: SdkEvent | undefined) => {
  expect(event).toBeDefined()
  expect(validateEvent(event)).toEqual({ ok: true })
}

describe("v1: transparency", () => {
  it("keeps instanceof, tool list, results, thrown errors and error codes", async () => {
    const rec = recorder()
    const bare = register(newServer())
    const wrapped = withYavio(register(newServer()), rec.options())
    expect(wrapped).toBeInstanceOf(McpServer)
    expect(wrapped).not.toBe(bare)
    expect(typeof wrapped.isConnected).toBe("function")

    const a = await connectV1(bare)
    const b = await connectV1(wrapped)
    closers.push(
      () => a.close(),
      () => b.close(),
    )
    expect(await b.listTools()).toEqual(await a.listTools())
    for (const [name, args] of [
      ["search_rooms", { city: "Rome" }],
      ["empty_search", { q: "x" }],
      ["rate_limited", {}],
      ["soft_fail", {}],
      ["search_rooms", { city: 42 }], // schema failure
      ["no_such_tool", {}],
    ] as const) {
      const expected = await a
        .callTool({ name, arguments: args })
        .catch((error: Error) => ({ thrown: error.message }))
      const actual = await b
        .callTool({ name, arguments: args })
        .catch((error: Error) => ({ thrown: error.message }))
      expect(actual).toEqual(expected)
    }
    expect(await b.listResources()).toEqual(await a.listResources())
    expect(await b.readResource({ uri: "hotel://info" })).toEqual(
      await a.readResource({ uri: "hotel://info" }),
    )
    const missing = async (client: typeof a) =>
      client
        .readResource({ uri: "hotel://missing" })
        .catch((error: { code: number; message: string }) => [error.code, error.message])
    expect(await missing(b)).toEqual(await missing(a))
    expect(await b.listPrompts()).toEqual(await a.listPrompts())
    expect(await b.getPrompt({ name: "plan_trip", arguments: { city: "Oslo" } })).toEqual(
      await a.getPrompt({ name: "plan_trip", arguments: { city: "Oslo" } }),
    )
    for (const event of rec.sink.events) expectValid(event)
  })

  it("without configuration returns the very same server, warns YAVIO-1000 once and records nothing", async () => {
    const logger = new RecordingLogger()
    const server = register(newServer())
    expect(withYavio(server, unconfigured(logger))).toBe(server)
    expect(withYavio(newServer(), unconfigured(logger))).toBeInstanceOf(McpServer)
    expect(logger.count("YAVIO-1000")).toBe(1)
    const client = await connectV1(server)
    closers.push(() => client.close())
    expect(
      (await client.callTool({ name: "search_rooms", arguments: { city: "Rome" } })).isError,
    ).toBeUndefined()
  })

  it("wrapping twice returns the same proxy", () => {
    const rec = recorder()
    const server = newServer()
    const wrapped = withYavio(server, rec.options())
    expect(withYavio(server, rec.options())).toBe(wrapped)
    expect(withYavio(wrapped, rec.options())).toBe(wrapped)
  })
})

describe("v1: events", () => {
  it("tool_call success carries every field", async () => {
    const rec = recorder()
    const server = withYavio(register(newServer()), rec.options())
    const client = await connectV1(server)
    closers.push(() => client.close())
    await client.callTool({ name: "search_rooms", arguments: { city: "Rome", budget: 120 } })

    const call = rec.sink.one("tool_call")
    expectValid(call)
    expect(call).toMatchObject({
      event_name: "search_rooms",
      status: "success",
      is_retry: 0,
      source: "server",
      platform: "claude",
      user_id: null,
      input_keys: ["city", "budget"],
      input_types: { city: "string", budget: "number" },
      input_values: { city: "Rome", budget: 120 },
      output_values: {
        content: [{ type: "text", text: "2 rooms in Rome" }],
        structuredContent: { rooms: [{ id: 1 }, { id: 2 }] },
      },
      tokens_in: Math.ceil(JSON.stringify({ city: "Rome", budget: 120 }).length / 4),
      metadata: {
        input_params_count: 2,
        content_types: { text: 1, structured: 1 },
        result_count: 2,
        zero_result: false,
      },
    })
    expect(call.latency_ms).toBeGreaterThanOrEqual(0)
    expect(call.tokens_out).toBeGreaterThan(0)
    expect((call.metadata as { response_size: number }).response_size).toBeGreaterThan(50)
    expect(call.trace_id).toMatch(/^tr_[A-Za-z0-9_-]{21}$/)
    expect(call.session_id).toMatch(/^ses_/)
    expect(call.error_category).toBeUndefined()
    // the step inside the handler joined the call's trace
    const step = rec.sink.one("step")
    expect(step).toMatchObject({ event_name: "rooms_found", step_sequence: 0, trace_id: call.trace_id })
  })

  it("thrown errors, isError results and schema failures are errors with a category", async () => {
    const rec = recorder()
    const server = withYavio(register(newServer()), rec.options())
    const client = await connectV1(server)
    closers.push(() => client.close())
    await client.callTool({ name: "rate_limited", arguments: {} })
    await client.callTool({ name: "soft_fail", arguments: {} })
    await client.callTool({ name: "search_rooms", arguments: { city: 42 } })
    await client.callTool({ name: "no_such_tool", arguments: {} })
    const [thrown, soft, invalid, unknown] = rec.sink.ofType("tool_call")
    for (const event of [thrown, soft, invalid, unknown]) expectValid(event)
    expect(thrown).toMatchObject({
      status: "error",
      error_category: "rate_limit",
      error_message: "Too Many Requests from upstream",
    })
    expect(soft).toMatchObject({
      status: "error",
      error_category: "auth",
      error_message: "permission denied for this user",
    })
    expect(invalid).toMatchObject({
      event_name: "search_rooms",
      status: "error",
      error_category: "validation",
    })
    expect(rec.sink.ofType("step")).toHaveLength(0) // the handler never ran
    expect(unknown).toMatchObject({
      event_name: "no_such_tool",
      status: "error",
      error_category: "validation",
    })
  })

  it("error_message is the message only, cut to 2 KB", async () => {
    const rec = recorder()
    const server = withYavio(newServer(), rec.options())
    server.registerTool("long_fail", {}, async () => {
      throw new Error("é".repeat(3000))
    })
    const client = await connectV1(server)
    closers.push(() => client.close())
    await client.callTool({ name: "long_fail", arguments: {} })
    const message = rec.sink.one("tool_call").error_message as string
    expect(Buffer.byteLength(message, "utf8")).toBeLessThanOrEqual(2048)
    expect(message.length).toBe(1024)
    expect(message).not.toContain("at ")
  })

  it("flags zero results", async () => {
    const rec = recorder()
    const server = withYavio(register(newServer()), rec.options())
    server.registerTool("empty_list", {}, async () => ({ content: [], structuredContent: { items: [] } }))
    server.registerTool("long_text", {}, async () => ({
      content: [{ type: "text", text: `${"x".repeat(300)} no results` }],
    }))
    const client = await connectV1(server)
    closers.push(() => client.close())
    for (const name of ["empty_search", "empty_list", "long_text", "search_rooms"]) {
      await client.callTool({
        name,
        arguments: name === "empty_search" ? { q: "x" } : name === "search_rooms" ? { city: "Rome" } : {},
      })
    }
    const flags = rec.sink
      .ofType("tool_call")
      .map((event) => [event.event_name, (event.metadata as { zero_result: boolean }).zero_result])
    expect(flags).toEqual([
      ["empty_search", true],
      ["empty_list", true],
      ["long_text", false],
      ["search_rooms", false],
    ])
  })

  it("is_retry: same tool again → 1, another tool in between → 0, steps do not break the chain", async () => {
    const rec = recorder()
    const server = withYavio(register(newServer()), rec.options())
    const client = await connectV1(server)
    closers.push(() => client.close())
    const call = (name: string) =>
      client.callTool({ name, arguments: name === "search_rooms" ? { city: "Rome" } : { q: "a" } })
    await call("search_rooms")
    await call("search_rooms") // retry (the step emitted inside the first call does not count)
    await call("empty_search")
    await call("search_rooms")
    expect(rec.sink.ofType("tool_call").map((event) => event.is_retry)).toEqual([0, 1, 0, 0])
  })

  it("retries off → is_retry always 0", async () => {
    const rec = recorder()
    const server = withYavio(
      register(newServer()),
      rec.options({ capture: { retries: false, inputValues: false, outputValues: false, tokens: false } }),
    )
    const client = await connectV1(server)
    closers.push(() => client.close())
    await client.callTool({ name: "search_rooms", arguments: { city: "Rome" } })
    await client.callTool({ name: "search_rooms", arguments: { city: "Rome" } })
    const calls = rec.sink.ofType("tool_call")
    expect(calls.map((event) => event.is_retry)).toEqual([0, 0])
    expect(calls[0]).not.toHaveProperty("input_values")
    expect(calls[0]).not.toHaveProperty("output_values")
    expect(calls[0]).not.toHaveProperty("tokens_in")
    expect(calls[0]?.input_keys).toEqual(["city"])
  })

  it("connection connect / disconnect, one session per initialize", async () => {
    const rec = recorder()
    const server = withYavio(register(newServer()), rec.options())
    const client = await connectV1(server, { name: "openai-mcp", version: "1.2.3" })
    await client.callTool({ name: "search_rooms", arguments: { city: "Rome" } })
    await client.close()
    await rec.sink.waitFor((events) =>
      events.some(
        (event) =>
          event.event_type === "connection" && (event.metadata as { phase: string }).phase === "disconnect",
      ),
    )

    const [connect, disconnect] = rec.sink.ofType("connection")
    expectValid(connect)
    expectValid(disconnect)
    expect(connect).toMatchObject({
      client_name: "openai-mcp",
      client_version: "1.2.3",
      platform: "chatgpt",
      metadata: { phase: "connect", transport: "in_memory" },
    })
    expect(connect?.protocol_version).toMatch(/^\d{4}-\d{2}-\d{2}$/)
    expect(connect).not.toHaveProperty("trace_id")
    expect(disconnect).toMatchObject({ metadata: { phase: "disconnect" }, session_id: connect?.session_id })
    expect(disconnect?.connection_duration_ms).toBeGreaterThanOrEqual(0)
    expect(rec.sink.events.at(-1)).toBe(disconnect) // last event of the session
    const sessions = new Set(rec.sink.events.map((event) => event.session_id))
    expect(sessions.size).toBe(1)

    // the same server re-initialised on a new connection: a new session
    const again = await connectV1(server)
    closers.push(() => again.close())
    await again.callTool({ name: "search_rooms", arguments: { city: "Oslo" } })
    const [first, second] = rec.sink.ofType("tool_call")
    expect(second?.session_id).not.toBe(first?.session_id)
    expect(second?.is_retry).toBe(0) // retry chains are per session
  })

  it("tools/list → tool_discovery; resources and prompts → resource_access / prompt_usage", async () => {
    const rec = recorder()
    const server = withYavio(register(newServer()), rec.options())
    const client = await connectV1(server, { name: "Visual Studio Code", version: "1.99" }, { roots: {} })
    closers.push(() => client.close())
    await client.listTools()
    await client.listResources()
    await client.readResource({ uri: "hotel://info" })
    await client.readResource({ uri: "hotel://info" })
    await client.readResource({ uri: "hotel://rooms/7" })
    await client.listPrompts()
    await client.getPrompt({ name: "plan_trip", arguments: { city: "Oslo" } })

    const discovery = rec.sink.one("tool_discovery")
    expectValid(discovery)
    expect(discovery).toMatchObject({
      platform: "vscode",
      metadata: {
        tools_listed: ["search_rooms", "empty_search", "rate_limited", "soft_fail"],
        tools_count: 4,
        client_name: "Visual Studio Code",
        client_version: "1.99",
        client_capabilities: { roots: {} },
      },
    })
    expect(discovery.trace_id).toMatch(/^tr_/)

    const [list, read1, read2] = rec.sink.ofType("resource_access")
    for (const event of [list, read1, read2]) expectValid(event)
    expect(list?.metadata).toMatchObject({
      method: "resources/list",
      resources_listed: ["hotel-info"],
      resources_count: 1,
    })
    expect(read1).toMatchObject({
      event_name: "hotel-info",
      metadata: { method: "resources/read", uri: "hotel://info", access_count: 1 },
    })
    expect(read1?.metadata).toHaveProperty("response_size")
    expect(read2?.metadata).toMatchObject({ access_count: 2 })
    expect(read1?.trace_id).not.toBe(read2?.trace_id)
    expect(rec.sink.one("resource_access", (event) => event.event_name === "room").metadata).toMatchObject({
      uri: "hotel://rooms/7",
      access_count: 1,
      mime_types: ["application/json"],
    })

    const [plist, get] = rec.sink.ofType("prompt_usage")
    expectValid(plist)
    expectValid(get)
    expect(plist?.metadata).toMatchObject({
      method: "prompts/list",
      prompts_listed: ["plan_trip"],
      prompts_count: 1,
    })
    expect(get).toMatchObject({
      event_name: "plan_trip",
      metadata: { arguments: { city: "Oslo" }, use_count: 1 },
    })
  })

  it("sampling/createMessage → sampling_call in the tool's trace", async () => {
    const rec = recorder()
    const server = withYavio(newServer(), rec.options())
    server.registerTool("summarise", { inputSchema: { text: z.string() } }, async ({ text }) => {
      const reply = await server.server.createMessage({
        messages: [{ role: "user", content: { type: "text", text } }],
        maxTokens: 50,
        modelPreferences: { hints: [{ name: "claude-3-5-sonnet" }] },
      })
      return { content: [{ type: "text", text: reply.content.type === "text" ? reply.content.text : "" }] }
    })
    const client = await connectV1(server, { name: "claude-ai", version: "1" }, { sampling: {} })
    closers.push(() => client.close())
    client.setRequestHandler(CreateMessageRequestSchema, async () => {
      await sleep(15)
      return {
        role: "assistant",
        content: { type: "text", text: "short summary here" },
        model: "claude-x",
        stopReason: "endTurn",
      }
    })
    await client.callTool({ name: "summarise", arguments: { text: "a long text to summarise".repeat(4) } })
    const sampling = rec.sink.one("sampling_call")
    expectValid(sampling)
    expect(sampling).toMatchObject({
      trace_id: rec.sink.one("tool_call").trace_id,
      tokens_in: Math.ceil("a long text to summarise".repeat(4).length / 4),
      tokens_out: Math.ceil("short summary here".length / 4),
      metadata: {
        model_hint: "claude-3-5-sonnet",
        model: "claude-x",
        stop_reason: "endTurn",
        status: "success",
      },
    })
    expect(sampling.latency_ms as number).toBeGreaterThanOrEqual(10)
  })

  it("elicitation/create → elicitation with outcome accept / decline / cancel", async () => {
    const rec = recorder()
    const server = withYavio(newServer(), rec.options())
    server.registerTool("book", { inputSchema: { room: z.number() } }, async (_args, extra) => {
      const answer = await server.server.elicitInput({
        message: "Confirm the booking?",
        requestedSchema: {
          type: "object",
          properties: { confirm: { type: "boolean" }, note: { type: "string" } },
        },
      })
      yv(extra).track("answered", { action: answer.action })
      return { content: [{ type: "text", text: answer.action }] }
    })
    const client = await connectV1(server, { name: "claude-ai", version: "1" }, { elicitation: {} })
    closers.push(() => client.close())
    const answers = ["accept", "decline", "cancel"] as const
    let next = 0
    client.setRequestHandler(ElicitRequestSchema, async () => {
      const action = answers[next++]!
      return action === "accept" ? { action, content: { confirm: true } } : { action }
    })
    for (let i = 0; i < 3; i++) await client.callTool({ name: "book", arguments: { room: i } })
    const elicitations = rec.sink.ofType("elicitation")
    expect(elicitations.map((event) => (event.metadata as { outcome: string }).outcome)).toEqual(answers)
    const calls = rec.sink.ofType("tool_call")
    elicitations.forEach((event, i) => {
      expectValid(event)
      expect(event.trace_id).toBe(calls[i]?.trace_id)
      expect(event.metadata).toMatchObject({ requested_fields: ["confirm", "note"], mode: "form" })
    })
  })
})

describe("v1: explicit API", () => {
  it("extra.yavio and the singleton share the request across await and timers; step_sequence per trace", async () => {
    const rec = recorder()
    const server = withYavio(newServer(), rec.options())
    const nested = async (label: string) => {
      await sleep(2)
      yavio.step(`${label}_nested`)
      await new Promise<void>((resolve) =>
        setTimeout(() => {
          yavio.track("in_timer", { label })
          resolve()
        }, 3),
      )
    }
    server.registerTool(
      "flow",
      { inputSchema: { label: z.string(), delay: z.number() } },
      async ({ label, delay }, extra) => {
        yv(extra).step(`${label}_start`)
        await sleep(delay)
        await nested(label)
        yv(extra).step(`${label}_end`, { label })
        return { content: [{ type: "text", text: label }] }
      },
    )
    const client = await connectV1(server)
    closers.push(() => client.close())
    const labels = Array.from({ length: 8 }, (_, i) => `c${i}`)
    await Promise.all(
      labels.map((label, i) => client.callTool({ name: "flow", arguments: { label, delay: (i * 7) % 11 } })),
    )

    const calls = rec.sink.ofType("tool_call")
    expect(calls).toHaveLength(8)
    for (const label of labels) {
      const call = calls.find((event) => (event.input_values as { label: string }).label === label)!
      const steps = rec.sink.ofType("step").filter((event) => event.trace_id === call.trace_id)
      expect(steps.map((event) => [event.event_name, event.step_sequence])).toEqual([
        [`${label}_start`, 0],
        [`${label}_nested`, 1],
        [`${label}_end`, 2],
      ])
      const track = rec.sink.one("track", (event) => (event.metadata as { label: string }).label === label)
      expect(track.trace_id).toBe(call.trace_id)
      expect(track.platform).toBe("claude")
      for (const event of [...steps, track]) expectValid(event)
    }
    expect(new Set(calls.map((event) => event.trace_id)).size).toBe(8)
  })

  it("yavioOf(extra) is the request's own tracker (survives context copies, methods work detached); unwrapped, the singleton", async () => {
    const rec = recorder()
    const server = withYavio(newServer(), rec.options())
    const seen: Array<Record<string, unknown>> = []
    server.registerTool("typed", { inputSchema: { n: z.number() } }, async ({ n }, extra) => {
      const record = extra as unknown as Record<string, unknown>
      // An own enumerable property: `{ ...extra }` copies (the v2 SDK makes them) keep it.
      const enumerable = Object.keys(record).includes("yavio")
      const first = yavioOf(extra)
      const { track, step } = yavioOf({ ...record })
      track("typed_call", { n })
      step("detached_step")
      seen.push({ enumerable, same: first === yavioOf(extra) && first === record.yavio })
      return { content: [{ type: "text", text: String(n) }] }
    })
    const bare = newServer()
    let bareTracker: unknown
    bare.registerTool("plain", { inputSchema: {} }, async (_args, extra) => {
      bareTracker = yavioOf(extra)
      return { content: [{ type: "text", text: "ok" }] }
    })
    const client = await connectV1(server)
    const bareClient = await connectV1(bare)
    closers.push(
      () => client.close(),
      () => bareClient.close(),
    )
    await client.callTool({ name: "typed", arguments: { n: 7 } })
    await bareClient.callTool({ name: "plain", arguments: {} })

    expect(seen).toEqual([{ enumerable: true, same: true }])
    const call = rec.sink.one("tool_call")
    expect(rec.sink.one("track").trace_id).toBe(call.trace_id)
    expect(rec.sink.one("step")).toMatchObject({ trace_id: call.trace_id, step_sequence: 0 })
    expect(bareTracker).toBe(yavio)
  })

  it("identify binds one user per session, merges traits, ignores a second id with YAVIO-1302", async () => {
    const rec = recorder()
    const server = withYavio(newServer(), rec.options())
    server.registerTool(
      "login",
      { inputSchema: { user: z.string(), plan: z.string().optional() } },
      async ({ user, plan }, extra) => {
        yv(extra).identify(user, plan === undefined ? { email: "a@example.com" } : { plan })
        return { content: [{ type: "text", text: "ok" }] }
      },
    )
    server.registerTool("noop", {}, async () => ({ content: [{ type: "text", text: "ok" }] }))
    const client = await connectV1(server)
    closers.push(() => client.close())
    await client.callTool({ name: "noop", arguments: {} })
    await client.callTool({ name: "login", arguments: { user: "u_1" } })
    await client.callTool({ name: "login", arguments: { user: "u_1", plan: "pro" } })
    await client.callTool({ name: "login", arguments: { user: "u_2" } })
    await client.callTool({ name: "noop", arguments: {} })

    const calls = rec.sink.ofType("tool_call")
    expect(calls.map((event) => event.user_id)).toEqual([null, "u_1", "u_1", "u_1", "u_1"])
    const identifies = rec.sink.ofType("identify")
    expect(identifies).toHaveLength(2)
    identifies.forEach(expectValid)
    expect(identifies[1]).toMatchObject({
      user_id: "u_1",
      user_traits: { email: "a@example.com", plan: "pro" },
    })
    expect(identifies[0]?.trace_id).toBe(calls[1]?.trace_id)
    expect(rec.logger.count("YAVIO-1302")).toBe(1)
  })

  it("conversion needs value and currency (YAVIO-1303); invalid names are dropped (YAVIO-1300)", async () => {
    const rec = recorder()
    const server = withYavio(newServer(), rec.options())
    server.registerTool("buy", {}, async (extra) => {
      const y = yv(extra)
      y.conversion("booking", { value: 240.5, currency: "eur", meta: { nights: 2 } })
      y.conversion("no_currency", { value: 10 } as never)
      y.conversion("no_value", { currency: "EUR" } as never)
      y.conversion("nan", { value: Number.NaN, currency: "EUR" })
      y.conversion("bad_currency", { value: 1, currency: "EURO" })
      y.track("x".repeat(257))
      y.step("")
      return { content: [{ type: "text", text: "ok" }] }
    })
    const client = await connectV1(server)
    closers.push(() => client.close())
    await client.callTool({ name: "buy", arguments: {} })
    const conversion = rec.sink.one("conversion")
    expectValid(conversion)
    expect(conversion).toMatchObject({
      event_name: "booking",
      conversion_value: 240.5,
      conversion_currency: "EUR",
      metadata: { nights: 2 },
      trace_id: rec.sink.one("tool_call").trace_id,
    })
    expect(rec.logger.count("YAVIO-1303")).toBe(4)
    expect(rec.logger.count("YAVIO-1300")).toBe(2)
    expect(rec.sink.ofType("track")).toHaveLength(0)
  })

  it("captured properties are a snapshot (later mutation does not change the event)", async () => {
    const rec = recorder()
    const server = withYavio(newServer(), rec.options())
    server.registerTool("mutate", {}, async (extra) => {
      const props = { count: 1 }
      yv(extra).track("counted", props)
      props.count = 99
      return { content: [{ type: "text", text: "ok" }] }
    })
    const client = await connectV1(server)
    closers.push(() => client.close())
    await client.callTool({ name: "mutate", arguments: {} })
    expect(rec.sink.one("track").metadata).toEqual({ count: 1 })
  })
})

describe("v1: registration paths", () => {
  it("legacy tool() overloads, update({ callback }) and tools registered before wrapping all get extra.yavio", async () => {
    const rec = recorder()
    const raw = newServer()
    raw.registerTool("early", {}, async (extra) => {
      yv(extra).step("early_step")
      return { content: [{ type: "text", text: "early" }] }
    })
    const server = withYavio(raw, rec.options())
    const reply = (text: string) => ({ content: [{ type: "text" as const, text }] })
    server.tool("t_plain", async (extra) => {
      yv(extra).step("plain")
      return reply("plain")
    })
    server.tool("t_desc", "with description", async (extra) => {
      yv(extra).step("desc")
      return reply("desc")
    })
    server.tool("t_shape", { msg: z.string() }, async ({ msg }, extra) => {
      yv(extra).step("shape")
      return reply(msg)
    })
    server.tool("t_annotations", { title: "Annotated", readOnlyHint: true }, async (extra) => {
      yv(extra).step("annotations")
      return reply("annotations")
    })
    server.tool("t_full", "desc", { msg: z.string() }, { readOnlyHint: true }, async ({ msg }, extra) => {
      yv(extra).step("full")
      return reply(msg)
    })
    const updatable = server.registerTool("t_update", {}, async () => reply("old"))
    updatable.update({
      callback: async (extra) => {
        yv(extra).step("updated")
        return reply("new")
      },
    })
    const client = await connectV1(server)
    closers.push(() => client.close())
    for (const [name, args] of [
      ["early", {}],
      ["t_plain", {}],
      ["t_desc", {}],
      ["t_shape", { msg: "hi" }],
      ["t_annotations", {}],
      ["t_full", { msg: "yo" }],
      ["t_update", {}],
    ] as const) {
      const result = await client.callTool({ name, arguments: args })
      expect(result.isError).toBeUndefined()
    }
    expect(rec.sink.ofType("step").map((event) => event.event_name)).toEqual([
      "early_step",
      "plain",
      "desc",
      "shape",
      "annotations",
      "full",
      "updated",
    ])
    expect(rec.sink.ofType("tool_call").map((event) => event.event_name)).toEqual([
      "early",
      "t_plain",
      "t_desc",
      "t_shape",
      "t_annotations",
      "t_full",
      "t_update",
    ])
    expect(rec.logger.count("YAVIO-1100")).toBe(0)
  })
})

describe("v1: intent capture", () => {
  it("advertises `context`, strips it before strict schemas, stores it in intent_signals", async () => {
    const rec = recorder()
    const server = withYavio(
      newServer(),
      rec.options({
        intent: {
          required: true,
          fallback: (tool) => (tool === "strict_search" ? "inferred goal" : undefined),
        },
      }),
    )
    let seen: unknown
    server.registerTool(
      "strict_search",
      { inputSchema: z.object({ city: z.string() }).strict() },
      async (args) => {
        seen = args
        return { content: [{ type: "text", text: "ok" }] }
      },
    )
    server.registerTool("own_context", { inputSchema: { context: z.string() } }, async ({ context }) => ({
      content: [{ type: "text", text: context }],
    }))
    const client = await connectV1(server)
    closers.push(() => client.close())
    const { tools } = await client.listTools()
    const strict = tools.find((tool) => tool.name === "strict_search")!
    expect(strict.inputSchema.properties).toHaveProperty("context")
    expect(strict.inputSchema.required).toContain("context")
    const own = tools.find((tool) => tool.name === "own_context")!
    expect(
      (own.inputSchema.properties as Record<string, { description?: string }>).context?.description,
    ).toBeUndefined()

    const ok = await client.callTool({
      name: "strict_search",
      arguments: { city: "Rome", context: "cheap hotel for a weekend, mail me at a@b.co" },
    })
    expect(ok.isError).toBeUndefined()
    expect(seen).toEqual({ city: "Rome" })
    await client.callTool({ name: "strict_search", arguments: { city: "Oslo" } }) // missing context never fails
    const own1 = await client.callTool({ name: "own_context", arguments: { context: "mine" } })
    expect(own1.content).toEqual([{ type: "text", text: "mine" }])

    const [withContext, inferred, ownCall] = rec.sink.ofType("tool_call")
    expect(withContext).toMatchObject({
      status: "success",
      input_keys: ["city"],
      intent_signals: [{ source: "context_parameter", text: "cheap hotel for a weekend, mail me at a@b.co" }],
    })
    expect(inferred).toMatchObject({
      status: "success",
      intent_signals: [{ source: "inferred", text: "inferred goal" }],
    })
    expect(ownCall).not.toHaveProperty("intent_signals")
    expect(ownCall?.input_keys).toEqual(["context"])
  })
})
