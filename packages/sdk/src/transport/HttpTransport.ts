/**
 * The server SDK's HTTP batch transport (sdk.md §6). Tool calls only `enqueue`; a background
 * sender cuts batches, runs each event through the caller's PII pass, the generated validators
 * and the size check, and POSTs `{ events, sdk_version, sent_at }` to `{base}/v1/events` — one
 * request at a time, in order, with retries. Nothing here throws into the host, and neither
 * payload values nor the API key (prefix only) are ever logged.
 */

import type { EventSink, ResolvedConfig, SdkEvent, SdkLogger } from "../core/contracts.js"
import { materialize } from "../core/deferredEvent.js"
import { maskApiKey } from "../core/logger.js"
import { BoundedQueue } from "../core/queue.js"
import { utf8ByteLength } from "../core/utf8.js"
import { MAX_EVENT_BYTES, validateEvent } from "../validators.generated.js"

export const DEFAULT_BATCH_SIZE = 100
export const DEFAULT_FLUSH_INTERVAL_MS = 10_000
export const DEFAULT_BUFFER_CAP = 10_000
export const DEFAULT_RETRY_DELAYS_MS: ReadonlyArray<number> = [1000, 2000, 4000, 8000, 16000]
export const DEFAULT_JITTER = 0.2
export const DEFAULT_REQUEST_TIMEOUT_MS = 10_000
/** Under ingest's 500 KB body limit with room for the envelope (our decision). */
export const DEFAULT_MAX_BODY_BYTES = 450_000
export const DEFAULT_SHUTDOWN_TIMEOUT_MS = 5_000
/** Longest `Retry-After` honoured; a longer one waits this long (our decision). */
export const DEFAULT_MAX_RETRY_AFTER_MS = 300_000

export interface HttpTransportOptions {
  readonly config: ResolvedConfig
  readonly logger: SdkLogger
  /** Sent as `sdk_version` in every body. */
  readonly sdkVersion: string
  /** Default `globalThis.fetch`. */
  readonly fetch?: typeof fetch
  /** Events per request; reaching it in the buffer sends at once. Default 100. */
  readonly batchSize?: number
  /** Default 10 s; the timer is `unref()`'d. */
  readonly flushIntervalMs?: number
  /**
   * How long arrived events may wait to be prepared when fewer than a slice (32) arrived.
   * Default 20 ms; `0` prepares on the next turn.
   */
  readonly settleDelayMs?: number
  /** Buffered events; overflow drops the oldest (YAVIO-1206). Default 10,000. */
  readonly bufferCap?: number
  /** Waits before retry 1, 2, …; their count is the number of retries. Default 1-2-4-8-16 s. */
  readonly retryDelaysMs?: ReadonlyArray<number>
  /** ± fraction applied to each retry delay. Default 0.2. */
  readonly jitter?: number
  /** A request slower than this is aborted and retried like a network error. Default 10 s. */
  readonly requestTimeoutMs?: number
  /** Batches are cut so a body stays at or under this many bytes. Default 450,000. */
  readonly maxBodyBytes?: number
  /** Bound of `shutdown()` in total. Default 5 s. */
  readonly shutdownTimeoutMs?: number
  /** Cap on an honoured `Retry-After`. Default 5 min. */
  readonly maxRetryAfterMs?: number
  /**
   * Runs on every event at flush time, before validation: the caller's PII pass. Returning
   * `undefined` drops the event silently; throwing drops it with YAVIO-1301. Default identity.
   */
  readonly prepare?: (event: SdkEvent) => SdkEvent | undefined
  /** Source of jitter, in [0, 1). Default `Math.random`. */
  readonly random?: () => number
}

