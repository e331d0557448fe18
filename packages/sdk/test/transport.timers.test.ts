import { afterEach, beforeEach, describe, expect, it, vi } from "vitest"
import {
  createHttpTransport,
  type HttpTransportOptions,
  jitteredDelay,
  parseRetryAfter,
} from "../src/transport/HttpTransport.js"
import {
  configFor,
  type IngestServer,
  linesWith,
  type RecordedLine,
  recordingLogger,
  startIngestServer,
  trackEvent,
} from "./transport.support.js"

// The spec's real schedules (10 s interval, 1-2-4-8-16 s backoff, Retry-After in seconds) with
// vitest's fake clock; requests still go to a real local HTTP server. setImmediate and I/O stay
// real, so only the waits are compressed.

let server: IngestServer
let lines: RecordedLine[]
/** Fake-clock time of every fetch call. */
let calls: number[]

beforeEach(async () => {
  vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "setInterval", "clearInterval", "Date"] })
  server = await startIngestServer()
  calls = []
})
afterEach(async () => {
  vi.useRealTimers()
  await server.close()
})

const transport = (options: Partial<HttpTransportOptions> = {}) => {
  const recorded = recordingLogger()
  lines = recorded.lines
  return createHttpTransport({
    config: configFor(server),
    logger: recorded.logger,
    sdkVersion: "1.2.3",
    jitter: 0,
    fetch: (input, init) => {
      calls.push(Date.now())
      return fetch(input, init)
    },
    ...options,
  })
}

/** Lets real I/O (the request, its answer) complete while the fake clock stands still. */
const settle = async (requests: number): Promise<void> => {
  await server.waitForRequests(requests)
  await vi.advanceTimersByTimeAsync(0)
}

describe("flush interval", () => {
  it("a partial batch is sent when the 10 s timer fires, not before", async () => {
    const sink = transport()
    sink.enqueue(trackEvent("t0"))
    await vi.advanceTimersByTimeAsync(9_999)
    expect(calls).toHaveLength(0)
    await vi.advanceTimersByTimeAsync(1)
    await settle(1)
    expect(server.events()).toHaveLength(1)

    // …and again on the next tick.
    sink.enqueue(trackEvent("t1"))
    await vi.advanceTimersByTimeAsync(10_000)
    await settle(2)
    expect(server.requests).toHaveLength(2)
    await sink.shutdown()
  })

  it("flushIntervalMs is honoured", async () => {
    const sink = transport({ flushIntervalMs: 250 })
    sink.enqueue(trackEvent())
    await vi.advanceTimersByTimeAsync(250)
    await settle(1)
    expect(server.requests).toHaveLength(1)
    await sink.shutdown()
  })
})

