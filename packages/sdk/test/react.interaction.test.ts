/**
 * The widget hook in real Chromium against the real ingest (sdk.md §7.5, §9 "Widget hook"):
 * a host page embeds the test widget in a cross-origin iframe; the widget gets the tool result a
 * `withYavio` server produced (token minted by ingest for the server's session and a fresh
 * trace) and a user clicks, rage-clicks, scrolls, fills and submits a form, follows a link,
 * navigates, triggers errors, and leaves; then the tab is hidden. ClickHouse must hold exactly
 * the expected rows, all with the server's session and trace ids, and no form value or PII.
 *
 * Timers of the page run on Playwright's paused clock, so batching is driven by the test: the
 * 20-event and 5 s interval flushes send part of it (where the interval falls depends on how long
 * the page took to load), the flush on `visibilitychange` → hidden sends the rest. Everything is driven once in
 * `beforeAll`, each test asserts one behaviour.
 */

import type { FrameLocator, Page } from "playwright-core"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { barrier, pauseClock, until } from "./react/Driving.js"
import type { RecordedBatch } from "./react/RecordingProxy.js"
import { type Row, startWidgetLab, type WidgetLab } from "./react/WidgetLab.js"
import type { WidgetConfig } from "./support/e2e/widgetBatch.js"

let lab: WidgetLab | undefined
let config: WidgetConfig
let rows: ReadonlyArray<Row>
/** The whole trace as ClickHouse returns it (server and widget), by timestamp and step_sequence. */
let trace: ReadonlyArray<Row>
let batches: ReadonlyArray<RecordedBatch>
const pageErrors: string[] = []
const consoleCalls: string[] = []
let globalAfterLoad: unknown
/** Event ids of each batch the page issued before the tab was hidden (the clock stood still). */
let sentBeforeHide: ReadonlyArray<ReadonlyArray<string>> = []

const meta = (row: Row): Record<string, unknown> =>
  JSON.parse(row.metadata ?? "{}") as Record<string, unknown>
const ofType = (type: string) => rows.filter((row) => row.event_type === type)
const labels = () => rows.map((row) => `${row.event_type}:${row.event_name}`)

const interact = async (page: Page, frame: FrameLocator): Promise<void> => {
  const tick = (ms: number) => page.clock.runFor(ms)
  await frame.locator("#book").click()
  await tick(100)
  // Rage: three clicks on one element within 500 ms (the clock is paused: 0 ms apart) ...
  for (let i = 0; i < 3; i++) await frame.locator("#filter").click()
  // ... a fourth 600 ms later is a click, not a second rage; two quick clicks are no rage.
  await tick(600)
  await frame.locator("#filter").click()
  await frame.locator("#plain").click()
  await frame.locator("#plain").click()
  await tick(100)

  // Scroll the room list down then a little up (max depth kept), and the widget's document.
  await frame.locator("#rooms").hover()
  await page.mouse.wheel(0, 400)
  await until(
    async () => (await frame.locator("#rooms").evaluate((el) => el.scrollTop)) > 0,
    "rooms scrolled",
  )
  await tick(300)
  await page.mouse.wheel(0, -100)
  await until(async () => (await frame.locator("#rooms").evaluate((el) => el.scrollTop)) < 400, "rooms up")
  await tick(300)
  await frame.locator("h1").hover()
  await page.mouse.wheel(0, 200)
  await until(async () => (await frame.locator("html").evaluate(() => scrollY)) > 0, "document scrolled")
  await tick(300)
  await frame.locator("h1").evaluate(() => scrollTo(0, 0))
  await tick(300)

  // The form: a name, an e-mail, a valid submit; then the e-mail emptied and an invalid submit.
  await frame.locator("#guest").focus()
  await tick(1_200)
  await frame.locator("#guest").fill("Jane Doe")
  await frame.locator("#email").focus()
  await tick(800)
  await frame.locator("#email").fill("jane.doe@example.com")
  await frame.locator("#submit").click()
  await tick(100)
  await frame.locator("#email").fill("")
  await frame.locator("#submit").click()
  await tick(100)

  // A link (navigation prevented by the widget), a route change and back.
  await frame.locator("#partner").click()
  await frame.locator("#next").click()
  await tick(2_000)
  await frame.locator("#next").evaluate(() => history.back())
  await until(
    async () => (await frame.locator("html").evaluate(() => location.pathname)).startsWith("/widget/"),
    "back",
  )
  await tick(100)

  // Errors, then the explicit API.
  await frame.locator("#boom").click()
  await frame.locator("#reject").click()
  await frame.locator("#explicit").click()
  await tick(100)

  // Focus leaves the widget frame (a click in the host page), then the host scrolls it away.
  await page.locator("#chat").click()
  await tick(1_000)
  await page.evaluate(() => scrollTo(0, 2_000))
  await until(async () => (await page.evaluate(() => scrollY)) > 0, "host scrolled")
  // The hook learns of the leave from an IntersectionObserver, in a rendering step after the
  // scroll. An observer made now reports in that step or a later one, after the hook's (observers
  // are notified in the order they were made): once it sees the widget out of view, the leave is
  // queued. Hiding the tab before that would flush without it.
  await frame.locator("html").evaluate(
    () =>
      new Promise<void>((resolve) => {
        const observer = new IntersectionObserver(([entry]) => {
          if (entry?.isIntersecting) return
          observer.disconnect()
          resolve()
        })
        observer.observe(document.documentElement)
      }),
  )
}

