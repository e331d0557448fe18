/**
 * The widget transport in real Chromium against the real ingest (sdk.md §7.6, §9 "Widget
 * hook"): a batch as soon as 20 events wait and every 5 s; retries after 1, 2 and 4 s and then
 * the batch dropped; `Retry-After` honoured; a 200-event buffer that drops the oldest while the
 * network is down; the first 401 stops every later request without a word on the console; an
 * expired token sends nothing at all; closing the page still delivers.
 *
 * Each scenario is its own page and trace (a widget tool call on the `withYavio` server mints
 * the token). Page clocks stand still from before the first script, so the test decides when
 * timers fire; faults are injected for one trace by the RecordingProxy in front of ingest.
 */

import type { Page } from "playwright-core"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import {
  answeredBatches,
  badSignature,
  barrier,
  callWidget,
  drainTasks,
  expiredCopy,
  frozenPage,
  until,
} from "./react/Driving.js"
import type { RecordedBatch, RecordingProxy } from "./react/RecordingProxy.js"
import { type Row, startWidgetLab, type WidgetLab } from "./react/WidgetLab.js"
import type { WidgetConfig } from "./support/e2e/widgetBatch.js"

let lab: WidgetLab | undefined
let proxy: RecordingProxy
let stored: ReadonlyMap<string, ReadonlyArray<Row>>

const names = (batch: RecordedBatch | undefined): string[] =>
  (batch?.events ?? []).map((event) => String(event.event_name))
const tracks = (from: number, to: number, prefix = "t"): string =>
  `for (let i = ${from}; i < ${to}; i++) y.track("${prefix}_" + i)`

interface Opened {
  readonly page: Page
  readonly config: WidgetConfig
  readonly console: string[]
  readonly errors: string[]
  /** Resolves once the page has received `n` batch answers and run what they queued. */
  readonly answered: (n: number) => Promise<void>
}

const scenarios: Record<string, Opened> = {}
const observed: Record<string, unknown> = {}

/**
 * Scenario `id`: a widget page with a fresh trace, loaded with its clock stopped; `token`
 * replaces the minted token.
 */
const open = async (id: string, token?: (minted: string) => string): Promise<Opened> => {
  const l = lab!
  const call = await l.widgetCall()
  const config = { ...call.config, ...(token === undefined ? {} : { token: token(call.config.token) }) }
  const meta = (call.result._meta ?? {}) as Record<string, unknown>
  l.pages.register(id, { mode: "prop", result: { ...call.result, _meta: { ...meta, yavio: config } } })
  const page = await frozenPage(l.chromium.context)
  const finished = answeredBatches(page)
  const answered = async (n: number) => {
    await until(() => finished() >= n, `${n} answers in ${id}`)
    await drainTasks(page)
  }
  const opened: Opened = { page, config, console: [], errors: [], answered }
  page.on("console", (message) => opened.console.push(`${message.type()}: ${message.text()}`))
  page.on("pageerror", (error) => opened.errors.push(error.message))
  await page.goto(l.pages.widgetUrl(id))
  await until(async () => (await page.evaluate(() => window.__instances?.size ?? 0)) > 0, "the widget")
  scenarios[id] = opened
  return opened
}