describe("retry schedule", () => {
  it("backs off 1-2-4-8-16 s, then drops the batch with YAVIO-1201", async () => {
    server.respond(() => ({ status: 503 }))
    const sink = transport()
    sink.enqueue(trackEvent())
    const flushed = sink.flush()
    await settle(1)
    for (const [i, delay] of [1000, 2000, 4000, 8000, 16000].entries()) {
      await vi.advanceTimersByTimeAsync(delay - 1)
      expect(calls).toHaveLength(i + 1)
      await vi.advanceTimersByTimeAsync(1)
      await settle(i + 2)
    }
    await flushed
    expect(calls.slice(1).map((at, i) => at - (calls[i] ?? 0))).toEqual([1000, 2000, 4000, 8000, 16000])
    expect(linesWith(lines, "YAVIO-1200")).toHaveLength(5)
    expect(linesWith(lines, "YAVIO-1201")).toEqual([
      "[yavio] YAVIO-1201 error: Event flush failed (max retries): 1 event dropped after 6 attempts; last: 503",
    ])
    expect(sink.stats()).toMatchObject({ inFlight: 0, dropped: { failed: 1 } })
    await sink.shutdown()
  })

  it("applies ±20 % jitter to each delay", async () => {
    server.respond((_request, index) => (index < 2 ? { status: 503 } : { status: 200 }))
    const randoms = [0, 0.999_999]
    const sink = transport({ jitter: 0.2, random: () => randoms.shift() ?? 0.5 })
    sink.enqueue(trackEvent())
    const flushed = sink.flush()
    await settle(1)
    await vi.advanceTimersByTimeAsync(800) // 1000 × 0.8
    await settle(2)
    await vi.advanceTimersByTimeAsync(2400) // 2000 × 1.2
    await settle(3)
    await flushed
    expect(calls.slice(1).map((at, i) => at - (calls[i] ?? 0))).toEqual([800, 2400])
    expect(sink.stats().delivered).toBe(1)
    await sink.shutdown()
  })

  it("Retry-After (seconds) on 429 wins over the schedule", async () => {
    server.respond((_request, index) =>
      index === 0 ? { status: 429, headers: { "retry-after": "3" } } : { status: 200 },
    )
    const sink = transport()
    sink.enqueue(trackEvent())
    const flushed = sink.flush()
    await settle(1)
    await vi.advanceTimersByTimeAsync(2_999)
    expect(calls).toHaveLength(1)
    await vi.advanceTimersByTimeAsync(1)
    await settle(2)
    await flushed
    expect(linesWith(lines, "YAVIO-1202")[0]).toContain("retrying in 3000 ms")
    await sink.shutdown()
  })

  it("Retry-After as an HTTP date on 503", async () => {
    server.respond((_request, index) =>
      index === 0
        ? { status: 503, headers: { "retry-after": new Date(Date.now() + 7_000).toUTCString() } }
        : { status: 200 },
    )
    const sink = transport()
    sink.enqueue(trackEvent())
    const flushed = sink.flush()
    await settle(1)
    await vi.advanceTimersByTimeAsync(6_000)
    expect(calls).toHaveLength(1)
    await vi.advanceTimersByTimeAsync(1_000)
    await settle(2)
    await flushed
    expect(sink.stats().delivered).toBe(1)
    await sink.shutdown()
  })

  it("a Retry-After beyond maxRetryAfterMs waits the cap", async () => {
    server.respond((_request, index) =>
      index === 0 ? { status: 429, headers: { "retry-after": "86400" } } : { status: 200 },
    )
    const sink = transport({ maxRetryAfterMs: 60_000 })
    sink.enqueue(trackEvent())
    const flushed = sink.flush()
    await settle(1)
    await vi.advanceTimersByTimeAsync(60_000)
    await settle(2)
    await flushed
    expect(calls[1]! - calls[0]!).toBe(60_000)
    await sink.shutdown()
  })
})

describe("parseRetryAfter and jitteredDelay", () => {
  it("reads delta-seconds and HTTP dates, ignores junk", () => {
    const now = Date.parse("2025-06-01T12:00:00Z")
    expect(parseRetryAfter("0", now)).toBe(0)
    expect(parseRetryAfter(" 12 ", now)).toBe(12_000)
    expect(parseRetryAfter("Sun, 01 Jun 2025 12:00:30 GMT", now)).toBe(30_000)
    expect(parseRetryAfter("Sun, 01 Jun 2025 11:00:00 GMT", now)).toBe(0)
    expect(parseRetryAfter(null, now)).toBeUndefined()
    expect(parseRetryAfter("soon", now)).toBeUndefined()
    expect(parseRetryAfter("-5", now)).toBeUndefined()
  })

  it("stays within ±jitter of the base", () => {
    for (let i = 0; i < 1_000; i++) {
      const delay = jitteredDelay(16_000, 0.2)
      expect(delay).toBeGreaterThanOrEqual(12_800)
      expect(delay).toBeLessThanOrEqual(19_200)
    }
    expect(jitteredDelay(1000, 0.2, () => 0.5)).toBe(1000)
    expect(jitteredDelay(1000, 0, () => 0)).toBe(1000)
  })
})