export interface TransportStats {
  /** Events waiting in the buffer. */
  readonly queued: number
  /** Events of the batch being sent (including retry waits). */
  readonly inFlight: number
  /** Events ingest accepted. */
  readonly delivered: number
  /** HTTP requests made. */
  readonly requests: number
  readonly dropped: {
    /** Buffer overflow, oldest first (YAVIO-1206). */
    readonly overflow: number
    /** `prepare` threw (YAVIO-1301). */
    readonly prepareFailed: number
    /** Failed the generated validators (YAVIO-1300). */
    readonly invalid: number
    /** Serialised over MAX_EVENT_BYTES, or a lone event ingest answered 413 for (YAVIO-1304). */
    readonly tooLarge: number
    /** Rejected by ingest: 207 per event, 400 whole batch (YAVIO-1204). */
    readonly rejected: number
    /** Retries exhausted (YAVIO-1201). */
    readonly failed: number
    /** Buffered or in flight when ingest answered 401/403 (YAVIO-1203). */
    readonly unauthorized: number
    /** Not delivered within the shutdown bound (YAVIO-1205). */
    readonly shutdown: number
  }
  /** Ingest rejected the key: nothing is accepted or sent any more. */
  readonly stopped: boolean
  /** `shutdown()` was called. */
  readonly closed: boolean
}

export type HttpTransport = EventSink & { readonly stats: () => TransportStats }

type Outcome =
  | { readonly kind: "delivered" }
  | { readonly kind: "partial"; readonly rejected: number; readonly codes: string }
  | { readonly kind: "rejected"; readonly status: number; readonly codes: string }
  | { readonly kind: "unauthorized"; readonly status: number; readonly code: string | undefined }
  | { readonly kind: "tooLarge" }
  | {
      readonly kind: "retry"
      readonly reason: string
      readonly rateLimited: boolean
      readonly retryAfterMs: number | undefined
    }
  | { readonly kind: "abandoned" }

/** `Retry-After` as milliseconds: delta-seconds or an HTTP date; `undefined` when absent or unreadable. */
export const parseRetryAfter = (value: string | null, now: number = Date.now()): number | undefined => {
  if (value === null) return undefined
  const text = value.trim()
  if (/^\d+$/.test(text)) return Number(text) * 1000
  if (!/[a-z]/i.test(text)) return undefined // an HTTP date names its day and month
  const date = Date.parse(text)
  return Number.isNaN(date) ? undefined : Math.max(0, date - now)
}

/** `base` scaled by a uniform factor in [1 − jitter, 1 + jitter], rounded to whole ms. */
export const jitteredDelay = (base: number, jitter: number, random: () => number = Math.random): number =>
  Math.max(0, Math.round(base * (1 + jitter * (2 * random() - 1))))

const asRecord = (value: unknown): Record<string, unknown> | undefined =>
  typeof value === "object" && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined

const parseJson = (text: string): unknown => {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}

/** The `error.code` of an HTTP error body. */
const errorCode = (body: unknown): string | undefined => {
  const code = asRecord(asRecord(body)?.error)?.code
  return typeof code === "string" ? code : undefined
}

/** Codes of the rejected entries in a `results` array, counted: `YAVIO-2104 ×2, YAVIO-2108 ×1`. */
const rejectedCodes = (body: unknown): { readonly rejected: number; readonly summary: string } => {
  const results = asRecord(body)?.results
  if (!Array.isArray(results)) return { rejected: 0, summary: "" }
  const counts = new Map<string, number>()
  let rejected = 0
  for (const result of results) {
    const entry = asRecord(result)
    if (entry?.status !== "rejected") continue
    rejected++
    const code = asRecord(entry.error)?.code
    const key = typeof code === "string" ? code : "unknown code"
    counts.set(key, (counts.get(key) ?? 0) + 1)
  }
  return { rejected, summary: [...counts].map(([code, count]) => `${code} ×${count}`).join(", ") }
}

/** An event type fit for a log line (it is schema, not payload — but only if it looks like one). */
const typeLabel = (event: SdkEvent | undefined): string => {
  const type = event?.event_type
  return typeof type === "string" && /^[a-z][a-z0-9_]{0,63}$/.test(type) ? type : "event"
}

