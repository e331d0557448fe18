/**
 * A node:http proxy in front of the real ingest that loses one answer: the first event batch
 * sent with an API key is forwarded and written by ingest, but the SDK is told `503` with
 * `Retry-After: 0` — as if the response had been lost on the way back. The SDK then sends the
 * same batch again (at-least-once delivery), and ingest writes it a second time. Everything
 * else is forwarded as is. Every forwarded event batch is recorded.
 */

import { createServer, type IncomingMessage, type Server } from "node:http"
import type { AddressInfo } from "node:net"

export interface ForwardedBatch {
  readonly eventIds: ReadonlyArray<string>
  /** What ingest answered. */
  readonly upstreamStatus: number
  /** What the SDK was told. */
  readonly answeredStatus: number
}

const readBody = async (req: IncomingMessage): Promise<string> => {
  const chunks: Buffer[] = []
  for await (const chunk of req) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks).toString("utf8")
}

const eventIdsOf = (body: string): string[] => {
  try {
    const parsed = JSON.parse(body) as { events?: Array<{ event_id?: unknown }> }
    return (parsed.events ?? []).flatMap((event) =>
      typeof event.event_id === "string" ? [event.event_id] : [],
    )
  } catch {
    return []
  }
}

export class LossyProxy {
  readonly batches: ForwardedBatch[] = []
  private server: Server | undefined
  private lost = false
  url = ""

  constructor(private readonly upstream: string) {}

  async start(): Promise<this> {
    const server = createServer((req, res) => {
      void (async () => {
        const body = await readBody(req)
        const headers: Record<string, string> = {}
        for (const name of ["authorization", "content-type"]) {
          const value = req.headers[name]
          if (typeof value === "string") headers[name] = value
        }
        let status = 502
        let text = ""
        let contentType = "application/json"
        try {
          const response = await fetch(`${this.upstream}${req.url ?? "/"}`, {
            method: req.method ?? "GET",
            headers,
            signal: AbortSignal.timeout(15_000),
            ...(req.method === "GET" || req.method === "HEAD" ? {} : { body }),
          })
          status = response.status
          text = await response.text()
          contentType = response.headers.get("content-type") ?? contentType
        } catch {
          text = '{"error":{"code":"proxy","message":"upstream unreachable"}}'
        }
        if (req.method === "POST" && req.url === "/v1/events") {
          const loseThisAnswer =
            !this.lost && status === 200 && headers.authorization?.startsWith("Bearer yav_")
          if (loseThisAnswer) this.lost = true
          const answered = loseThisAnswer ? 503 : status
          this.batches.push({ eventIds: eventIdsOf(body), upstreamStatus: status, answeredStatus: answered })
          if (loseThisAnswer) {
            res
              .writeHead(503, { "content-type": "application/json", "retry-after": "0" })
              .end('{"error":{"code":"YAVIO-2401","message":"answer lost by the test proxy"}}')
            return
          }
        }
        res.writeHead(status, { "content-type": contentType }).end(text)
      })()
    })
    this.server = server
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
    this.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
    return this
  }

  async stop(): Promise<void> {
    const server = this.server
    if (server === undefined) return
    this.server = undefined
    server.closeAllConnections()
    await new Promise<void>((resolve) => server.close(() => resolve()))
  }
}
