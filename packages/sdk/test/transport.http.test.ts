import { afterEach, beforeEach, describe, expect, it } from "vitest"
import type { SdkEvent } from "../src/core/contracts.js"
import { createHttpTransport, type HttpTransportOptions } from "../src/transport/HttpTransport.js"
import { MAX_EVENT_BYTES } from "../src/validators.generated.js"
import {
  API_KEY,
  configFor,
  type IngestServer,
  linesWith,
  names,
  type RecordedLine,
  recordingLogger,
  startIngestServer,
  trackEvent,
} from "./transport.support.js"

// sdk.md §6 against a real local HTTP endpoint. Retries use small delays passed as options;
// the real 10 s / 1-2-4-8-16 s schedules are checked with fake timers in transport.timers.test.ts.

let server: IngestServer
let lines: RecordedLine[]
const allLines: RecordedLine[] = []

beforeEach(async () => {
  server = await startIngestServer()
})
afterEach(async () => {
  await server.close()
  allLines.push(...lines)
})

const transport = (options: Partial<HttpTransportOptions> = {}) => {
  const recorded = recordingLogger()
  lines = recorded.lines
  return createHttpTransport({
    config: configFor(server),
    logger: recorded.logger,
    sdkVersion: "1.2.3",
    retryDelaysMs: [5, 10, 20, 40, 80],
    jitter: 0,
    ...options,
  })
}

const enqueueAll = (sink: { enqueue: (event: SdkEvent) => void }, events: ReadonlyArray<SdkEvent>) => {
  for (const event of events) sink.enqueue(event)
}

const range = (count: number, prefix = "e") =>
  Array.from({ length: count }, (_, i) => trackEvent(`${prefix}${i}`))

describe("request", () => {
  it("POSTs { events, sdk_version, sent_at } to {base}/v1/events with the bearer key", async () => {
    const sink = transport()
    const events = range(3)
    enqueueAll(sink, events)
    await sink.flush()

    expect(server.requests).toHaveLength(1)
    const [request] = server.requests
    expect(request?.method).toBe("POST")
    expect(request?.path).toBe("/v1/events")
    expect(request?.headers.authorization).toBe(`Bearer ${API_KEY}`)
    expect(request?.headers["content-type"]).toBe("application/json")
    expect(request?.body.sdk_version).toBe("1.2.3")
    expect(Date.parse(request?.body.sent_at ?? "")).toBeGreaterThan(Date.now() - 60_000)
    expect(request?.body.events).toEqual(events.map((event) => ({ ...event })))
    expect(sink.stats()).toMatchObject({ delivered: 3, queued: 0, inFlight: 0, requests: 1 })
    await sink.shutdown()
  })

  it("a base URL with a path prefix keeps it", async () => {
    const sink = createHttpTransport({
      config: { apiKey: API_KEY, baseUrl: `${server.baseUrl}/ingest` },
      logger: recordingLogger().logger,
      sdkVersion: "1.2.3",
    })
    lines = []
    sink.enqueue(trackEvent())
    await sink.flush()
    expect(server.requests[0]?.path).toBe("/ingest/v1/events")
    await sink.shutdown()
  })

  it("flush() with nothing buffered makes no request", async () => {
    const sink = transport()
    await sink.flush()
    expect(server.requests).toHaveLength(0)
    await sink.shutdown()
  })
})

