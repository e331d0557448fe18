import { randomUUID } from "node:crypto"
import { request } from "node:http"

/** One SDK-shaped event with its own `event_id`: a retry sends exactly the same object again. */
export const makeEvent = (label: string, i: number) => ({
  event_type: "tool_call",
  event_id: randomUUID(),
  event_name: "search_hotels",
  timestamp: new Date().toISOString(),
  trace_id: `tr_${label}_${i}`,
  session_id: `ses_${label}`,
  source: "server",
  latency_ms: 12.5,
  metadata: { attempt: i },
})

export type SdkEvent = ReturnType<typeof makeEvent>

/** `count` batches of `size` events, every event_id unique. */
export const makeBatches = (
  label: string,
  count: number,
  size: number,
): ReadonlyArray<ReadonlyArray<SdkEvent>> =>
  Array.from({ length: count }, (_, b) =>
    Array.from({ length: size }, (_, i) => makeEvent(`${label}${b}`, b * size + i)),
  )

export interface Answer {
  readonly status: number
  readonly retryAfter: string | undefined
  readonly body: unknown
  /** The YAVIO code of an error body, if any. */
  readonly code: string | undefined
}

/** No HTTP answer: the connection was refused or reset, or nothing came back in time. */
export class NoAnswer extends Error {
  constructor(
    readonly reason: "network" | "timeout",
    message: string,
  ) {
    super(message)
  }
}

/**
 * `POST /v1/events` on a connection of its own (no keep-alive pool: a killed server must not
 * leave the next request a dead socket). Rejects with `NoAnswer` when there is no answer.
 */
export const postEvents = (
  baseUrl: string,
  apiKey: string,
  events: ReadonlyArray<SdkEvent>,
  timeoutMs = 30_000,
): Promise<Answer> =>
  new Promise((resolve, reject) => {
    const payload = JSON.stringify({ events, sdk_version: "0.1.0", sent_at: new Date().toISOString() })
    const req = request(
      `${baseUrl}/v1/events`,
      {
        method: "POST",
        agent: false,
        timeout: timeoutMs,
        headers: {
          authorization: `Bearer ${apiKey}`,
          "content-type": "application/json",
          "content-length": Buffer.byteLength(payload),
        },
      },
      (res) => {
        const chunks: Array<Buffer> = []
        res.on("data", (chunk: Buffer) => chunks.push(chunk))
        res.on("error", (error) => reject(new NoAnswer("network", String(error))))
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8")
          let body: unknown
          try {
            body = JSON.parse(text)
          } catch {
            body = text
          }
          const error = (body as { error?: { code?: unknown } } | undefined)?.error
          const retryAfter = res.headers["retry-after"]
          resolve({
            status: res.statusCode ?? 0,
            retryAfter: Array.isArray(retryAfter) ? retryAfter[0] : retryAfter,
            body,
            code: typeof error?.code === "string" ? error.code : undefined,
          })
        })
      },
    )
    req.on("timeout", () => req.destroy(new NoAnswer("timeout", `no answer within ${timeoutMs} ms`)))
    req.on("error", (error) =>
      reject(error instanceof NoAnswer ? error : new NoAnswer("network", String(error))),
    )
    req.end(payload)
  })

/** Runs `task` over `items` with at most `concurrency` at once; resolves when all settled. */
export const forEachConcurrently = async <A>(
  items: Iterable<A>,
  concurrency: number,
  task: (item: A) => Promise<void>,
): Promise<void> => {
  const iterator = items[Symbol.iterator]()
  const worker = async () => {
    for (let next = iterator.next(); !next.done; next = iterator.next()) await task(next.value)
  }
  await Promise.all(Array.from({ length: concurrency }, worker))
}

/** Event ids as SQL literals for `event_id IN (…)` (UUIDs: nothing to escape). */
export const idList = (events: ReadonlyArray<SdkEvent>): string =>
  events.map((e) => `'${e.event_id}'`).join(", ")
