/**
 * Where the widget finds its configuration, in real Chromium (sdk.md §7.2, §7.3, §9 "Widget
 * hook"): each source on its own — `window.__YAVIO__` (deleted after reading), the meta tag, the
 * tool result as a prop (`_meta.yavio` and the host-transformed `.yavio`), ChatGPT's
 * `window.openai.toolResponseMetadata` (at load and on `openai:set_globals`), an MCP Apps host
 * bridge delivering the tool result to an `@modelcontextprotocol/ext-apps` View, an explicit
 * config — then the priority chain, no-op mode, the upgrade on a later render, a switch to
 * another trace, and one instance across components.
 *
 * Every configuration is a real one: a widget tool call on a `withYavio` server, its token minted
 * by ingest. A page's events are delivered when it closes (pagehide); the rows are read from
 * ClickHouse at the end.
 */

import type { Page } from "playwright-core"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { barrier, until } from "./react/Driving.js"
import type { RecordingProxy } from "./react/RecordingProxy.js"
import { type Row, startWidgetLab, type WidgetCall, type WidgetLab } from "./react/WidgetLab.js"
import type { PageCase } from "./react/WidgetPages.js"
import type { WidgetConfig } from "./support/e2e/widgetBatch.js"

let lab: WidgetLab | undefined
let proxy: RecordingProxy
let stored: ReadonlyMap<string, ReadonlyArray<Row>>
const calls: Record<string, WidgetCall> = {}
const observed: Record<string, unknown> = {}
const pageErrors: string[] = []
/** Requests any no-op page sent to the proxy. */
const noopRequests: string[] = []

const cfg = (key: string): WidgetConfig => calls[key]!.config
const meta = (key: string) => calls[key]!.result._meta as Record<string, unknown>
const rowsOf = (key: string) => (stored.get(cfg(key).traceId) ?? []).filter((row) => row.source === "widget")
const types = (key: string) =>
  rowsOf(key)
    .map((row) => `${row.event_type}:${row.event_name}`)
    .sort()

const newPage = async (): Promise<Page> => {
  const page = await lab!.chromium.context.newPage()
  page.on("pageerror", (error) => pageErrors.push(error.message))
  return page
}

/** Opens a widget page for `page`, waits until the widget runs, lets `act` drive it, closes it. */
const visit = async (id: string, page: PageCase, act?: (p: Page) => Promise<void>): Promise<void> => {
  lab!.pages.register(id, page)
  const p = await newPage()
  await p.goto(lab!.pages.widgetUrl(id))
  await until(async () => (await p.evaluate(() => window.__instances?.size ?? 0)) > 0, `widget ${id}`)
  await act?.(p)
  await p.close()
}

const delivered = (key: string, type = "widget_render") =>
  proxy.waitFor(
    () =>
      proxy
        .batchesOf(cfg(key).traceId)
        .some((batch) => batch.status === 200 && batch.eventTypes.includes(type)),
    `the ${type} of ${key}`,
  )