const describeNetworkError = (error: unknown): string => {
  const cause = asRecord(asRecord(error)?.cause)
  const code = cause?.code ?? asRecord(error)?.code
  if (typeof code === "string") return `network error (${code})`
  const name = asRecord(error)?.name
  return `network error (${typeof name === "string" ? name : "unknown"})`
}

const plural = (count: number, noun: string): string => `${count} ${noun}${count === 1 ? "" : "s"}`

/**
 * Events prepared per background turn (our decision): a burst is settled in slices of this many,
 * so the host's other requests never wait behind a whole buffer's PII pass.
 */
const SETTLE_SLICE = 32

/**
 * (our decision) Arrived events are prepared in slices, not one by one after every call: the PII
 * pass, the validators and the JSON of one event between two tool calls evict the host's hot code
 * and data from the CPU caches, and the next call pays for it (measured with bench:sdk). A slice
 * is prepared as soon as it is full, else at most this long after its first event arrived.
 */
const DEFAULT_SETTLE_DELAY_MS = 20

/** An event as it arrives: its place in the arrival order, for `flush()`'s target. */
interface Arrived {
  readonly seq: number
  readonly event: SdkEvent
}

/** An event ready to send: materialised, PII-stripped, validated and serialised. */
interface Prepared {
  readonly seq: number
  readonly line: string
  readonly bytes: number
}

const schedule = (task: () => void): void => {
  if (typeof setImmediate === "function") setImmediate(task)
  else setTimeout(task, 0)
}

/** Deferred to a macrotask so batch preparation never runs on the tool call's own turn. */
const nextTurn = (): Promise<void> =>
  new Promise((resolve) => {
    if (typeof setImmediate === "function") setImmediate(resolve)
    else setTimeout(resolve, 0)
  })

const unref = (timer: unknown): void => {
  ;(timer as { unref?: () => void } | undefined)?.unref?.()
}

