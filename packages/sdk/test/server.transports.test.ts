/**
 * Real transports per generation: a stdio child process (events delivered by the real HTTP
 * transport to a local stand-in ingest) and Streamable HTTP (session adopted from
 * `Mcp-Session-Id`, country from CDN headers, platform from headers and client identity).
 */

import { randomUUID } from "node:crypto"
import { createServer, type IncomingMessage } from "node:http"
import type { AddressInfo } from "node:net"
import { fileURLToPath } from "node:url"
import {
  Client as ClientV2,
  StreamableHTTPClientTransport as HttpClientV2,
} from "@modelcontextprotocol/client"
import { StdioClientTransport as StdioClientV2 } from "@modelcontextprotocol/client/stdio"
import { Client as ClientV1 } from "@modelcontextprotocol/sdk/client/index.js"
import { StdioClientTransport as StdioClientV1 } from "@modelcontextprotocol/sdk/client/stdio.js"
import { StreamableHTTPClientTransport as HttpClientV1 } from "@modelcontextprotocol/sdk/client/streamableHttp.js"
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js"
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js"
import { createMcpHandler, McpServer as McpServerV2 } from "@modelcontextprotocol/server"
import { afterEach, describe, expect, it } from "vitest"
import * as z from "zod"
import { withYavio } from "../src/server/index.js"
import { validateEvent } from "../src/validators.generated.js"
import { recorder, TEST_KEY } from "./support/harness.js"
import { serveFetch } from "./support/nodeFetch.js"
import { TokenServer } from "./support/TokenServer.js"

const cleanups: Array<() => Promise<unknown>> = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup().catch(() => {})
})

const childScript = fileURLToPath(new URL("./support/stdioServer.ts", import.meta.url))