beforeAll(async () => {
  lab = await startWidgetLab()
  proxy = lab.proxy
  for (const key of [
    "global",
    "meta",
    "prop",
    "dotYavio",
    "openai",
    "explicit",
    "p1Global",
    "p1Meta",
    "p1Prop",
    "p1Openai",
    "p2Meta",
    "p2Prop",
    "p2Openai",
    "p3Prop",
    "p3Openai",
    "p4Openai",
    "p4Explicit",
    "late",
    "switched",
    "openaiLate",
    "mcpApps",
    "strict",
    "unmount",
    "validation",
  ])
    calls[key] = await lab.widgetCall()

  // Each source alone.
  await visit("global", { mode: "none", global: cfg("global") }, async (p) => {
    observed.globalLeft = await p.evaluate(() => "__YAVIO__" in window)
    observed.instances = await p.evaluate(() => window.__instances?.size)
  })
  await visit("meta", { mode: "none", meta: cfg("meta") })
  await visit("prop", { mode: "prop", result: calls.prop!.result })
  await visit("dotYavio", { mode: "prop", result: { structuredContent: {}, yavio: cfg("dotYavio") } })
  await visit("openai", { mode: "none", openai: meta("openai") })
  await visit("explicit", { mode: "explicit", config: cfg("explicit") })

  // The priority chain: global > meta > tool result > window.openai > explicit.
  await visit("p1", {
    mode: "prop",
    global: cfg("p1Global"),
    meta: cfg("p1Meta"),
    result: calls.p1Prop!.result,
    openai: meta("p1Openai"),
  })
  await visit("p2", {
    mode: "prop",
    meta: cfg("p2Meta"),
    result: calls.p2Prop!.result,
    openai: meta("p2Openai"),
  })
  await visit("p3", { mode: "prop", result: calls.p3Prop!.result, openai: meta("p3Openai") })
  await visit("p4", { mode: "explicit", config: cfg("p4Explicit"), openai: meta("p4Openai") })

  // No configuration: every method callable, nothing sent, nothing thrown.
  lab.pages.register("noop", { mode: "none" })
  {
    const p = await newPage()
    p.on("request", (request) => {
      if (request.url().startsWith(proxy.url)) noopRequests.push(request.url())
    })
    await p.goto(lab.pages.widgetUrl("noop"))
    await until(async () => (await p.evaluate(() => window.__instances?.size ?? 0)) > 0, "noop widget")
    for (const id of ["#book", "#explicit", "#filter", "#filter", "#filter"]) await p.locator(id).click()
    await p.close()
  }

  // Late configuration: a click before (no-op), the tool result on a later render, a click after;
  // then a result for another trace: the first trace's events go with its own token.
  lab.pages.register("late", { mode: "prop" })
  {
    const p = await newPage()
    await p.goto(lab.pages.widgetUrl("late"))
    await until(async () => (await p.evaluate(() => window.__instances?.size ?? 0)) > 0, "late widget")
    await p.locator("#plain").click()
    await p.evaluate((result) => window.__deliver?.(result), calls.late!.result)
    await until(async () => (await p.evaluate(() => document.readyState)) === "complete", "late load")
    await p.locator("#book").click()
    await p.evaluate((result) => window.__deliver?.(result), calls.switched!.result)
    await delivered("late")
    await p.locator("#filter").click()
    await p.close()
  }

  // ChatGPT: window.openai filled in after mount, announced with openai:set_globals.
  lab.pages.register("openaiLate", { mode: "none" })
  {
    const p = await newPage()
    await p.goto(lab.pages.widgetUrl("openaiLate"))
    await until(async () => (await p.evaluate(() => window.__instances?.size ?? 0)) > 0, "openai widget")
    await p.evaluate((toolResponseMetadata) => {
      ;(window as { openai?: unknown }).openai = { toolResponseMetadata }
      window.dispatchEvent(
        new CustomEvent("openai:set_globals", { detail: { globals: { toolResponseMetadata } } }),
      )
    }, meta("openaiLate"))
    await p.locator("#book").click()
    await p.close()
  }

  // MCP Apps: a host with the real AppBridge delivers the tool result to an ext-apps View.
  lab.pages.register("mcpApps", { mode: "none", toolResult: calls.mcpApps!.result })
  {
    const p = await newPage()
    await p.goto(lab.pages.appsHostUrl("mcpApps"))
    await until(async () => await p.evaluate(() => window.__bridgeDelivered === true), "the bridge delivery")
    const view = p.frameLocator("#view")
    await view.locator("#select").click()
    observed.viewSaw = await view
      .locator("html")
      .evaluate(
        () => (window.__toolResult as { _meta?: { yavio?: { traceId?: string } } })?._meta?.yavio?.traceId,
      )
    await p.close()
  }

  // React StrictMode: the hook's effects mount, unmount and mount again; captures must follow.
  await visit("strict", { mode: "prop", strict: true, result: calls.strict!.result }, async (p) => {
    await p.locator("#book").click()
  })

  // The last hook unmounts: what waits is sent, every listener and the history wrapper removed.
  lab.pages.register("unmount", { mode: "prop", result: calls.unmount!.result })
  {
    const p = await newPage()
    await p.goto(lab.pages.widgetUrl("unmount"))
    await until(async () => (await p.evaluate(() => window.__instances?.size ?? 0)) > 0, "unmount widget")
    await until(async () => (await p.evaluate(() => document.readyState)) === "complete", "unmount load")
    await p.locator("#book").click()
    await p.evaluate(() => window.__unmount?.())
    await delivered("unmount")
    observed.historyRestored = await p.evaluate(() => String(history.pushState).includes("[native code]"))
    await p.evaluate(() => {
      document.body.dispatchEvent(new MouseEvent("click", { bubbles: true }))
      history.pushState({}, "", "/after-unmount")
      window.dispatchEvent(new Event("focus"))
    })
    observed.unmountBatches = proxy.batchesOf(cfg("unmount").traceId).length
    await barrier(p, proxy, "after-unmount")
    await p.close()
  }

  // Explicit calls are validated like on the server; invalid ones are dropped, never thrown.
  await visit("validation", { mode: "prop", result: calls.validation!.result }, async (p) => {
    await p.evaluate(() => {
      const [y] = [...(window.__instances ?? [])]
      y?.track("")
      y?.track("x".repeat(257))
      y?.step("")
      y?.conversion("no_value", { value: Number.NaN, currency: "EUR" })
      y?.conversion("bad_currency", { value: 5, currency: "EURO" })
      y?.conversion("lower_case", { value: 9.5, currency: "usd" })
      y?.identify("")
      y?.identify("guest-1", { tier: "a" })
      y?.identify("guest-2", { tier: "b" }) // a second id in the session: ignored
      y?.identify("guest-1", { since: 2024 }) // the same id again: traits merged
      y?.step("first")
      y?.step("second")
      y?.track("after_identify")
    })
  })

  for (const key of [
    "global",
    "meta",
    "prop",
    "dotYavio",
    "openai",
    "explicit",
    "p1Global",
    "p2Meta",
    "p3Prop",
  ])
    await delivered(key)
  for (const key of ["p4Openai", "openaiLate", "mcpApps", "strict", "validation"]) await delivered(key)
  await delivered("switched", "widget_click") // one render per page: the first trace had it
  const control = await newPage()
  await control.goto(lab.pages.blankUrl())
  await barrier(control, proxy, "config-end")
  stored = await lab.finish(Object.values(calls).map((call) => call.config.traceId))
}, 300_000)