export const createHttpTransport = (options: HttpTransportOptions): HttpTransport => {
  const {
    config,
    logger,
    sdkVersion,
    batchSize = DEFAULT_BATCH_SIZE,
    flushIntervalMs = DEFAULT_FLUSH_INTERVAL_MS,
    settleDelayMs = DEFAULT_SETTLE_DELAY_MS,
    bufferCap = DEFAULT_BUFFER_CAP,
    retryDelaysMs = DEFAULT_RETRY_DELAYS_MS,
    jitter = DEFAULT_JITTER,
    requestTimeoutMs = DEFAULT_REQUEST_TIMEOUT_MS,
    maxBodyBytes = DEFAULT_MAX_BODY_BYTES,
    shutdownTimeoutMs = DEFAULT_SHUTDOWN_TIMEOUT_MS,
    maxRetryAfterMs = DEFAULT_MAX_RETRY_AFTER_MS,
    prepare,
    random = Math.random,
  } = options
  const fetchImpl = options.fetch ?? globalThis.fetch
  const url = `${config.baseUrl}/v1/events`
  const keyPrefix = maskApiKey(config.apiKey)
  const sdkVersionJson = JSON.stringify(sdkVersion)
  // `{"events":[…],"sdk_version":"x.y.z","sent_at":"2025-01-01T00:00:00.000Z"}` without its events.
  const envelopeBytes = utf8ByteLength(
    `{"events":[],"sdk_version":${sdkVersionJson},"sent_at":"${new Date(0).toISOString()}"}`,
  )

  // Two FIFOs, `bufferCap` in all: events as enqueued (held for one turn at most, unless a burst
  // outruns the slices) and events prepared for sending. Every event leaves either one by being
  // cut into a batch or dropped, oldest first.
  const arrived = new BoundedQueue<Arrived>(bufferCap)
  const queue = new BoundedQueue<Prepared>(bufferCap)
  /** Sequence number of the next event enqueued. */
  let enqueued = 0
  let settleScheduled = false
  /** One timer for the slice deadline, re-armed with `refresh()`: no allocation per event. */
  let settleTimer: ReturnType<typeof setTimeout> | undefined
  let settleTimerArmed = false
  let inFlight = 0
  let delivered = 0
  let requests = 0
  const dropped = {
    overflow: 0,
    prepareFailed: 0,
    invalid: 0,
    tooLarge: 0,
    rejected: 0,
    failed: 0,
    unauthorized: 0,
    shutdown: 0,
  }
  /** Overflow drops not yet reported (reported in one line per flush cycle). */
  let overflowUnreported = 0

  let stopped = false // 401/403: for good
  let closed = false // shutdown() called: no new events
  let closing = false // shutdown drain running: keepalive, no long waits
  let abandoned = false // shutdown bound reached: stop touching anything
  let abandonShutdown: (() => void) | undefined

  /** Drain every event enqueued before this sequence number, even when fewer than `batchSize`. */
  let drainTarget = 0
  let pumping: Promise<void> | undefined
  const waiters: Array<{ readonly target: number; readonly resolve: () => void }> = []
  let currentRequest: AbortController | undefined
  let wakeSleep: (() => void) | undefined

  const interval = setInterval(() => {
    reportOverflow()
    requestDrain()
  }, flushIntervalMs)
  unref(interval)

  const reportOverflow = (): void => {
    if (overflowUnreported === 0) return
    logger.log("warn", "YAVIO-1206", `${plural(overflowUnreported, "event")} dropped`)
    overflowUnreported = 0
  }

  const settleWaiters = (all: boolean): void => {
    for (let i = waiters.length - 1; i >= 0; i--) {
      const waiter = waiters[i]!
      if (all || (waiter.target <= oldestPending() && inFlight === 0)) {
        waiters.splice(i, 1)
        waiter.resolve()
      }
    }
  }

  /** Starts the sender if it is idle; it sends full batches, and everything up to `drainTarget`. */
  const kick = (): void => {
    if (pumping !== undefined || stopped || abandoned) return
    pumping = pump()
  }

  const pending = (): number => arrived.size + queue.size

  /** Sequence number of the oldest event still buffered (`enqueued` when there is none). */
  const oldestPending = (): number => queue.peek()?.seq ?? arrived.peek()?.seq ?? enqueued

  const requestDrain = (): void => {
    drainTarget = enqueued
    if (pending() > 0) kick()
  }

  const pump = async (): Promise<void> => {
    await nextTurn()
    try {
      for (;;) {
        if (stopped || abandoned) break
        if (queue.size < batchSize) settle(batchSize)
        const wanted = queue.size >= batchSize || (queue.size > 0 && drainTarget > oldestPending())
        if (!wanted) break
        reportOverflow()
        const batch = cutBatch()
        if (batch.length > 0) {
          inFlight = batch.length
          await deliver(batch)
          if (abandoned) break
          inFlight = 0
        }
        settleWaiters(false)
      }
    } catch {
      // Defensive: the sender must never surface an error. Events of the broken batch are gone.
      inFlight = 0
    } finally {
      pumping = undefined
      settleWaiters(true)
    }
  }

  /**
   * Prepares up to `limit` arrived events, oldest first: builds their deferred fields, runs
   * `prepare` (the PII pass), the validators and the size check, and queues the JSON line.
   * Events that fail are dropped with their code, one log line per reason and run.
   */
  const settle = (limit: number): void => {
    const invalid = new Map<string, number>()
    let prepareFailed = 0
    const tooLarge: string[] = []
    for (let n = 0; n < limit; n++) {
      const next = arrived.shift()
      if (next === undefined) break
      let built: SdkEvent | undefined
      try {
        built = materialize(next.event)
      } catch {
        const key = `${typeLabel(next.event)}: its fields could not be built`
        invalid.set(key, (invalid.get(key) ?? 0) + 1)
        continue
      }
      let prepared: SdkEvent | undefined
      try {
        prepared = prepare === undefined ? built : prepare(built)
      } catch {
        prepareFailed++
        continue
      }
      if (prepared === undefined) continue
      const verdict = validateEvent(prepared)
      if (!verdict.ok) {
        const key = `${typeLabel(prepared)}: ${verdict.message} (${verdict.code})`
        invalid.set(key, (invalid.get(key) ?? 0) + 1)
        continue
      }
      let line: string
      try {
        line = JSON.stringify(prepared)
      } catch {
        const key = `${typeLabel(prepared)}: event is not JSON-serialisable`
        invalid.set(key, (invalid.get(key) ?? 0) + 1)
        continue
      }
      const bytes = utf8ByteLength(line)
      if (bytes > MAX_EVENT_BYTES) {
        tooLarge.push(`${typeLabel(prepared)} event of ${bytes} bytes`)
        continue
      }
      queue.push({ seq: next.seq, line, bytes })
    }

    if (prepareFailed > 0) {
      dropped.prepareFailed += prepareFailed
      logger.log("warn", "YAVIO-1301", `${plural(prepareFailed, "event")} dropped: the PII pass threw`)
    }
    for (const [reason, count] of invalid) {
      dropped.invalid += count
      logger.log("warn", "YAVIO-1300", `${plural(count, "event")} dropped — ${reason}`)
    }
    for (const what of tooLarge) {
      dropped.tooLarge++
      logger.log("warn", "YAVIO-1304", `${what} dropped; the limit is ${MAX_EVENT_BYTES} bytes`)
    }
  }

  /** A background turn: one slice of arrived events; the sender starts once a batch is ready. */
  const settleTurn = (): void => {
    settleScheduled = false
    try {
      if (stopped || abandoned) return
      settle(SETTLE_SLICE)
      if (arrived.size > 0) scheduleSettle()
      if (queue.size >= batchSize) kick()
    } catch {
      // never into the host
    }
  }

  const settleTimerFired = (): void => {
    settleTimerArmed = false
    settleTurn()
  }

  const scheduleSettle = (): void => {
    if (settleScheduled) return
    if (arrived.size >= SETTLE_SLICE || settleDelayMs <= 0) {
      settleScheduled = true
      schedule(settleTurn)
      return
    }
    if (settleTimerArmed) return
    settleTimerArmed = true
    if (settleTimer !== undefined && typeof settleTimer.refresh === "function") settleTimer.refresh()
    else {
      settleTimer = setTimeout(settleTimerFired, settleDelayMs)
      unref(settleTimer)
    }
  }

  /** Takes prepared events from the front of the queue: `batchSize` at most, body ≤ `maxBodyBytes`. */
  const cutBatch = (): string[] => {
    const lines: string[] = []
    let bodyBytes = envelopeBytes
    while (lines.length < batchSize) {
      const next = queue.peek()
      if (next === undefined) break
      const added = next.bytes + (lines.length > 0 ? 1 : 0)
      if (lines.length > 0 && bodyBytes + added > maxBodyBytes) break
      bodyBytes += added
      queue.shift()
      lines.push(next.line)
    }
    return lines
  }

  const sleep = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer)
        if (wakeSleep === done) wakeSleep = undefined
        resolve()
      }
      const timer = setTimeout(done, ms)
      // During shutdown the wait is bounded and must keep the process alive to deliver.
      if (!closing) unref(timer)
      wakeSleep = done
    })

  const send = async (lines: ReadonlyArray<string>): Promise<Outcome> => {
    const controller = new AbortController()
    currentRequest = controller
    let timedOut = false
    const timer = setTimeout(() => {
      timedOut = true
      controller.abort()
    }, requestTimeoutMs)
    if (!closing) unref(timer)
    try {
      const body = `{"events":[${lines.join(",")}],"sdk_version":${sdkVersionJson},"sent_at":"${new Date().toISOString()}"}`
      requests++
      const started = Date.now()
      const response = await fetchImpl(url, {
        method: "POST",
        headers: {
          authorization: `Bearer ${config.apiKey}`,
          "content-type": "application/json",
        },
        body,
        signal: controller.signal,
        keepalive: closing,
      })
      const text = await response.text()
      if (abandoned) return { kind: "abandoned" }
      logger.debug?.(
        `flush: ${plural(lines.length, "event")} (${body.length} chars) → ${response.status} in ${Date.now() - started} ms`,
      )
      const status = response.status
      const json = parseJson(text)
      if (status === 207) {
        const { rejected, summary } = rejectedCodes(json)
        const fallback = asRecord(json)?.rejected
        return {
          kind: "partial",
          rejected: rejected > 0 ? rejected : typeof fallback === "number" ? fallback : 0,
          codes: summary,
        }
      }
      if (status >= 200 && status < 300) return { kind: "delivered" }
      if (status === 400) {
        const code = errorCode(json)
        const { summary } = rejectedCodes(json)
        return { kind: "rejected", status, codes: [code, summary].filter((s) => s).join("; ") }
      }
      if (status === 401 || status === 403) return { kind: "unauthorized", status, code: errorCode(json) }
      if (status === 413) return { kind: "tooLarge" }
      const retryAfter = parseRetryAfter(response.headers.get("retry-after"))
      const code = errorCode(json)
      return {
        kind: "retry",
        reason: `${status}${code === undefined ? "" : ` (${code})`}`,
        rateLimited: status === 429,
        retryAfterMs: retryAfter === undefined ? undefined : Math.min(retryAfter, maxRetryAfterMs),
      }
    } catch (error) {
      if (abandoned) return { kind: "abandoned" }
      return {
        kind: "retry",
        reason: timedOut ? `timed out after ${requestTimeoutMs} ms` : describeNetworkError(error),
        rateLimited: false,
        retryAfterMs: undefined,
      }
    } finally {
      clearTimeout(timer)
      if (currentRequest === controller) currentRequest = undefined
    }
  }

  const stopForGood = (status: number, code: string | undefined): void => {
    const lost = inFlight + pending()
    stopped = true
    clearInterval(interval)
    clearTimeout(settleTimer)
    dropped.unauthorized += lost
    queue.clear()
    arrived.clear()
    inFlight = 0
    logger.log(
      "error",
      "YAVIO-1203",
      `ingest answered ${status}${code === undefined ? "" : ` (${code})`} for key ${keyPrefix}; sending stopped, ${plural(lost, "event")} dropped`,
    )
  }

  /** Sends one batch to its end: delivered, rejected, split, or dropped after the retries. */
  const deliver = async (lines: ReadonlyArray<string>): Promise<void> => {
    const attempts = retryDelaysMs.length + 1
    for (let attempt = 1; ; attempt++) {
      if (stopped || abandoned) return
      const outcome = await send(lines)
      if (abandoned || stopped) return
      switch (outcome.kind) {
        case "abandoned":
          return
        case "delivered":
          delivered += lines.length
          inFlight -= lines.length
          return
        case "partial": {
          const rejected = Math.min(outcome.rejected, lines.length)
          delivered += lines.length - rejected
          dropped.rejected += rejected
          inFlight -= lines.length
          logger.log(
            "warn",
            "YAVIO-1204",
            `${rejected} of ${plural(lines.length, "event")} rejected${outcome.codes === "" ? "" : `: ${outcome.codes}`}`,
          )
          return
        }
        case "rejected":
          dropped.rejected += lines.length
          inFlight -= lines.length
          logger.log(
            "warn",
            "YAVIO-1204",
            `whole batch of ${plural(lines.length, "event")} rejected (${outcome.status}${outcome.codes === "" ? "" : ` ${outcome.codes}`})`,
          )
          return
        case "unauthorized":
          stopForGood(outcome.status, outcome.code)
          return
        case "tooLarge": {
          if (lines.length === 1) {
            dropped.tooLarge++
            inFlight--
            logger.log("warn", "YAVIO-1304", "ingest answered 413 for a single event; dropped")
            return
          }
          const half = Math.ceil(lines.length / 2)
          logger.debug?.(`flush: 413, splitting ${lines.length} events in two`)
          await deliver(lines.slice(0, half))
          await deliver(lines.slice(half))
          return
        }
        case "retry": {
          if (attempt >= attempts) {
            dropped.failed += lines.length
            inFlight -= lines.length
            logger.log(
              "error",
              "YAVIO-1201",
              `${plural(lines.length, "event")} dropped after ${attempts} attempts; last: ${outcome.reason}`,
            )
            return
          }
          let delay = outcome.retryAfterMs ?? jitteredDelay(retryDelaysMs[attempt - 1] ?? 0, jitter, random)
          // While shutting down our own backoff shrinks to fit the bound (a tenth of it per wait);
          // the server's Retry-After is respected, which may mean giving up below.
          if (closing && outcome.retryAfterMs === undefined) delay = Math.min(delay, shutdownTimeoutMs / 10)
          logger.log(
            "warn",
            outcome.rateLimited ? "YAVIO-1202" : "YAVIO-1200",
            `attempt ${attempt} of ${attempts}: ${outcome.reason}; retrying in ${delay} ms`,
          )
          if (closing && delay > shutdownRemaining()) {
            // Shutdown cannot outwait a rate limit or a backoff longer than what is left.
            abandon()
            return
          }
          await sleep(delay)
        }
      }
    }
  }

  let shutdownDeadline = 0
  const shutdownRemaining = (): number => shutdownDeadline - Date.now()
  let shutdownPromise: Promise<void> | undefined

  /** The shutdown bound is reached (or cannot be met): what is left is reported and dropped. */
  const abandon = (): void => {
    if (abandoned) return
    abandoned = true
    const unsent = inFlight + pending()
    currentRequest?.abort()
    wakeSleep?.()
    queue.clear()
    arrived.clear()
    inFlight = 0
    if (unsent > 0) {
      dropped.shutdown += unsent
      logger.log(
        "warn",
        "YAVIO-1205",
        `${plural(unsent, "event")} not delivered within the ${shutdownTimeoutMs} ms shutdown bound`,
      )
    }
    abandonShutdown?.()
    settleWaiters(true)
  }

  const runShutdown = async (): Promise<void> => {
    closed = true
    clearInterval(interval)
    clearTimeout(settleTimer)
    if (stopped) return
    closing = true
    shutdownDeadline = Date.now() + shutdownTimeoutMs
    wakeSleep?.() // a batch waiting for its next retry goes now, with keepalive
    let timer: ReturnType<typeof setTimeout> | undefined
    const bound = new Promise<void>((resolve) => {
      abandonShutdown = resolve
      // Ref'd on purpose: the drain may keep the process alive, but never longer than this.
      timer = setTimeout(abandon, shutdownTimeoutMs)
    })
    const drained = new Promise<void>((resolve) => {
      waiters.push({ target: enqueued, resolve })
      requestDrain()
      if (pumping === undefined) settleWaiters(true) // nothing to send (or stopped meanwhile)
    })
    await Promise.race([bound, drained])
    clearTimeout(timer)
    abandonShutdown = undefined
    reportOverflow()
  }

  return {
    enqueue: (event) => {
      try {
        if (closed || stopped) return
        if (pending() >= bufferCap) {
          // Full: the oldest event goes, prepared or not (sdk.md §6.1).
          if (queue.size > 0) queue.shift()
          else arrived.shift()
          dropped.overflow++
          overflowUnreported++
        }
        arrived.push({ seq: enqueued++, event })
        scheduleSettle()
      } catch {
        // never into the host
      }
    },

    flush: () =>
      new Promise<void>((resolve) => {
        try {
          if (stopped || abandoned || (pending() === 0 && inFlight === 0)) {
            reportOverflow()
            resolve()
            return
          }
          waiters.push({ target: enqueued, resolve })
          requestDrain()
        } catch {
          resolve()
        }
      }),

    shutdown: () => {
      shutdownPromise ??= runShutdown().catch(() => {})
      return shutdownPromise
    },

    stats: () => ({
      queued: pending(),
      inFlight,
      delivered,
      requests,
      dropped: { ...dropped },
      stopped,
      closed,
    }),
  }
}