beforeAll(async () => {
  lab = await startWidgetLab()
  proxy = lab.proxy
  const control = await lab.chromium.context.newPage()
  await control.goto(lab.pages.blankUrl())
  const of = (key: string) => proxy.batchesOf(scenarios[key]!.config.traceId)

  // 1. A batch at 20 events with no time passing; the rest on the 5 s timer, not before.
  {
    const s = await open("batching")
    await callWidget(s.page, tracks(0, 30))
    await proxy.waitFor(() => of("batching").length === 1, "the 20-event batch")
    await s.page.clock.runFor(4_999)
    await barrier(s.page, proxy, "batching-4999")
    observed.beforeTimer = of("batching").length
    await s.page.clock.runFor(1)
    await proxy.waitFor(() => of("batching").length === 2, "the timer batch")
  }

  // 2. Retries after 1 s and 2 s (two injected 503s), then delivered once.
  {
    const s = await open("retry")
    proxy.fail(s.config.traceId, 2, 503)
    await callWidget(s.page, tracks(0, 20))
    await proxy.waitFor(() => of("retry").length === 1, "attempt 1")
    await s.answered(1)
    await s.page.clock.runFor(999)
    await barrier(s.page, proxy, "retry-999")
    observed.retryAt999 = of("retry").length
    await s.page.clock.runFor(1)
    await proxy.waitFor(() => of("retry").length === 2, "attempt 2 after 1 s")
    await s.answered(2)
    await s.page.clock.runFor(1_999)
    await barrier(s.page, proxy, "retry-2999")
    observed.retryAt2999 = of("retry").length
    await s.page.clock.runFor(1)
    await proxy.waitFor(() => of("retry").length === 3, "attempt 3 after 2 s more")
  }

  // 3. Four failures (the attempt and 3 retries after 1, 2, 4 s): the batch is dropped.
  {
    const s = await open("exhausted")
    proxy.fail(s.config.traceId, 10, 503)
    await callWidget(s.page, tracks(0, 20))
    for (const [wait, attempts] of [
      [1_000, 2],
      [2_000, 3],
      [4_000, 4],
    ] as const) {
      await s.answered(attempts - 1)
      await s.page.clock.runFor(wait)
      await proxy.waitFor(() => of("exhausted").length === attempts, `attempt ${attempts}`)
    }
    await s.answered(4)
    await s.page.clock.runFor(30_000)
    await barrier(s.page, proxy, "exhausted-end")
  }

  // 4. 429 with Retry-After: 3 → the retry waits 3 s, not 1 s.
  {
    const s = await open("retryAfter")
    proxy.fail(s.config.traceId, 1, 429, { "retry-after": "3" })
    await callWidget(s.page, tracks(0, 20))
    await proxy.waitFor(() => of("retryAfter").length === 1, "the 429")
    await s.answered(1)
    await s.page.clock.runFor(2_999)
    await barrier(s.page, proxy, "retry-after-2999")
    observed.retryAfterAt2999 = of("retryAfter").length
    await s.page.clock.runFor(1)
    await proxy.waitFor(() => of("retryAfter").length === 2, "the retry after 3 s")
  }

  // 5. Network down for the first batch while 250 events arrive: the buffer keeps the newest 200.
  {
    const s = await open("buffer")
    proxy.fail(s.config.traceId, 4, 503)
    await callWidget(s.page, tracks(0, 250, "burst"))
    for (const [wait, attempts] of [
      [1_000, 1],
      [2_000, 2],
      [4_000, 3],
    ] as const) {
      await s.answered(attempts)
      await s.page.clock.runFor(wait)
    }
    await proxy.waitFor(() => of("buffer").length >= 6, "the batches after the outage")
  }

  // 6. A token ingest rejects (401): one request, then nothing, whatever happens.
  {
    const s = await open("rejected", badSignature)
    await callWidget(s.page, tracks(0, 20))
    await proxy.waitFor(() => of("rejected").length === 1, "the rejected batch")
    await s.answered(1)
    await callWidget(s.page, tracks(20, 45))
    await s.page.clock.runFor(10_000)
    await s.page.evaluate(() => {
      Object.defineProperty(document, "visibilityState", { value: "hidden", configurable: true })
      document.dispatchEvent(new Event("visibilitychange"))
    })
    await s.page.close()
    await barrier(control, proxy, "rejected-closed")
  }

  // 7. A token whose exp has passed: not a single request.
  {
    const s = await open("expired", expiredCopy)
    await callWidget(s.page, tracks(0, 25))
    await s.page.clock.runFor(10_000)
    await s.page.close()
    await barrier(control, proxy, "expired-closed")
  }

  // 8. Closing the page delivers what waits (pagehide → keepalive request).
  {
    const s = await open("close")
    await callWidget(s.page, tracks(0, 3, "last"))
    await s.page.close()
    await proxy.waitFor(() => of("close").some((batch) => names(batch).includes("last_2")), "the close flush")
    await proxy.waitFor(() => of("close").every((batch) => batch.status === 200), "its answer")
  }

  stored = await lab.finish(Object.values(scenarios).map((s) => s.config.traceId))
}, 300_000)

afterAll(async () => {
  await lab?.dispose()
}, 60_000)

const batchesOf = (key: string) => proxy.batchesOf(scenarios[key]!.config.traceId)
/** The attempts of the scenario's first batch (later batches carry the events past the 20th). */
const attemptsOf = (key: string) => {
  const batches = batchesOf(key)
  const first = batches[0]?.eventIds.join()
  return batches.filter((batch) => batch.eventIds.join() === first)
}
const rowsOf = (key: string) =>
  (stored.get(scenarios[key]!.config.traceId) ?? []).filter((r) => r.source === "widget")