describe("batching", () => {
  it("reaching the batch size sends at once, without waiting for the timer or flush()", async () => {
    const sink = transport({ batchSize: 100, flushIntervalMs: 60_000 })
    enqueueAll(sink, range(99))
    expect(sink.stats().queued).toBe(99)
    sink.enqueue(trackEvent("e99"))
    await server.waitForRequests(1)
    expect(server.requests[0]?.body.events).toHaveLength(100)

    // A partial batch waits for the timer or flush().
    enqueueAll(sink, range(50, "f"))
    expect(sink.stats().queued).toBe(50)
    await sink.flush()
    expect(server.requests.map((request) => request.body.events.length)).toEqual([100, 50])
    await sink.shutdown()
  })

  it("one request in flight at a time; order is preserved across batches", async () => {
    server.respond((request) => ({
      status: 200,
      body: { accepted: request.body.events.length },
      delayMs: 15,
    }))
    const sink = transport({ batchSize: 10 })
    const events = range(45)
    enqueueAll(sink, events)
    await sink.flush()
    expect(server.requests.map((request) => request.body.events.length)).toEqual([10, 10, 10, 10, 5])
    expect(server.maxConcurrent()).toBe(1)
    expect(names(server.events())).toEqual(names(events))
    await sink.shutdown()
  })

  it("cuts batches so each body stays under maxBodyBytes", async () => {
    const sink = transport({ maxBodyBytes: 25_000 })
    const padding = "x".repeat(10_000)
    const events = Array.from({ length: 7 }, (_, i) => trackEvent(`big${i}`, { metadata: { padding } }))
    enqueueAll(sink, events)
    await sink.flush()
    expect(server.requests.map((request) => request.body.events.length)).toEqual([2, 2, 2, 1])
    for (const request of server.requests) expect(request.bytes).toBeLessThanOrEqual(25_000)
    expect(names(server.events())).toEqual(names(events))
    await sink.shutdown()
  })

  it("the default body limit keeps a full batch of large events under ingest's 500 KB", async () => {
    const sink = transport()
    const padding = "é".repeat(4_000) // 8 KB of UTF-8 per event
    enqueueAll(
      sink,
      Array.from({ length: 100 }, (_, i) => trackEvent(`big${i}`, { metadata: { padding } })),
    )
    await sink.flush()
    expect(server.events()).toHaveLength(100)
    expect(server.requests.length).toBeGreaterThan(1)
    for (const request of server.requests) expect(request.bytes).toBeLessThanOrEqual(450_000)
    await sink.shutdown()
  })

  it("overflow drops the oldest events and logs YAVIO-1206 with the count", async () => {
    const sink = transport({ bufferCap: 5 })
    enqueueAll(sink, range(17))
    expect(sink.stats()).toMatchObject({ queued: 5, dropped: { overflow: 12 } })
    await sink.flush()
    expect(names(server.events())).toEqual(["e12", "e13", "e14", "e15", "e16"])
    expect(linesWith(lines, "YAVIO-1206")).toEqual([
      "[yavio] YAVIO-1206 warn: Buffer overflow (events dropped): 12 events dropped — fix: Events arrive faster than they can be sent: check the endpoint is reachable.",
    ])
    await sink.shutdown()
  })

  it("enqueue is synchronous and never waits on a hanging endpoint", async () => {
    server.respond(() => "hang")
    const sink = transport({ batchSize: 10, requestTimeoutMs: 60_000, shutdownTimeoutMs: 100 })
    const events = range(10_000)
    sink.enqueue(events[0]!)
    for (const event of events.slice(1, 10)) expect(sink.enqueue(event)).toBeUndefined()
    await server.waitForRequests(1)
    // The request hangs; enqueue goes on, synchronously, straight into the buffer.
    for (const event of events.slice(10)) sink.enqueue(event)
    expect(sink.stats()).toMatchObject({ inFlight: 10, queued: 9_990, requests: 1 })
    await sink.shutdown() // the hanging request is abandoned after the bound
    expect(sink.stats().dropped.shutdown).toBe(10_000)
  })
})

