/**
 * A real HTTP endpoint for the transport tests: node:http on 127.0.0.1:0, answering each
 * request as the test says (any status, headers, body; hang; drop the connection), and
 * recording every request it received.
 */

import { createServer, type IncomingHttpHeaders, type ServerResponse } from "node:http"
import type { AddressInfo } from "node:net"
import type { ResolvedConfig, SdkEvent } from "../src/core/contracts.js"
import { createLogger, type YavioLogger } from "../src/core/logger.js"

export interface ReceivedRequest {
  readonly method: string
  readonly path: string
  readonly headers: IncomingHttpHeaders
  readonly raw: string
  readonly bytes: number
  readonly body: {
    readonly events: ReadonlyArray<Record<string, unknown>>
    readonly sdk_version: string
    readonly sent_at: string
  }
}

export type Reply =
  | {
      readonly status: number
      readonly headers?: Readonly<Record<string, string>>
      readonly body?: unknown
      /** Wait before answering (ms, real time). */
      readonly delayMs?: number
    }
  | "hang"
  | "destroy"

/** Decides the reply to the `index`-th request (0-based). */
export type Responder = (request: ReceivedRequest, index: number) => Reply

export interface IngestServer {
  readonly baseUrl: string
  readonly requests: ReadonlyArray<ReceivedRequest>
  /** Every event received, in arrival order. */
  readonly events: () => ReadonlyArray<Record<string, unknown>>
  respond: (responder: Responder) => void
  /** Resolves once `count` requests have arrived (rejects after `timeoutMs`). */
  waitForRequests: (count: number, timeoutMs?: number) => Promise<void>
  /** Requests currently being answered (for the one-in-flight check). */
  readonly maxConcurrent: () => number
  close: () => Promise<void>
}

export const ok: Responder = (request) => ({ status: 200, body: { accepted: request.body.events.length } })

export const startIngestServer = async (initial: Responder = ok): Promise<IngestServer> => {
  let responder = initial
  const requests: ReceivedRequest[] = []
  const waiting: Array<{ count: number; resolve: () => void }> = []
  const hanging = new Set<ServerResponse>()
  let concurrent = 0
  let maxConcurrent = 0

  const server = createServer((req, res) => {
    concurrent++
    maxConcurrent = Math.max(maxConcurrent, concurrent)
    res.on("close", () => {
      concurrent--
    })
    const chunks: Buffer[] = []
    req.on("data", (chunk: Buffer) => chunks.push(chunk))
    req.on("end", () => {
      const buffer = Buffer.concat(chunks)
      const raw = buffer.toString("utf8")
      let body: ReceivedRequest["body"]
      try {
        body = JSON.parse(raw) as ReceivedRequest["body"]
      } catch {
        body = { events: [], sdk_version: "", sent_at: "" }
      }
      const request: ReceivedRequest = {
        method: req.method ?? "",
        path: req.url ?? "",
        headers: req.headers,
        raw,
        bytes: buffer.length,
        body,
      }
      const index = requests.length
      requests.push(request)
      for (let i = waiting.length - 1; i >= 0; i--) {
        if (requests.length >= waiting[i]!.count) waiting.splice(i, 1)[0]!.resolve()
      }
      const reply = responder(request, index)
      if (reply === "hang") {
        hanging.add(res)
        return
      }
      if (reply === "destroy") {
        req.socket.destroy()
        return
      }
      const send = (): void => {
        res.writeHead(reply.status, { "content-type": "application/json", ...reply.headers })
        res.end(reply.body === undefined ? "" : JSON.stringify(reply.body))
      }
      if (reply.delayMs === undefined) send()
      else setTimeout(send, reply.delayMs)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
  const { port } = server.address() as AddressInfo

  return {
    baseUrl: `http://127.0.0.1:${port}`,
    requests,
    events: () => requests.flatMap((request) => request.body.events),
    respond: (next) => {
      responder = next
    },
    waitForRequests: (count, timeoutMs = 5_000) =>
      new Promise<void>((resolve, reject) => {
        if (requests.length >= count) return resolve()
        const timer = setTimeout(
          () => reject(new Error(`expected ${count} requests, got ${requests.length}`)),
          timeoutMs,
        )
        waiting.push({
          count,
          resolve: () => {
            clearTimeout(timer)
            resolve()
          },
        })
      }),
    maxConcurrent: () => maxConcurrent,
    close: async () => {
      for (const res of hanging) res.destroy()
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}

export const API_KEY = "yav_TESTKEY0123456789abcdefghijklmnopq"

export const configFor = (server: { readonly baseUrl: string }): ResolvedConfig => ({
  apiKey: API_KEY,
  baseUrl: server.baseUrl,
})

let counter = 0

/** A valid `track` event; `name` is its `event_name`. */
export const trackEvent = (name = `e${counter++}`, extra: Record<string, unknown> = {}): SdkEvent => ({
  event_id: crypto.randomUUID(),
  event_type: "track",
  event_name: name,
  timestamp: new Date().toISOString(),
  trace_id: "tr_V1StGXR8_Z5jdHi6B-myT",
  session_id: "ses_Uakgb_J5m9g-0JDMbcJqL",
  source: "server",
  sdk_version: "0.1.0",
  ...extra,
})

export interface RecordedLine {
  readonly level: string
  readonly line: string
}

/** A debug logger whose lines are kept for assertions. */
export const recordingLogger = (): {
  readonly logger: YavioLogger
  readonly lines: RecordedLine[]
  /** Resolves at the first line containing `text` (already logged or to come). */
  readonly waitFor: (text: string) => Promise<void>
} => {
  const lines: RecordedLine[] = []
  const waiting: Array<{ readonly text: string; readonly resolve: () => void }> = []
  const sink = (level: string, line: string): void => {
    lines.push({ level, line })
    for (let i = waiting.length - 1; i >= 0; i--) {
      if (line.includes(waiting[i]!.text)) waiting.splice(i, 1)[0]!.resolve()
    }
  }
  return {
    logger: createLogger({ debug: true, sink }),
    lines,
    waitFor: (text) =>
      new Promise<void>((resolve) => {
        if (lines.some((entry) => entry.line.includes(text))) resolve()
        else waiting.push({ text, resolve })
      }),
  }
}

export const linesWith = (lines: ReadonlyArray<RecordedLine>, code: string): string[] =>
  lines.filter((entry) => entry.line.includes(code)).map((entry) => entry.line)

export const names = (events: ReadonlyArray<Record<string, unknown>>): unknown[] =>
  events.map((event) => event.event_name)