afterAll(async () => {
  await lab?.dispose()
}, 60_000)

describe("widget configuration in Chromium", () => {
  it.each([
    ["window.__YAVIO__", "global"],
    ['<meta name="yavio-config">', "meta"],
    ["the tool result as a prop (_meta.yavio)", "prop"],
    ["a host-transformed result (.yavio)", "dotYavio"],
    ["window.openai.toolResponseMetadata", "openai"],
    ["an explicit WidgetConfig", "explicit"],
  ])("%s alone configures the widget: render stored under its trace and session", (_, key) => {
    const rows = rowsOf(key)
    expect(rows.map((row) => row.event_type)).toContain("widget_render")
    for (const row of rows) {
      expect(row.trace_id).toBe(cfg(key).traceId)
      expect(row.session_id).toBe(cfg(key).sessionId)
    }
    expect(proxy.batchesOf(cfg(key).traceId).every((batch) => batch.token === cfg(key).token)).toBe(true)
  })

  it("window.__YAVIO__ is gone once the hook read it", () => {
    expect(observed.globalLeft).toBe(false)
  })

  it.each([
    ["global beats meta, tool result and window.openai", "p1Global", ["p1Meta", "p1Prop", "p1Openai"]],
    ["meta beats tool result and window.openai", "p2Meta", ["p2Prop", "p2Openai"]],
    ["the tool result beats window.openai", "p3Prop", ["p3Openai"]],
    ["window.openai beats an explicit config", "p4Openai", ["p4Explicit"]],
  ])("priority: %s", (_, winner, losers) => {
    expect(rowsOf(winner).length).toBeGreaterThan(0)
    for (const loser of losers) {
      expect(proxy.batchesOf(cfg(loser).traceId)).toHaveLength(0)
      expect(rowsOf(loser)).toHaveLength(0)
    }
  })

  it("no configuration: methods callable, no request, no error", () => {
    expect(noopRequests).toEqual([])
    expect(pageErrors).toEqual([])
  })

  it("upgrades on a later render: nothing from before, everything after", () => {
    expect(types("late")).toEqual([
      "widget_click:book_button",
      "widget_performance:load",
      "widget_render:render",
      "widget_visibility:enter",
    ])
  })

  it("a later result for another trace: the old events leave with the old token, new ones go to the new trace", () => {
    const late = proxy.batchesOf(cfg("late").traceId)
    expect(late.every((batch) => batch.token === cfg("late").token && batch.traceIds.length === 1)).toBe(true)
    expect(types("switched")).toEqual(["widget_click:filter_button"])
    expect(rowsOf("switched")[0]?.session_id).toBe(cfg("switched").sessionId)
  })

  it("ChatGPT: window.openai set after mount and announced with openai:set_globals", () => {
    expect(types("openaiLate")).toEqual(
      expect.arrayContaining(["widget_click:book_button", "widget_render:render"]),
    )
  })

  it("MCP Apps: the ext-apps View gets its configuration from the tool result the bridge delivers", () => {
    expect(observed.viewSaw).toBe(cfg("mcpApps").traceId) // the View's own ontoolresult saw it too
    const rows = rowsOf("mcpApps")
    expect(types("mcpApps")).toEqual(
      expect.arrayContaining(["step:room_selected", "widget_click:button", "widget_render:render"]),
    )
    const step = rows.find((row) => row.event_type === "step")
    expect(step?.step_sequence).toBe(cfg("mcpApps").stepOffset)
    expect(step?.session_id).toBe(cfg("mcpApps").sessionId)
  })

  it("React StrictMode (mount, unmount, mount): one render, captures still attached", () => {
    expect(types("strict")).toEqual(expect.arrayContaining(["widget_click:book_button"]))
    expect(types("strict").filter((t) => t.startsWith("widget_render"))).toHaveLength(1)
  })

  it("the last unmount sends what waits and removes every listener and the history wrapper", () => {
    expect(types("unmount")).toEqual(
      expect.arrayContaining(["widget_click:book_button", "widget_render:render"]),
    )
    expect(types("unmount").filter((t) => t.startsWith("widget_click"))).toHaveLength(1)
    expect(
      types("unmount").some((t) => t.startsWith("widget_navigation") || t.startsWith("widget_focus")),
    ).toBe(false)
    expect(observed.historyRestored).toBe(true)
    expect(proxy.batchesOf(cfg("unmount").traceId)).toHaveLength(observed.unmountBatches as number)
  })

  it("explicit calls: invalid names, values and currencies dropped; a second user id ignored", () => {
    // Sorted: the calls share a millisecond, so ClickHouse's timestamp order is arbitrary.
    const rows = rowsOf("validation")
      .filter((row) => !row.event_type.startsWith("widget_"))
      .sort((a, b) => `${a.event_type}${a.event_name}`.localeCompare(`${b.event_type}${b.event_name}`))
    expect(rows.map((row) => [row.event_type, row.event_name, row.user_id])).toEqual([
      ["conversion", "lower_case", null],
      ["identify", null, "guest-1"],
      ["identify", null, "guest-1"],
      ["step", "first", "guest-1"],
      ["step", "second", "guest-1"],
      ["track", "after_identify", "guest-1"],
    ])
    expect(rows[0]?.conversion_currency).toBe("USD")
    expect(
      rows.filter((row) => row.event_type === "identify").map((row) => JSON.parse(row.user_traits ?? "{}")),
    ).toEqual(expect.arrayContaining([{ tier: "a" }, { tier: "a", since: 2024 }]))
    expect(rows.filter((row) => row.event_type === "step").map((row) => row.step_sequence)).toEqual([
      cfg("validation").stepOffset,
      (cfg("validation").stepOffset ?? 0) + 1,
    ])
    expect(pageErrors).toEqual([])
  })

  it("every component gets the same instance", () => {
    expect(observed.instances).toBe(1)
  })
})