const waitUntil = async (condition: () => boolean, timeoutMs: number): Promise<void> => {
  const deadline = Date.now() + timeoutMs
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("condition not met in time")
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

const childEnv = (ingest: TokenServer): Record<string, string> => {
  const env: Record<string, string> = {}
  for (const [key, value] of Object.entries(process.env)) if (value !== undefined) env[key] = value
  return { ...env, YAVIO_API_KEY: TEST_KEY, YAVIO_ENDPOINT: ingest.baseUrl }
}

describe("stdio child process", () => {
  it("v1: events reach ingest over HTTP; connect, tool call, step, disconnect in one session", async () => {
    const ingest = await new TokenServer().start()
    cleanups.push(() => ingest.stop())
    const transport = new StdioClientV1({
      command: process.execPath,
      args: ["--import", "tsx", childScript, "v1"],
      env: childEnv(ingest),
      stderr: "ignore",
    })
    const client = new ClientV1({ name: "claude-ai", version: "0.9" })
    await client.connect(transport)
    const result = await client.callTool({ name: "greet", arguments: { name: "Ada" } })
    expect(result.content).toEqual([{ type: "text", text: "hello Ada" }])
    await client.close()
    await waitUntil(
      () =>
        ingest.events.some(
          (event) =>
            event.event_type === "connection" && (event.metadata as { phase: string }).phase === "disconnect",
        ),
      15_000,
    )

    // Queue order is emission order (the tool_call is built when the handler returned); the
    // tool_call's timestamp is the call's start, so ordering by timestamp restores the story.
    const types = ingest.events.map((event) => event.event_type)
    expect([...types].sort()).toEqual(["connection", "connection", "step", "tool_call"])
    expect(types[0]).toBe("connection")
    expect(ingest.events.at(-1)).toMatchObject({
      event_type: "connection",
      metadata: { phase: "disconnect" },
    })
    for (const event of ingest.events) expect(validateEvent(event)).toEqual({ ok: true })
    expect(new Set(ingest.events.map((event) => event.session_id)).size).toBe(1)
    expect(ingest.events[0]).toMatchObject({
      platform: "claude",
      client_name: "claude-ai",
      metadata: { transport: "stdio" },
    })
    const call = ingest.events.find((event) => event.event_type === "tool_call")
    const step = ingest.events.find((event) => event.event_type === "step")
    expect(step?.trace_id).toBe(call?.trace_id)
    expect(Date.parse(call?.timestamp as string)).toBeLessThanOrEqual(Date.parse(step?.timestamp as string))
  }, 30_000)

  it("v2 (2026-07-28): events reach ingest; the request envelope names the client", async () => {
    const ingest = await new TokenServer().start()
    cleanups.push(() => ingest.stop())
    const transport = new StdioClientV2({
      command: process.execPath,
      args: ["--import", "tsx", childScript, "v2"],
      env: childEnv(ingest),
      stderr: "ignore",
    })
    const client = new ClientV2({ name: "openai-mcp", version: "2.0" }, {
      versionNegotiation: { mode: { pin: "2026-07-28" } },
    } as never)
    await client.connect(transport)
    const result = await client.callTool({ name: "greet", arguments: { name: "Grace" } })
    expect(result.content).toEqual([{ type: "text", text: "hello Grace" }])
    await client.close()
    await waitUntil(() => ingest.events.some((event) => event.event_type === "step"), 15_000)

    for (const event of ingest.events) expect(validateEvent(event)).toEqual({ ok: true })
    const call = ingest.events.find((event) => event.event_type === "tool_call")
    expect(call).toMatchObject({ event_name: "greet", platform: "chatgpt", status: "success" })
    expect(ingest.events.find((event) => event.event_type === "step")?.trace_id).toBe(call?.trace_id)
  }, 30_000)
})

const readBody = async (req: IncomingMessage): Promise<unknown> => {
  const chunks: Buffer[] = []
  for await (const chunk of req) chunks.push(chunk as Buffer)
  const text = Buffer.concat(chunks).toString("utf8")
  return text === "" ? undefined : JSON.parse(text)
}

describe("Streamable HTTP", () => {
  it("v1: session adopted from Mcp-Session-Id, country from CF-IPCountry, disconnect on DELETE", async () => {
    const rec = recorder()
    const transports = new Map<string, StreamableHTTPServerTransport>()
    const http = createServer((req, res) => {
      void (async () => {
        const body = req.method === "POST" ? await readBody(req) : undefined
        const sessionId = req.headers["mcp-session-id"]
        let transport = typeof sessionId === "string" ? transports.get(sessionId) : undefined
        if (transport === undefined) {
          const created: StreamableHTTPServerTransport = new StreamableHTTPServerTransport({
            sessionIdGenerator: () => randomUUID(),
            onsessioninitialized: (id) => {
              transports.set(id, created)
            },
          })
          transport = created
          const server = withYavio(new McpServer({ name: "http-v1", version: "1" }), rec.options())
          server.registerTool("ping", {}, async () => ({ content: [{ type: "text", text: "pong" }] }))
          await server.connect(transport)
        }
        await transport.handleRequest(req, res, body)
      })()
    })
    await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve))
    cleanups.push(async () => {
      http.closeAllConnections()
      await new Promise<void>((resolve) => http.close(() => resolve()))
    })
    const url = new URL(`http://127.0.0.1:${(http.address() as AddressInfo).port}/mcp`)
    const clientTransport = new HttpClientV1(url, { requestInit: { headers: { "CF-IPCountry": "de" } } })
    const client = new ClientV1({ name: "some-agent", version: "3" })
    await client.connect(clientTransport)
    await client.callTool({ name: "ping", arguments: {} })
    await client.callTool({ name: "ping", arguments: {} })
    const sessionId = clientTransport.sessionId
    await clientTransport.terminateSession()
    await client.close()
    await rec.sink.waitFor(
      (events) => events.filter((event) => event.event_type === "connection").length === 2,
    )

    for (const event of rec.sink.events) expect(validateEvent(event)).toEqual({ ok: true })
    expect(new Set(rec.sink.events.map((event) => event.session_id))).toEqual(new Set([`ses_${sessionId}`]))
    const [connect, disconnect] = rec.sink.ofType("connection")
    expect(connect).toMatchObject({
      country_code: "DE",
      platform: "unknown",
      metadata: { transport: "streamable_http" },
    })
    expect(
      (connect!.metadata as { platform_signals: Record<string, string> }).platform_signals,
    ).toMatchObject({
      client_name: "some-agent",
    })
    expect(disconnect?.metadata).toMatchObject({ phase: "disconnect" })
    expect(rec.sink.ofType("tool_call").map((event) => [event.country_code, event.is_retry])).toEqual([
      ["DE", 0],
      ["DE", 1],
    ])
  })

  it("v2 (2026-07-28): servers built per request share one session by client identity; Vercel country header", async () => {
    const rec = recorder()
    const handler = createMcpHandler(() => {
      const server = withYavio(new McpServerV2({ name: "http-v2", version: "2" }), rec.options())
      server.registerTool("ping", { inputSchema: z.object({}) }, async () => ({
        content: [{ type: "text", text: "pong" }],
      }))
      return server
    })
    const served = await serveFetch((request) => handler.fetch(request))
    cleanups.push(
      () => handler.close(),
      () => served.close(),
    )
    const client = new ClientV2({ name: "claude-ai", version: "5" }, {
      versionNegotiation: { mode: { pin: "2026-07-28" } },
    } as never)
    await client.connect(
      new HttpClientV2(new URL(served.url), {
        requestInit: {
          headers: {
            "x-vercel-ip-country": "CH",
            traceparent: "00-11111111111111111111111111111111-2222222222222222-01",
          },
        },
      }),
    )
    cleanups.push(() => client.close())
    await client.listTools()
    await client.callTool({ name: "ping", arguments: {} })
    await client.callTool({ name: "ping", arguments: {} })

    for (const event of rec.sink.events) expect(validateEvent(event)).toEqual({ ok: true })
    const calls = rec.sink.ofType("tool_call")
    expect(calls.map((event) => [event.platform, event.country_code, event.is_retry])).toEqual([
      ["claude", "CH", 0],
      ["claude", "CH", 1],
    ])
    expect((calls[0]!.metadata as { otel_trace_id?: string }).otel_trace_id).toBe(
      "11111111111111111111111111111111",
    )
    expect(new Set(rec.sink.events.map((event) => event.session_id)).size).toBe(1)
    expect(rec.sink.one("tool_discovery").metadata).toMatchObject({ client_name: "claude-ai" })
  })
})