describe("flush-time pipeline: prepare → validate → size", () => {
  it("prepare runs at flush time, not on enqueue, and its output is what is sent", async () => {
    const seen: string[] = []
    const sink = transport({
      prepare: (event) => {
        seen.push(String(event.event_name))
        return { ...event, metadata: { email: "[EMAIL]" } }
      },
    })
    sink.enqueue(trackEvent("p0", { metadata: { email: "jane@example.com" } }))
    expect(seen).toEqual([])
    await sink.flush()
    expect(seen).toEqual(["p0"])
    expect(server.events()[0]?.metadata).toEqual({ email: "[EMAIL]" })
    expect(server.requests[0]?.raw).not.toContain("jane@example.com")
    await sink.shutdown()
  })

  it("prepare returning undefined drops silently; throwing drops with YAVIO-1301", async () => {
    const sink = transport({
      prepare: (event) => {
        if (event.event_name === "skip") return undefined
        if (event.event_name === "boom") throw new Error("secret value jane@example.com")
        return event
      },
    })
    enqueueAll(sink, [trackEvent("skip"), trackEvent("boom"), trackEvent("keep")])
    await sink.flush()
    expect(names(server.events())).toEqual(["keep"])
    expect(linesWith(lines, "YAVIO-1301")).toEqual([
      "[yavio] YAVIO-1301 warn: PII stripping failed (event dropped): 1 event dropped: the PII pass threw",
    ])
    expect(lines.some((entry) => entry.line.includes("jane@example.com"))).toBe(false)
    expect(sink.stats().dropped.prepareFailed).toBe(1)
    await sink.shutdown()
  })

  it("invalid events are dropped with YAVIO-1300 naming the field, never the value", async () => {
    const sink = transport()
    const secret = "n".repeat(300)
    enqueueAll(sink, [
      trackEvent("good1"),
      trackEvent(secret),
      trackEvent(secret),
      { ...trackEvent("bad-source"), source: "mobile" as "server" },
      trackEvent("good2"),
    ])
    await sink.flush()
    expect(names(server.events())).toEqual(["good1", "good2"])
    expect(linesWith(lines, "YAVIO-1300")).toEqual([
      "[yavio] YAVIO-1300 warn: Event validation failed (dropped): 2 events dropped — track: event_name exceeds 256 characters (YAVIO-2104)",
      "[yavio] YAVIO-1300 warn: Event validation failed (dropped): 1 event dropped — track: source must be one of: server, widget (YAVIO-2100)",
    ])
    expect(lines.some((entry) => entry.line.includes("nnnnnnnn") || entry.line.includes("mobile"))).toBe(
      false,
    )
    expect(sink.stats().dropped.invalid).toBe(3)
    await sink.shutdown()
  })

  it("events that cannot be serialised are dropped with YAVIO-1300", async () => {
    const sink = transport()
    enqueueAll(sink, [trackEvent("loop", { metadata: { big: 10n } }), trackEvent("ok")])
    await sink.flush()
    expect(names(server.events())).toEqual(["ok"])
    expect(linesWith(lines, "YAVIO-1300")).toHaveLength(1)
    await sink.shutdown()
  })

  it("an event over MAX_EVENT_BYTES serialised is dropped with YAVIO-1304", async () => {
    const sink = transport()
    enqueueAll(sink, [
      trackEvent("huge", { metadata: { blob: "x".repeat(MAX_EVENT_BYTES) } }),
      trackEvent("small"),
    ])
    await sink.flush()
    expect(names(server.events())).toEqual(["small"])
    const [line] = linesWith(lines, "YAVIO-1304")
    expect(line).toMatch(
      /^\[yavio\] YAVIO-1304 warn: Event payload too large: track event of \d+ bytes dropped/,
    )
    expect(sink.stats().dropped.tooLarge).toBe(1)
    await sink.shutdown()
  })
})

