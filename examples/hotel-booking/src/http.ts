/**
 * The hotel server on Streamable HTTP (stateful: one MCP session per `Mcp-Session-Id`, each
 * with its own server instance; Yavio adopts the id as its `session_id`).
 *
 *   YAVIO_API_KEY=yav_… YAVIO_ENDPOINT=http://127.0.0.1:3001 PORT=3333 \
 *     node --conditions=@yavio/source --import tsx examples/hotel-booking/src/http.ts
 *
 * MCP endpoint: http://127.0.0.1:3333/mcp. On SIGINT/SIGTERM the Yavio SDK delivers what is
 * buffered and exits.
 */

import { randomUUID } from "node:crypto"
import { createServer, type IncomingMessage, type ServerResponse } from "node:http"
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js"
import { isInitializeRequest } from "@modelcontextprotocol/sdk/types.js"
import { createHotelServer } from "./server.js"

const port = Number(process.env.PORT ?? 3333)
const host = process.env.HOST ?? "127.0.0.1"
const sessions = new Map<string, StreamableHTTPServerTransport>()

const readJson = async (req: IncomingMessage): Promise<unknown> => {
  const chunks: Buffer[] = []
  for await (const chunk of req) chunks.push(chunk as Buffer)
  const body = Buffer.concat(chunks).toString("utf8")
  return body === "" ? undefined : JSON.parse(body)
}

const fail = (res: ServerResponse, status: number, message: string): void => {
  res
    .writeHead(status, { "content-type": "application/json" })
    .end(JSON.stringify({ jsonrpc: "2.0", error: { code: -32000, message }, id: null }))
}

const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
  const url = new URL(req.url ?? "/", `http://${req.headers.host ?? host}`)
  if (url.pathname === "/health") {
    res
      .writeHead(200, { "content-type": "application/json" })
      .end(`{"status":"ok","sessions":${sessions.size}}`)
    return
  }
  if (url.pathname !== "/mcp") {
    res.writeHead(404).end()
    return
  }
  const sessionId = req.headers["mcp-session-id"]
  const existing = typeof sessionId === "string" ? sessions.get(sessionId) : undefined
  if (req.method !== "POST") {
    // GET (server-to-client stream) and DELETE (end of session) need a known session.
    if (existing === undefined) return fail(res, 400, "unknown or missing Mcp-Session-Id")
    await existing.handleRequest(req, res)
    return
  }
  let body: unknown
  try {
    body = await readJson(req)
  } catch {
    return fail(res, 400, "the body is not JSON")
  }
  if (existing !== undefined) {
    await existing.handleRequest(req, res, body)
    return
  }
  if (!isInitializeRequest(body)) return fail(res, 400, "no session: send initialize first")

  const transport: StreamableHTTPServerTransport = new StreamableHTTPServerTransport({
    sessionIdGenerator: () => randomUUID(),
    onsessioninitialized: (id) => {
      sessions.set(id, transport)
    },
  })
  transport.onclose = () => {
    if (transport.sessionId !== undefined) sessions.delete(transport.sessionId)
  }
  await createHotelServer().connect(transport)
  await transport.handleRequest(req, res, body)
}

createServer((req, res) => {
  handle(req, res).catch(() => {
    if (!res.headersSent) fail(res, 500, "internal error")
  })
}).listen(port, host, () => {
  console.error(`hotel-booking MCP server on http://${host}:${port}/mcp`)
})
