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
  for (const key of ["p4Openai", "openaiLate", "mcpApps"]) await delivered(key)
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

  it("every component gets the same instance", () => {
    expect(observed.instances).toBe(1)
  })
})
