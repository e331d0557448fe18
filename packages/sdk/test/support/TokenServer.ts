/**
 * A tiny real ingest stand-in on node:http for widget-token minting (`POST /v1/widget-tokens`)
 * and, for child-process tests, event delivery (`POST /v1/events`). Records every request.
 */

import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http"
import type { AddressInfo } from "node:net"

export interface TokenRequest {
  readonly authorization: string | undefined
  readonly traceId: string
  readonly sessionId: string
  readonly at: number
}

export type TokenMode =
  | { readonly kind: "ok"; readonly lifetimeMs?: number }
  | { readonly kind: "status"; readonly status: number }
  | { readonly kind: "delay"; readonly ms: number }

const readBody = async (req: IncomingMessage): Promise<string> => {
  const chunks: Buffer[] = []
  for await (const chunk of req) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks).toString("utf8")
}

export class TokenServer {
  readonly tokenRequests: TokenRequest[] = []
  /** Event batches received on /v1/events (child-process tests). */
  readonly events: Array<Record<string, unknown>> = []
  mode: TokenMode = { kind: "ok" }
  private server: Server | undefined
  private issued = 0
  baseUrl = ""

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      void this.handle(req, res)
    })
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve))
    const { port } = this.server.address() as AddressInfo
    this.baseUrl = `http://127.0.0.1:${port}`
    return this
  }

  async stop(): Promise<void> {
    const server = this.server
    if (server === undefined) return
    server.closeAllConnections()
    await new Promise<void>((resolve) => server.close(() => resolve()))
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req)
    if (req.method === "POST" && req.url === "/v1/events") {
      const parsed = JSON.parse(body) as { events?: Array<Record<string, unknown>> }
      this.events.push(...(parsed.events ?? []))
      res.writeHead(200, { "content-type": "application/json" }).end("{}")
      return
    }
    if (req.method !== "POST" || req.url !== "/v1/widget-tokens") {
      res.writeHead(404).end()
      return
    }
    const { traceId, sessionId } = JSON.parse(body) as { traceId: string; sessionId: string }
    this.tokenRequests.push({ authorization: req.headers.authorization, traceId, sessionId, at: Date.now() })
    const mode = this.mode
    if (mode.kind === "status") {
      res
        .writeHead(mode.status, { "content-type": "application/json" })
        .end('{"error":{"code":"YAVIO-2302"}}')
      return
    }
    if (mode.kind === "delay") await new Promise((resolve) => setTimeout(resolve, mode.ms))
    const lifetime = mode.kind === "ok" ? (mode.lifetimeMs ?? 15 * 60 * 1000) : 15 * 60 * 1000
    const token = `jwt.${traceId}.${++this.issued}`
    res
      .writeHead(200, { "content-type": "application/json" })
      .end(JSON.stringify({ token, expiresAt: new Date(Date.now() + lifetime).toISOString() }))
  }
}