describe("widget transport in Chromium", () => {
  it("sends a batch the moment 20 events wait, with no time passing", () => {
    const [first] = batchesOf("batching")
    expect(first?.eventIds).toHaveLength(20)
    expect(first?.status).toBe(200)
    expect(first?.token).toBe(scenarios.batching?.config.token)
    expect(first?.contentType).toBe("application/json")
  })

  it("sends the rest on the 5 s timer, not a millisecond before", () => {
    expect(observed.beforeTimer).toBe(1)
    const [first, second] = batchesOf("batching")
    expect(names(second)).toContain("t_29")
    const sent = [...(first?.eventIds ?? []), ...(second?.eventIds ?? [])]
    expect(new Set(rowsOf("batching").map((row) => row.event_id))).toEqual(new Set(sent))
    expect(
      names(first)
        .concat(names(second))
        .filter((name) => name.startsWith("t_")),
    ).toEqual(Array.from({ length: 30 }, (_, i) => `t_${i}`))
  })

  it("retries the same batch after 1 s and 2 s; ingest stores it once", () => {
    expect([observed.retryAt999, observed.retryAt2999]).toEqual([1, 2])
    const attempts = attemptsOf("retry")
    expect(attempts.map((batch) => batch.status)).toEqual([503, 503, 200])
    expect(attempts[1]?.eventIds).toEqual(attempts[0]?.eventIds)
    expect(attempts[2]?.eventIds).toEqual(attempts[0]?.eventIds)
    const retried = new Set(attempts[0]?.eventIds)
    const stored = rowsOf("retry").filter((row) => retried.has(row.event_id))
    expect(stored.map((row) => row.event_id).sort()).toEqual([...retried].sort()) // each once
  })

  it("gives up after 3 retries (1, 2, 4 s): four attempts, the batch dropped", () => {
    const attempts = attemptsOf("exhausted")
    expect(attempts.map((batch) => batch.status)).toEqual([503, 503, 503, 503])
    const dropped = new Set(attempts[0]?.eventIds)
    expect(rowsOf("exhausted").filter((row) => dropped.has(row.event_id))).toEqual([])
  })

  it("honours Retry-After on 429", () => {
    expect(observed.retryAfterAt2999).toBe(1)
    expect(attemptsOf("retryAfter").map((batch) => batch.status)).toEqual([429, 200])
  })

  it("keeps the newest 200 events while a batch is failing, dropping the oldest silently", () => {
    const batches = batchesOf("buffer")
    // the failing batch (4 attempts), then the buffer from burst_50 on, in order
    expect(batches.slice(0, 4).map((batch) => batch.status)).toEqual([503, 503, 503, 503])
    expect(names(batches[4])).toEqual(Array.from({ length: 20 }, (_, i) => `burst_${i + 50}`))
    expect(names(batches[5])).toEqual(Array.from({ length: 20 }, (_, i) => `burst_${i + 70}`))
    const sent = new Set(batches.flatMap(names))
    for (let i = 20; i < 50; i++) expect(sent.has(`burst_${i}`)).toBe(false)
  })

  it("after the first 401 sends nothing more: not on 20 events, the timer, hide or close", () => {
    const batches = proxy.batches.filter((batch) => batch.token === scenarios.rejected?.config.token)
    expect(batches.map((batch) => batch.status)).toEqual([401])
    expect(rowsOf("rejected")).toHaveLength(0)
  })

  it("the 401 leaves no error of its own: only Chromium's network log line, no page error", () => {
    const s = scenarios.rejected!
    expect(s.errors).toEqual([])
    // Chromium itself logs every non-2xx response; nothing else may appear.
    expect(s.console).toEqual([
      "error: Failed to load resource: the server responded with a status of 401 (Unauthorized)",
    ])
  })

  it("an expired token sends no request at all and logs nothing", () => {
    const s = scenarios.expired!
    expect(proxy.batches.filter((batch) => batch.token === s.config.token)).toHaveLength(0)
    expect(s.console).toEqual([])
    expect(s.errors).toEqual([])
  })

  it("closing the page delivers the buffered events (keepalive on pagehide)", () => {
    const rows = rowsOf("close")
    expect(
      rows
        .filter((row) => row.event_type === "track")
        .map((row) => row.event_name)
        .sort(),
    ).toEqual(["last_0", "last_1", "last_2"])
    expect(rows.every((row) => row.session_id === scenarios.close?.config.sessionId)).toBe(true)
  })
})