beforeAll(async () => {
  lab = await startWidgetLab()
  const call = await lab.widgetCall()
  config = call.config
  lab.pages.register("interaction", { mode: "prop", result: call.result })

  const page = await lab.chromium.context.newPage()
  page.on("pageerror", (error) => pageErrors.push(error.message))
  page.on("console", (message) => consoleCalls.push(`${message.type()}: ${message.text()}`))
  await page.clock.install()
  await page.goto(lab.pages.hostUrl("interaction"))
  const frame = page.frameLocator("#view")
  await frame.locator("#book").waitFor()
  // The performance event waits for the load event.
  await until(
    async () => (await frame.locator("html").evaluate(() => document.readyState)) === "complete",
    "load",
  )
  globalAfterLoad = await frame.locator("html").evaluate(() => (window as { __YAVIO__?: unknown }).__YAVIO__)
  // The widget's batch requests as the browser issues them: the proxy may record two requests
  // in the other order (separate connections), the browser's own order is the truth here.
  const issued: Array<ReadonlyArray<string>> = []
  page.on("request", (request) => {
    if (request.method() !== "POST" || !request.url().endsWith("/v1/events")) return
    const body = JSON.parse(request.postData() ?? "{}") as { events?: Array<{ event_id: string }> }
    issued.push((body.events ?? []).map((event) => event.event_id))
  })
  await pauseClock(page)
  await interact(page, frame)
  // Every request the page issued before the barrier's is reported before it.
  const widgetFrame = await (await page.locator("#view").elementHandle())?.contentFrame()
  if (!widgetFrame) throw new Error("no widget frame")
  await barrier(widgetFrame, lab.proxy, "before-hide")
  sentBeforeHide = [...issued]

  // Tab hidden: headless Chromium never hides a page on its own, so the document reports hidden
  // and fires the event the browser would; the hook's own listener does the rest.
  await frame.locator("html").evaluate(() => {
    Object.defineProperty(document, "visibilityState", { value: "hidden", configurable: true })
    document.dispatchEvent(new Event("visibilitychange"))
  })
  const proxy = lab.proxy
  await proxy.waitFor(
    () =>
      proxy.batchesOf(config.traceId).length > sentBeforeHide.length &&
      proxy.batchesOf(config.traceId).every((batch) => batch.status !== 0),
    "the flush on hide",
  )
  // Anything else the hide set off is in by then too.
  await barrier(widgetFrame, proxy, "after-hide")
  batches = proxy.batchesOf(config.traceId)
  const stored = await lab.finish([config.traceId])
  // Rows in the order the widget sent them (many share a timestamp: the clock stood still).
  const sent = batches.flatMap((batch) => batch.eventIds)
  trace = stored.get(config.traceId) ?? []
  rows = trace
    .filter((row) => row.source === "widget")
    .sort((a, b) => sent.indexOf(a.event_id) - sent.indexOf(b.event_id))
}, 240_000)

afterAll(async () => {
  await lab?.dispose()
}, 60_000)

