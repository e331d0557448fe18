import { afterEach, beforeEach, describe, expect, it } from "vitest"
import { createHttpTransport, type HttpTransportOptions } from "../src/transport/HttpTransport.js"
import {
  configFor,
  type IngestServer,
  linesWith,
  names,
  type RecordedLine,
  recordingLogger,
  startIngestServer,
  trackEvent,
} from "./transport.support.js"

// sdk.md §6.4 `shutdown()`: drains with keepalive, bounded, idempotent, reports the rest (1205).

let server: IngestServer
let lines: RecordedLine[]
let waitFor: (text: string) => Promise<void>
let keepalive: Array<boolean | undefined>

beforeEach(async () => {
  server = await startIngestServer()
  keepalive = []
})
afterEach(async () => {
  await server.close()
})

const transport = (options: Partial<HttpTransportOptions> = {}) => {
  const recorded = recordingLogger()
  lines = recorded.lines
  waitFor = recorded.waitFor
  return createHttpTransport({
    config: configFor(server),
    logger: recorded.logger,
    sdkVersion: "1.2.3",
    jitter: 0,
    shutdownTimeoutMs: 5_000,
    fetch: (input, init) => {
      keepalive.push(init?.keepalive)
      return fetch(input, init)
    },
    ...options,
  })
}

describe("shutdown()", () => {
  it("delivers the tail with keepalive, stops accepting, and is idempotent", async () => {
    const sink = transport({ batchSize: 10 })
    for (let i = 0; i < 25; i++) sink.enqueue(trackEvent(`s${i}`))
    const first = sink.shutdown()
    expect(sink.shutdown()).toBe(first)
    await first
    expect(server.events()).toHaveLength(25)
    expect(keepalive.filter((value) => value === true).length).toBeGreaterThan(0)
    expect(keepalive.at(-1)).toBe(true)

    sink.enqueue(trackEvent("late"))
    await sink.flush()
    await sink.shutdown()
    expect(server.events()).toHaveLength(25)
    expect(sink.stats()).toMatchObject({ closed: true, queued: 0, delivered: 25 })
    expect(linesWith(lines, "YAVIO-1205")).toEqual([])
  })

  it("is bounded: a hanging endpoint gives up at shutdownTimeoutMs and logs YAVIO-1205", async () => {
    server.respond(() => "hang")
    const sink = transport({ batchSize: 3, requestTimeoutMs: 60_000, shutdownTimeoutMs: 500 })
    for (let i = 0; i < 7; i++) sink.enqueue(trackEvent())
    const started = performance.now()
    await sink.shutdown()
    const elapsed = performance.now() - started
    expect(elapsed).toBeGreaterThanOrEqual(450)
    expect(elapsed).toBeLessThan(3_000)
    expect(linesWith(lines, "YAVIO-1205")).toEqual([
      "[yavio] YAVIO-1205 warn: Shutdown flush failed: 7 events not delivered within the 500 ms shutdown bound",
    ])
    expect(sink.stats()).toMatchObject({ queued: 0, inFlight: 0, dropped: { shutdown: 7 } })
  })

  it("a batch waiting for its next retry is resent at once, with keepalive", async () => {
    server.respond((_request, index) => (index === 0 ? { status: 503 } : { status: 200 }))
    const sink = transport({ retryDelaysMs: [60_000] })
    sink.enqueue(trackEvent("waiting"))
    void sink.flush()
    await waitFor("retrying in 60000 ms")
    const started = performance.now()
    await sink.shutdown()
    expect(performance.now() - started).toBeLessThan(2_000) // not the 60 s backoff
    expect(names(server.events())).toEqual(["waiting", "waiting"])
    expect(keepalive).toEqual([false, true])
    expect(sink.stats().delivered).toBe(1)
  })

  it("during shutdown the backoff shrinks to a tenth of the bound", async () => {
    server.respond((_request, index) => (index === 0 ? { status: 503 } : { status: 200 }))
    const sink = transport({ retryDelaysMs: [60_000] })
    sink.enqueue(trackEvent())
    await sink.shutdown()
    expect(linesWith(lines, "YAVIO-1200")[0]).toContain("retrying in 500 ms")
    expect(sink.stats().delivered).toBe(1)
  })

  it("does not outwait a Retry-After longer than the bound: YAVIO-1205 at once", async () => {
    server.respond(() => ({ status: 429, headers: { "retry-after": "60" } }))
    const sink = transport()
    sink.enqueue(trackEvent())
    const started = performance.now()
    await sink.shutdown()
    expect(performance.now() - started).toBeLessThan(2_000) // neither 60 s nor the 5 s bound
    expect(linesWith(lines, "YAVIO-1202")).toHaveLength(1)
    expect(linesWith(lines, "YAVIO-1205")[0]).toContain("1 event not delivered")
  })

  it("a pending flush() resolves when shutdown gives up", async () => {
    server.respond(() => "hang")
    const sink = transport({ requestTimeoutMs: 60_000, shutdownTimeoutMs: 300 })
    sink.enqueue(trackEvent())
    const flushed = sink.flush()
    await server.waitForRequests(1)
    await sink.shutdown()
    await expect(flushed).resolves.toBeUndefined()
  })

  it("after a 401 there is nothing to do", async () => {
    server.respond(() => ({ status: 401 }))
    const sink = transport()
    sink.enqueue(trackEvent())
    await sink.flush()
    await sink.shutdown()
    expect(server.requests).toHaveLength(1)
    expect(linesWith(lines, "YAVIO-1205")).toEqual([])
  })

  it("with nothing buffered it resolves without a request", async () => {
    const sink = transport()
    await sink.shutdown()
    expect(server.requests).toHaveLength(0)
  })
})
