/**
 * A node:http proxy between the browser (and the server SDK) and the real ingest. It forwards
 * every request with all its headers and answers with all of ingest's headers (CORS included),
 * and records each event batch: who sent it, which events, what the sender was told. Tests wait
 * on these records instead of sleeping, and can inject faults for one trace: answer N batches
 * with a status of their own (never forwarded), as a dead network or an overloaded ingest would.
 */

import { createServer, type IncomingMessage, type Server } from "node:http"
import type { AddressInfo } from "node:net"

export interface RecordedBatch {
  readonly token: string
  readonly contentType: string
  readonly eventIds: ReadonlyArray<string>
  readonly eventTypes: ReadonlyArray<string>
  readonly traceIds: ReadonlyArray<string>
  readonly events: ReadonlyArray<Record<string, unknown>>
  /** What the sender was told (ingest's status, or the injected fault's). */
  readonly status: number
  /** The batch reached ingest. */
  readonly forwarded: boolean
}

interface Fault {
  remaining: number
  readonly status: number
  readonly headers: Readonly<Record<string, string>>
}

const readBody = async (req: IncomingMessage): Promise<Buffer> => {
  const chunks: Buffer[] = []
  for await (const chunk of req) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks)
}

const eventsOf = (body: string): Array<Record<string, unknown>> => {
  try {
    const parsed = JSON.parse(body) as { events?: unknown }
    return Array.isArray(parsed.events) ? (parsed.events as Array<Record<string, unknown>>) : []
  } catch {
    return []
  }
}

/** Hop-by-hop headers are the proxy's own business on each side. */
const HOP_BY_HOP = new Set(["connection", "keep-alive", "transfer-encoding", "content-length", "host"])

export class RecordingProxy {
  readonly batches: RecordedBatch[] = []
  /** Non-batch requests the browser sent here, e.g. `/barrier/<id>` markers. */
  readonly marks: string[] = []
  private readonly faults = new Map<string, Fault>()
  private readonly waiters = new Set<() => void>()
  private server: Server | undefined
  url = ""

  constructor(private readonly upstream: string) {}

  /**
   * The next `count` widget batches of `traceId` are answered `status` by the proxy, not
   * forwarded (the server SDK's own batches, sent with the API key, always pass).
   */
  fail(traceId: string, count: number, status: number, headers: Record<string, string> = {}): void {
    this.faults.set(traceId, { remaining: count, status, headers })
  }

  /** The widget batches (widget token, not the API key) holding events of `traceId`. */
  batchesOf(traceId: string): ReadonlyArray<RecordedBatch> {
    return this.batches.filter((batch) => !batch.token.startsWith("yav_") && batch.traceIds.includes(traceId))
  }

  /** Resolves once `condition()` holds (checked after every recorded request), or rejects after `ms`. */
  waitFor(condition: () => boolean, what: string, ms = 20_000): Promise<void> {
    if (condition()) return Promise.resolve()
    return new Promise((resolve, reject) => {
      const check = () => {
        if (!condition()) return
        this.waiters.delete(check)
        clearTimeout(timer)
        resolve()
      }
      const timer = setTimeout(() => {
        this.waiters.delete(check)
        reject(new Error(`timed out waiting for ${what}; batches: ${JSON.stringify(this.summary())}`))
      }, ms)
      this.waiters.add(check)
    })
  }

  summary(): ReadonlyArray<{ status: number; types: ReadonlyArray<string> }> {
    return this.batches.map((batch) => ({ status: batch.status, types: batch.eventTypes }))
  }

  private notify(): void {
    for (const waiter of [...this.waiters]) waiter()
  }

  async start(): Promise<this> {
    const server = createServer((req, res) => {
      void this.handle(req, res.writeHead.bind(res), (body) => res.end(body))
    })
    this.server = server
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
    this.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
    return this
  }

  private async handle(
    req: IncomingMessage,
    writeHead: (status: number, headers: Record<string, string>) => unknown,
    end: (body: Buffer | string) => void,
  ): Promise<void> {
    const body = await readBody(req)
    const origin = req.headers.origin
    const cors: Record<string, string> =
      origin === undefined ? {} : { "access-control-allow-origin": origin, vary: "Origin" }
    if (req.url?.startsWith("/barrier/")) {
      this.marks.push(req.url.slice("/barrier/".length))
      writeHead(204, cors)
      end("")
      this.notify()
      return
    }
    const isBatch = req.method === "POST" && req.url === "/v1/events"
    const events = isBatch ? eventsOf(body.toString("utf8")) : []
    const traceIds = [...new Set(events.map((event) => String(event.trace_id)))]
    const widget = !/^Bearer\s+yav_/i.test(req.headers.authorization ?? "")
    const fault = widget
      ? traceIds.map((id) => this.faults.get(id)).find((f) => f !== undefined && f.remaining > 0)
      : undefined

    let status: number
    let headers: Record<string, string>
    let answer: Buffer | string
    if (fault !== undefined) {
      fault.remaining--
      status = fault.status
      headers = { "content-type": "application/json", ...cors, ...fault.headers }
      answer = JSON.stringify({ error: { code: "TEST-FAULT", message: `injected ${fault.status}` } })
    } else {
      const forward: Record<string, string> = {}
      for (const [name, value] of Object.entries(req.headers))
        if (typeof value === "string" && !HOP_BY_HOP.has(name)) forward[name] = value
      try {
        const response = await fetch(`${this.upstream}${req.url ?? "/"}`, {
          method: req.method ?? "GET",
          headers: forward,
          signal: AbortSignal.timeout(20_000),
          ...(req.method === "GET" || req.method === "HEAD" || req.method === "OPTIONS"
            ? {}
            : { body: new Uint8Array(body) }),
        })
        status = response.status
        headers = {}
        response.headers.forEach((value, name) => {
          if (!HOP_BY_HOP.has(name) && name !== "content-encoding") headers[name] = value
        })
        answer = Buffer.from(await response.arrayBuffer())
      } catch {
        status = 502
        headers = { "content-type": "application/json", ...cors }
        answer = '{"error":{"code":"proxy","message":"upstream unreachable"}}'
      }
    }
    if (isBatch)
      this.batches.push({
        token: (req.headers.authorization ?? "").replace(/^Bearer\s+/i, ""),
        contentType: req.headers["content-type"] ?? "",
        eventIds: events.map((event) => String(event.event_id)),
        eventTypes: events.map((event) => String(event.event_type)),
        traceIds,
        events,
        status,
        forwarded: fault === undefined,
      })
    writeHead(status, headers)
    end(answer)
    this.notify()
  }

  async stop(): Promise<void> {
    const server = this.server
    if (server === undefined) return
    this.server = undefined
    server.closeAllConnections()
    await new Promise<void>((resolve) => server.close(() => resolve()))
  }
}