describe("useYavio in Chromium → ingest → ClickHouse", () => {
  it("batches of at most 20, the tail sent when the tab is hidden, every batch accepted", () => {
    // Batching against the clock is pinned down in react.delivery.test.ts; here the test moved
    // the page clock by 7.4 s in all, so the 20-event and 5 s flushes sent part of it before.
    expect(sentBeforeHide.length).toBeGreaterThanOrEqual(1)
    expect(batches.length).toBe(sentBeforeHide.length + 1)
    for (const batch of batches) expect(batch.eventIds.length).toBeLessThanOrEqual(20)
    const before = new Set(sentBeforeHide.flat())
    const onHide = batches.filter((batch) => !batch.eventIds.some((id) => before.has(id)))
    expect(onHide).toHaveLength(1)
    expect(onHide[0]?.eventTypes).toContain("widget_visibility") // the leave, just before hiding
    expect(batches.every((batch) => batch.status === 200)).toBe(true)
    expect(batches.every((batch) => batch.token === config.token)).toBe(true)
    const sent = batches.flatMap((batch) => batch.eventIds)
    expect(new Set(rows.map((row) => row.event_id))).toEqual(new Set(sent))
    expect(rows).toHaveLength(sent.length)
  })

  it("every row carries the server's session and trace, source widget, the SDK version", () => {
    for (const row of rows) {
      expect(row.session_id).toBe(config.sessionId)
      expect(row.trace_id).toBe(config.traceId)
      expect(row.source).toBe("widget")
      expect(row.sdk_version).toBe("0.1.0")
      expect([row.viewport_width, row.viewport_height]).toEqual([700, 400]) // the iframe
    }
  })

  it("widget_render once, with device and locale fields; widget_performance once", () => {
    const [render, ...moreRenders] = ofType("widget_render")
    expect(moreRenders).toHaveLength(0)
    expect(render?.device_pixel_ratio).toBe(1)
    expect(render?.device_touch).toBe(0)
    expect(typeof render?.connection_type).toBe("string")
    expect(meta(render!)).toEqual({ language: "en-US", timezone_offset: 0 }) // the pinned locale and UTC
    const [perf, ...morePerf] = ofType("widget_performance")
    expect(morePerf).toHaveLength(0)
    expect(perf?.load_time_ms).toBeGreaterThan(0)
    expect(meta(perf!)).toMatchObject({
      dom_content_loaded_ms: expect.any(Number),
      transfer_bytes: expect.any(Number),
    })
  })

  it("clicks: one per click with a running count, named by data-yavio else tag", () => {
    const clicks = ofType("widget_click")
    expect(clicks.map((row) => row.event_name)).toEqual([
      "book_button",
      "filter_button",
      "filter_button",
      "filter_button",
      "filter_button",
      "button",
      "button",
      "booking_form", // the submit button: the nearest data-yavio is its form's
      "booking_form",
      "a",
      "button", // next
      "button", // boom
      "button", // reject
      "button", // explicit
    ])
    expect(clicks.map((row) => row.click_count)).toEqual(clicks.map((_, i) => i + 1))
    expect(meta(clicks[0]!)).toMatchObject({
      kind: "button",
      id: "book",
      x: expect.any(Number),
      y: expect.any(Number),
    })
    expect(meta(clicks[9]!)).toMatchObject({ kind: "link", id: "partner" })
  })

  it("rage click: exactly one, for three clicks within 500 ms on one element", () => {
    const rage = ofType("widget_rage_click")
    expect(rage.map((row) => [row.event_name, meta(row)])).toEqual([
      ["filter_button", { count: 3, span_ms: 0 }],
    ])
  })

  it("scroll: one coalesced sample per container with the maximum depth", () => {
    const scrolls = ofType("widget_scroll")
    expect(scrolls.map((row) => row.event_name).sort()).toEqual(["document", "room_list"])
    const list = scrolls.find((row) => row.event_name === "room_list")!
    // 80 px box over 800 px of rooms, scrolled 400 px down then 100 up: deepest (400+80)/800 = 60 %.
    expect(list.scroll_depth_pct).toBe(60)
    expect(meta(list)).toMatchObject({ direction: "up", velocity_px_s: expect.any(Number) })
  })

  it("form fields: one event per visit with name, type and time, never the value", () => {
    const fields = ofType("widget_form_field")
    expect(fields.map((row) => [row.event_name, row.field_name, meta(row)])).toEqual([
      ["booking_form", "guest_name", { type: "text", ms: 1_200, filled: true }],
      ["booking_form", "email", { type: "email", ms: 800, filled: true }],
      // emptied, then left for the submit button at once; the blocked submit focuses it again
      ["booking_form", "email", { type: "email", ms: 0, filled: false }],
      ["booking_form", "email", { type: "email", ms: 100, filled: false }],
    ])
  })

  it("form submits: success, then error naming the invalid field", () => {
    const submits = ofType("widget_form_submit")
    expect(submits.map((row) => [row.event_name, row.status, meta(row).invalid_fields])).toEqual([
      ["booking_form", "success", []],
      ["booking_form", "error", ["email"]],
    ])
    expect(meta(submits[0]!).ms).toBe(2_000) // from the first focus in the form
  })

  it("link click: link text and the destination domain only", () => {
    expect(ofType("widget_link_click").map((row) => [row.event_name, meta(row)])).toEqual([
      ["Partner deals", { domain: "partner.example.org", external: true }],
    ])
  })

  it("navigation: pushState and back, with from, to and time on the previous view", () => {
    expect(ofType("widget_navigation").map((row) => [row.nav_from, row.nav_to, meta(row).ms])).toEqual([
      ["/widget/interaction", "/rooms/2", expect.any(Number)],
      ["/rooms/2", "/widget/interaction", 2_000],
    ])
  })

  it("errors and unhandled rejections, message PII-scrubbed, stack cut to 1 KB", () => {
    const errors = ofType("widget_error")
    expect(errors.map((row) => row.event_name)).toEqual(["error", "unhandledrejection"])
    expect(meta(errors[0]!).message).toBe("Uncaught Error: boom while booking for [EMAIL_REDACTED]")
    expect(meta(errors[1]!).message).toBe("payment service rejected")
    for (const row of errors) expect(String(meta(row).stack).length).toBeLessThanOrEqual(1024)
    expect(pageErrors).toEqual(["boom while booking for jane.doe@example.com", "payment service rejected"])
  })

  it("focus: gained with the first click in the frame, lost to the host page with its duration", () => {
    expect(ofType("widget_focus").map((row) => [row.event_name, meta(row)])).toEqual([
      ["focus", { focus_count: 1 }],
      ["blur", { ms: expect.any(Number), focus_count: 1 }],
    ])
  })

  it("visibility: entered at load, left when the host scrolled the frame away, with duration", () => {
    const visibility = ofType("widget_visibility")
    expect(visibility.map((row) => row.event_name)).toEqual(["enter", "leave"])
    expect(visibility[1]?.visible_duration_ms).toBeGreaterThan(0)
    expect(meta(visibility[0]!).percent_visible).toBeGreaterThan(0)
  })

  it("explicit calls: step continues the server's count, identify sets user_id from then on", () => {
    const step = ofType("step")
    expect(step.map((row) => [row.event_name, row.step_sequence, meta(row)])).toEqual([
      ["room_selected", config.stepOffset, { room: "R2" }],
    ])
    const [identify] = ofType("identify")
    expect(identify?.user_id).toBe("guest-42")
    expect(JSON.parse(identify?.user_traits ?? "{}")).toEqual({ plan: "gold", contact: "[EMAIL_REDACTED]" })
    expect(ofType("track").map((row) => [row.event_name, row.user_id, meta(row)])).toEqual([
      ["filter_used", "guest-42", { city: "Lisbon", price_max: 250 }],
    ])
    expect(
      ofType("conversion").map((row) => [row.conversion_value, row.conversion_currency, row.user_id]),
    ).toEqual([[240, "EUR", "guest-42"]])
    expect(step[0]?.user_id).toBeNull() // before identify
  })

  it("the trace holds the server's tool call and steps and the widget's events, steps in one count", () => {
    const server = trace
      .filter((row) => row.source === "server")
      .map((row) => `${row.event_type}:${row.event_name}`)
    expect(server).toEqual(
      expect.arrayContaining(["tool_call:show_rooms", "step:rooms_shown", "widget_response:show_rooms"]),
    )
    const steps = trace.filter((row) => row.event_type === "step")
    expect(steps.map((row) => [row.source, row.event_name, row.step_sequence])).toEqual([
      ["server", "rooms_shown", 0],
      ["widget", "room_selected", 1],
    ])
    expect(config.stepOffset).toBe(1)
    expect(new Set(trace.map((row) => row.session_id))).toEqual(new Set([config.sessionId]))
  })

  it("exactly these rows, nothing else", () => {
    const counts: Record<string, number> = {}
    for (const row of rows) counts[row.event_type] = (counts[row.event_type] ?? 0) + 1
    expect(counts).toEqual({
      widget_render: 1,
      widget_performance: 1,
      widget_visibility: 2,
      widget_focus: 2,
      widget_click: 14,
      widget_rage_click: 1,
      widget_scroll: 2,
      widget_form_field: 4,
      widget_form_submit: 2,
      widget_link_click: 1,
      widget_navigation: 2,
      widget_error: 2,
      step: 1,
      identify: 1,
      track: 1,
      conversion: 1,
    })
    expect(labels()).toHaveLength(38)
  })

  it("no form value, e-mail or link query leaves the browser", () => {
    const wire = JSON.stringify(batches.map((batch) => batch.events))
    expect(wire).not.toMatch(/jane/i)
    expect(wire).not.toContain("deals?ref")
    expect(JSON.stringify(rows)).not.toMatch(/jane/i)
  })

  it("reads window.__YAVIO__ never set here; the SDK writes nothing to the console", () => {
    expect(globalAfterLoad).toBeUndefined()
    expect(consoleCalls).toEqual([])
  })
})