describe("responses", () => {
  it("207: accepted events are done, rejected ones are logged with codes counted and discarded", async () => {
    server.respond((request) => ({
      status: 207,
      body: {
        accepted: request.body.events.length - 3,
        rejected: 3,
        results: request.body.events.map((_, i) =>
          i === 1 || i === 3
            ? {
                status: "rejected",
                error: { code: "YAVIO-2104", message: "event_name exceeds 256 characters" },
              }
            : i === 4
              ? { status: "rejected", error: { code: "YAVIO-2108", message: "too large" } }
              : { status: "accepted" },
        ),
      },
    }))
    const sink = transport()
    enqueueAll(sink, range(6))
    await sink.flush()
    expect(server.requests).toHaveLength(1) // never retried
    expect(linesWith(lines, "YAVIO-1204")).toEqual([
      "[yavio] YAVIO-1204 warn: Partial batch rejection: 3 of 6 events rejected: YAVIO-2104 ×2, YAVIO-2108 ×1",
    ])
    expect(sink.stats()).toMatchObject({ delivered: 3, dropped: { rejected: 3 }, inFlight: 0 })
    await sink.shutdown()
  })

  it("400: the whole batch is discarded with its code; later batches still go", async () => {
    server.respond((_request, index) =>
      index === 0
        ? { status: 400, body: { error: { code: "YAVIO-2110", message: "events is empty", status: 400 } } }
        : { status: 200, body: {} },
    )
    const sink = transport({ batchSize: 2 })
    enqueueAll(sink, range(4))
    await sink.flush()
    expect(server.requests).toHaveLength(2)
    expect(linesWith(lines, "YAVIO-1204")).toEqual([
      "[yavio] YAVIO-1204 warn: Partial batch rejection: whole batch of 2 events rejected (400 YAVIO-2110)",
    ])
    expect(sink.stats()).toMatchObject({ delivered: 2, dropped: { rejected: 2 } })
    await sink.shutdown()
  })

  it.each([401, 403])(
    "%i: YAVIO-1203 once, buffer dropped, nothing accepted or sent ever again",
    async (status) => {
      server.respond(() => ({
        status,
        body: { error: { code: "YAVIO-2001", message: "Invalid API key", status } },
      }))
      const sink = transport({ batchSize: 2 })
      enqueueAll(sink, range(5)) // two full batches are cut at once; the first is answered 401
      await sink.flush()
      expect(server.requests).toHaveLength(1)
      expect(sink.stats()).toMatchObject({
        stopped: true,
        queued: 0,
        inFlight: 0,
        dropped: { unauthorized: 5 },
      })
      const auth = linesWith(lines, "YAVIO-1203")
      expect(auth).toEqual([
        `[yavio] YAVIO-1203 error: Authentication rejected (permanent): ingest answered ${status} (YAVIO-2001) for key yav_TEST...; sending stopped, 5 events dropped — fix: The API key was rejected: create or rotate a key in the dashboard; events are no longer sent.`,
      ])

      enqueueAll(sink, range(10))
      expect(sink.stats().queued).toBe(0)
      await sink.flush()
      await sink.shutdown()
      expect(server.requests).toHaveLength(1)
      expect(linesWith(lines, "YAVIO-1203")).toHaveLength(1)
    },
  )

  it("413: the batch is split in half and both halves resent, in order", async () => {
    server.respond((request) =>
      request.body.events.length > 2 ? { status: 413, body: {} } : { status: 200, body: {} },
    )
    const sink = transport()
    const events = range(7)
    enqueueAll(sink, events)
    await sink.flush()
    // 7 → 413 → [4] 413 → [2] [2], [3] 413 → [2] [1]
    expect(server.requests.map((request) => request.body.events.length)).toEqual([7, 4, 2, 2, 3, 2, 1])
    const accepted = server.requests.filter((request) => request.body.events.length <= 2)
    expect(names(accepted.flatMap((request) => request.body.events))).toEqual(names(events))
    expect(sink.stats()).toMatchObject({ delivered: 7, inFlight: 0 })
    await sink.shutdown()
  })

  it("413 for a single event drops it with YAVIO-1304", async () => {
    server.respond(() => ({ status: 413, body: {} }))
    const sink = transport()
    sink.enqueue(trackEvent("alone"))
    await sink.flush()
    expect(server.requests).toHaveLength(1)
    expect(linesWith(lines, "YAVIO-1304")).toHaveLength(1)
    expect(sink.stats().dropped.tooLarge).toBe(1)
    await sink.shutdown()
  })

  it("429: YAVIO-1202, the batch is kept and resent after the wait", async () => {
    server.respond((_request, index) =>
      index === 0
        ? { status: 429, headers: { "retry-after": "0" }, body: { error: { code: "YAVIO-2050" } } }
        : { status: 200, body: {} },
    )
    const sink = transport()
    enqueueAll(sink, range(3))
    await sink.flush()
    expect(server.requests).toHaveLength(2)
    expect(server.requests[1]?.body.events).toEqual(server.requests[0]?.body.events)
    expect(linesWith(lines, "YAVIO-1202")).toEqual([
      "[yavio] YAVIO-1202 warn: Event flush rate-limited: attempt 1 of 6: 429 (YAVIO-2050); retrying in 0 ms",
    ])
    expect(sink.stats().delivered).toBe(3)
    await sink.shutdown()
  })

  it("503 and other 5xx: YAVIO-1200 per attempt, then delivered; the same event ids are resent", async () => {
    server.respond((_request, index) =>
      index < 2
        ? { status: index === 0 ? 503 : 500, body: { error: { code: "YAVIO-2401" } } }
        : { status: 200 },
    )
    const sink = transport()
    enqueueAll(sink, range(2))
    await sink.flush()
    expect(server.requests).toHaveLength(3)
    const ids = server.requests.map((request) => request.body.events.map((event) => event.event_id))
    expect(ids[1]).toEqual(ids[0])
    expect(ids[2]).toEqual(ids[0])
    expect(linesWith(lines, "YAVIO-1200")).toEqual([
      "[yavio] YAVIO-1200 warn: Event flush failed (retrying): attempt 1 of 6: 503 (YAVIO-2401); retrying in 5 ms",
      "[yavio] YAVIO-1200 warn: Event flush failed (retrying): attempt 2 of 6: 500 (YAVIO-2401); retrying in 10 ms",
    ])
    expect(sink.stats().delivered).toBe(2)
    await sink.shutdown()
  })

  it("retries exhausted: the batch is dropped with YAVIO-1201 and the next batch goes", async () => {
    server.respond((request) =>
      request.body.events[0]?.event_name === "e0" ? { status: 503 } : { status: 200 },
    )
    const sink = transport({ batchSize: 1 })
    enqueueAll(sink, range(2))
    await sink.flush()
    expect(server.requests).toHaveLength(7) // 6 attempts for e0, 1 for e1
    expect(linesWith(lines, "YAVIO-1200")).toHaveLength(5)
    expect(linesWith(lines, "YAVIO-1201")).toEqual([
      "[yavio] YAVIO-1201 error: Event flush failed (max retries): 1 event dropped after 6 attempts; last: 503",
    ])
    expect(sink.stats()).toMatchObject({ delivered: 1, dropped: { failed: 1 } })
    await sink.shutdown()
  })

  it("a network error is retried (YAVIO-1200), events kept", async () => {
    server.respond((_request, index) => (index === 0 ? "destroy" : { status: 200 }))
    const sink = transport()
    enqueueAll(sink, range(2))
    await sink.flush()
    expect(server.requests).toHaveLength(2)
    expect(linesWith(lines, "YAVIO-1200")[0]).toMatch(
      /attempt 1 of 6: network error \(\w+\); retrying in 5 ms/,
    )
    expect(sink.stats().delivered).toBe(2)
    await sink.shutdown()
  })

  it("an unreachable endpoint: retried, then dropped with YAVIO-1201; flush() still resolves", async () => {
    const dead = await startIngestServer()
    await dead.close()
    const recorded = recordingLogger()
    lines = recorded.lines
    const sink = createHttpTransport({
      config: configFor(dead),
      logger: recorded.logger,
      sdkVersion: "1.2.3",
      retryDelaysMs: [1, 1],
      jitter: 0,
    })
    sink.enqueue(trackEvent())
    await expect(sink.flush()).resolves.toBeUndefined()
    expect(linesWith(lines, "YAVIO-1200")[0]).toContain("network error (ECONNREFUSED)")
    expect(linesWith(lines, "YAVIO-1201")).toHaveLength(1)
    await sink.shutdown()
  })

  it("a request slower than requestTimeoutMs is aborted and retried like a network error", async () => {
    server.respond((_request, index) => (index === 0 ? "hang" : { status: 200 }))
    const sink = transport({ requestTimeoutMs: 250 })
    sink.enqueue(trackEvent())
    await sink.flush()
    expect(server.requests.length).toBeGreaterThanOrEqual(2)
    expect(linesWith(lines, "YAVIO-1200")[0]).toBe(
      "[yavio] YAVIO-1200 warn: Event flush failed (retrying): attempt 1 of 6: timed out after 250 ms; retrying in 5 ms",
    )
    expect(sink.stats().delivered).toBe(1)
    await sink.shutdown()
  })

  it("Retry-After wins over the schedule on 503 too", async () => {
    server.respond((_request, index) =>
      index === 0 ? { status: 503, headers: { "retry-after": "0" } } : { status: 200 },
    )
    const sink = transport({ retryDelaysMs: [60_000] })
    sink.enqueue(trackEvent())
    await sink.flush()
    expect(linesWith(lines, "YAVIO-1200")[0]).toContain("retrying in 0 ms")
    expect(sink.stats().delivered).toBe(1)
    await sink.shutdown()
  })

  it("flush() and shutdown() never reject, even when fetch itself throws", async () => {
    const recorded = recordingLogger()
    lines = recorded.lines
    const sink = createHttpTransport({
      config: configFor(server),
      logger: recorded.logger,
      sdkVersion: "1.2.3",
      retryDelaysMs: [],
      fetch: () => {
        throw new Error("synchronous failure")
      },
    })
    sink.enqueue(trackEvent())
    await expect(sink.flush()).resolves.toBeUndefined()
    await expect(sink.shutdown()).resolves.toBeUndefined()
    expect(linesWith(lines, "YAVIO-1201")).toHaveLength(1)
  })
})

describe("never logs payload values or the key", () => {
  it("across every test above, no line carries the full key", () => {
    expect(allLines.length).toBeGreaterThan(20)
    for (const { line } of allLines) {
      expect(line).not.toContain(API_KEY)
      expect(line.startsWith("[yavio] ")).toBe(true)
    }
  })
})
