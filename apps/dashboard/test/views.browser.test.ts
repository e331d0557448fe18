/**
 * The analytics views in real Chromium against the real platform (`npm start` on embedded
 * stores). A hand-written fixture goes through ingest (`POST /v1/events` with the local API key)
 * before the pages are opened, so every number asserted below follows from it:
 *
 * - session A (chatgpt, alice): search_rooms 100 ms → steps search_done, room_chosen →
 *   conversion booking $120 → book_room 300 ms
 * - session B (claude, bob): search_rooms error (validation, 50 ms) → retry success 150 ms →
 *   step search_done
 * - session C (claude, anonymous): get_weather 200 ms → get_weather error (timeout, 1000 ms)
 *
 * Then the live feed: the page is open, a tool call made through the SDK appears on it (its
 * latency from ingest's acknowledgement to the row on screen is printed), and a sixth stream
 * of the same user is refused with YAVIO-3500. Screenshots go to `test-results/views/`.
 */
import { mkdirSync } from "node:fs"
import { join } from "node:path"
import { Client } from "@modelcontextprotocol/sdk/client/index.js"
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js"
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js"
import { withYavio, yavio } from "@yavio/sdk"
import { type Chromium, launchChromium } from "@yavio/testkit/Chromium"
import { type PlatformProcess, REPO_ROOT, startPlatform } from "@yavio/testkit/PlatformProcess"
import type { Page } from "playwright-core"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { z } from "zod"
import { seriousViolations } from "./support/browser"

const SHOTS = join(REPO_ROOT, "test-results", "views")

let platform: PlatformProcess | undefined
let browser: Chromium | undefined
let page: Page | undefined
/** `http://…/<workspace>/<project>` of the local project. */
let projectUrl = ""

const id = (prefix: string, n: number) => `${prefix}_views${String(n).padStart(16, "0")}`
let seq = 0
const uuid = () => `00000000-0000-4000-8000-${String(++seq).padStart(12, "0")}`

/** The fixture (module doc): timestamps an hour ago, a second apart within a session. */
const fixture = (now: number) => {
  const base = now - 60 * 60 * 1000
  const at = (s: number) => new Date(base + s * 1000).toISOString()
  const common = (session: string, platform: string, user: string | null) => ({
    session_id: session,
    platform,
    source: "server",
    sdk_version: "0.1.0",
    user_id: user,
  })
  const a = common(id("ses", 1), "chatgpt", "alice")
  const b = common(id("ses", 2), "claude", "bob")
  const c = common(id("ses", 3), "claude", null)
  const call = (
    s: typeof a,
    trace: string,
    when: number,
    tool: string,
    latency: number,
    extra: Record<string, unknown> = {},
  ) => ({
    ...s,
    event_id: uuid(),
    event_type: "tool_call",
    trace_id: trace,
    timestamp: at(when),
    event_name: tool,
    latency_ms: latency,
    status: "success",
    is_retry: 0,
    input_keys: ["city"],
    metadata: { zero_result: false, response_size: 200 },
    ...extra,
  })
  const step = (s: typeof a, trace: string, when: number, name: string, sequence: number) => ({
    ...s,
    event_id: uuid(),
    event_type: "step",
    trace_id: trace,
    timestamp: at(when),
    event_name: name,
    step_sequence: sequence,
  })
  return [
    {
      ...a,
      event_id: uuid(),
      event_type: "identify",
      trace_id: id("tr", 10),
      timestamp: at(0),
      user_traits: { plan: "pro" },
    },
    call(a, id("tr", 1), 1, "search_rooms", 100, {
      intent_signals: [{ source: "context_parameter", text: "a quiet room in Lisbon" }],
    }),
    step(a, id("tr", 1), 2, "search_done", 1),
    step(a, id("tr", 1), 3, "room_chosen", 2),
    {
      ...a,
      event_id: uuid(),
      event_type: "conversion",
      trace_id: id("tr", 1),
      timestamp: at(4),
      event_name: "booking",
      conversion_value: 120,
      conversion_currency: "USD",
    },
    call(a, id("tr", 2), 5, "book_room", 300),
    { ...b, event_id: uuid(), event_type: "identify", trace_id: id("tr", 11), timestamp: at(0) },
    call(b, id("tr", 3), 1, "search_rooms", 50, {
      status: "error",
      error_category: "validation",
      error_message: "city missing",
    }),
    call(b, id("tr", 3), 2, "search_rooms", 150, { is_retry: 1 }),
    step(b, id("tr", 3), 3, "search_done", 1),
    call(c, id("tr", 4), 1, "get_weather", 200),
    call(c, id("tr", 5), 2, "get_weather", 1000, {
      status: "error",
      error_category: "timeout",
      error_message: "upstream timed out",
    }),
  ]
}

const text = (selector: string) => page!.locator(selector).first().textContent()

/** Waits for `selector`; on a timeout the error carries what the page shows instead. */
const ready = async (selector: string) => {
  try {
    await page!.locator(selector).first().waitFor({ timeout: 20_000 })
  } catch (error) {
    const shown = await page!
      .locator("main")
      .textContent()
      .catch(() => "(no main)")
    throw new Error(`${selector} did not appear on ${page!.url()}; the page shows:\n${shown}`, {
      cause: error,
    })
  }
}

/** Opens a view from the sidebar (in-app navigation, as a user moves between views). */
const visit = async (view: string, selector: string) => {
  await page!
    .getByRole("navigation", { name: "Project" })
    .getByRole("link", { name: view, exact: true })
    .click()
  await ready(selector)
}

const shot = (name: string) => page!.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true })

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true })
  platform = await startPlatform({ timeoutMs: 150_000 })
  browser = await launchChromium()
  const p = platform
  const response = await fetch(`${p.url}/v1/events`, {
    method: "POST",
    headers: { authorization: `Bearer ${p.install.apiKey}`, "content-type": "application/json" },
    body: JSON.stringify({
      events: fixture(Date.now()),
      sdk_version: "0.1.0",
      sent_at: new Date().toISOString(),
    }),
  })
  expect(response.status, await response.clone().text()).toBe(200)

  page = await browser.context.newPage()
  await page.setViewportSize({ width: 1280, height: 900 })
  await page.goto(`${p.dashboardUrl}/`)
  await page.waitForURL(/\/login/)
  await page.getByLabel("Email").fill(p.install.email)
  await page.getByLabel("Password").fill(p.install.password)
  await page.getByRole("button", { name: "Log in" }).click()
  await page.waitForURL(/\/overview/)
  projectUrl = page.url().replace(/\/overview.*$/, "")
})

afterAll(async () => {
  await browser?.close()
  await platform?.stop()
  platform?.remove()
})

describe("analytics views over the fixture", () => {
  it("Overview: KPI cards, platforms and top tools", async () => {
    await visit("Overview", '[data-kpi="invocations"]')
    await expect.poll(() => text('[data-kpi="invocations"]')).toBe("6")
    expect(await text('[data-kpi="sessions"]')).toBe("3")
    expect(await text('[data-kpi="errorRate"]')).toBe("33.3%")
    expect(await text('[data-kpi="avgLatency"]')).toBe("300ms")
    expect(await text('[data-kpi="conversions"]')).toBe("1")
    expect(await text('[data-kpi="revenue"]')).toBe("$120.00")
    expect(await text('[data-kpi="sessionConversion"]')).toBe("33.3%")
    expect(await text('[data-kpi="identifiedShare"]')).toBe("66.7%")
    // Nothing in the previous window: no trend to show.
    expect(await text('[data-trend="invocations"]')).toBe("no previous data")
    expect(await text('[data-chart="platforms"] [data-slice="claude"]')).toContain("4")
    expect(await text('[data-chart="platforms"] [data-slice="chatgpt"]')).toContain("2")
    const bars = await page!.locator('[data-chart="topTools"] [data-bar]').allTextContents()
    expect(bars.map((b) => b.replace(/\s+/g, " "))).toEqual(["search_rooms3", "get_weather2", "book_room1"])
    await shot("overview")
  })

  it("Tool Explorer: sorted table, sort by error rate in the URL, tool page with percentiles", async () => {
    await visit("Tool Explorer", '[data-table="tools"] tbody tr')
    const rows = page!.locator('[data-table="tools"] tbody tr')
    await expect.poll(() => rows.count()).toBe(3)
    const cells = async (i: number) =>
      (await rows.nth(i).locator("td").allTextContents()).map((t) => t.trim())
    expect(await cells(0)).toEqual([
      "search_rooms",
      "3",
      "#1",
      "66.7%",
      "33.3%",
      "100ms",
      expect.any(String),
      "0.0%",
    ])
    expect((await cells(1)).slice(0, 5)).toEqual(["get_weather", "2", "#2", "50.0%", "50.0%"])
    expect((await cells(1))[5]).toBe("600ms")
    await shot("tools")

    await page!.getByRole("button", { name: "Error rate" }).click()
    await page!.waitForURL(/sort=errorRate/)
    await expect.poll(async () => (await cells(0))[0]).toBe("get_weather")

    await rows.filter({ hasText: "search_rooms" }).click()
    await page!.waitForURL(/\/tools\/search_rooms/)
    await page!.locator('[data-kpi="p50"]').waitFor()
    expect(await text('[data-kpi="invocations"]')).toBe("3")
    expect(await text('[data-kpi="p50"]')).toBe("100ms")
    expect(await text('[data-kpi="errorRate"]')).toBe("33.3%")
    expect(await text('[data-kpi="responseSize"]')).toBe("200 B")
    expect(await text('[data-chart="errorCategories"] [data-slice="validation"]')).toContain("1")
    expect(await text('[data-chart="fillRates"] [data-bar="city"]')).toContain("100.0%")
    await shot("tool-detail")
  })

  it("Funnel View: default steps, drop-off, example trace opens its timeline", async () => {
    await visit("Funnel View", "[data-step]")
    expect(
      await page!.locator("[data-step]").evaluateAll((els) => els.map((e) => e.getAttribute("data-step"))),
    ).toEqual(["search_done", "room_chosen", "booking"])
    expect(await text('[data-step-traces="search_done"]')).toBe("2")
    expect(await text('[data-step-traces="room_chosen"]')).toBe("1")
    expect(await text('[data-step-traces="booking"]')).toBe("1")
    expect(await text('[data-gap="0"]')).toContain("drop-off 50.0%")
    await page!.locator('[data-gap="0"]').click()
    await ready("[data-examples] li")
    expect(await page!.locator("[data-examples] li").allTextContents()).toEqual([id("tr", 3)])
    await page!.locator("[data-examples] li button").click()
    await page!.waitForURL(/trace=tr_views/)
    await expect.poll(() => text("[data-timeline-count]")).toBe("3 events")
    await shot("funnels")

    // Escape closes the drawer and focus goes back to the example that opened it (§5.10).
    await page!.keyboard.press("Escape")
    await page!.waitForURL((url) => !url.search.includes("trace="))
    await expect
      .poll(() => page!.evaluate(() => document.activeElement?.closest("[data-examples] li")?.textContent))
      .toBe(id("tr", 3))

    // A custom funnel, saved under a name, survives a reload (PostgreSQL).
    await page!.getByRole("textbox", { name: "Steps" }).fill("search_done, booking")
    await page!.getByRole("button", { name: "Apply" }).click()
    await page!.waitForURL(/steps=search_done%2Cbooking|steps=search_done,booking/)
    // The two-step funnel is on screen (booking's count alone would match the old one too).
    await expect.poll(() => page!.locator("[data-step]").count()).toBe(2)
    expect(await text('[data-step-traces="booking"]')).toBe("1")
    await page!.getByPlaceholder("Name").fill("Search to booking")
    await page!.getByRole("button", { name: "Save funnel" }).click()
    await page!.waitForURL(/funnel=[0-9a-f-]{36}/)
    await page!.reload()
    await ready('[data-step="booking"]')
    expect(await text(".funnel .card-title")).toBe("Search to booking")
    expect(await page!.locator("[data-step]").count()).toBe(2)
    expect(await text('[data-step-traces="search_done"]')).toBe("2")
    expect(await text('[data-gap="0"]')).toContain("drop-off 50.0%")
  })

  it("Users: KPIs, list, retention, user detail with traits and timeline", async () => {
    await visit("Users", '[data-table="users"] tbody tr')
    expect(await text('[data-kpi="activeUsers"]')).toBe("2")
    expect(await text('[data-kpi="newUsers"]')).toBe("2")
    expect(await text('[data-kpi="returningUsers"]')).toBe("0")
    const users = await page!.locator('[data-table="users"] tbody tr td:first-child').allTextContents()
    expect([...users].sort()).toEqual(["alice", "bob"])
    // One weekly cohort of both users, 100 % in its own week.
    expect(await page!.locator("[data-cohort]").count()).toBe(1)
    expect(await text('[data-cohort] [data-cell$=":0"]')).toBe("100.0%")
    await shot("users")

    // The user-trait filter (§3.5): alice identified with plan "pro", bob without traits.
    await page!.locator('input[name="trait"]').fill("plan = pro")
    await page!.locator('input[name="trait"]').press("Enter")
    await page!.waitForURL(/trait=plan/)
    // The old list stays, dimmed, while the change settles (300 ms) and loads (§3.1).
    await page!.waitForSelector('.view-body[data-refreshing="true"] [data-table="users"]')
    await page!.waitForFunction(() => document.querySelectorAll('[data-table="users"] tbody tr').length === 1)
    expect(await page!.locator('[data-table="users"] tbody tr td:first-child').allTextContents()).toEqual([
      "alice",
    ])
    expect(await text('[data-kpi="activeUsers"]')).toBe("1")
    await page!.locator('input[name="trait"]').fill("")
    await page!.locator('input[name="trait"]').press("Enter")
    await page!.waitForFunction(() => document.querySelectorAll('[data-table="users"] tbody tr').length === 2)

    await page!.locator('[data-table="users"] tbody tr', { hasText: "alice" }).click()
    await page!.waitForURL(/\/users\/alice/)
    await ready('[data-kpi="toolCalls"]')
    expect(await text('[data-kpi="toolCalls"]')).toBe("2")
    expect(await text('[data-kpi="conversions"]')).toBe("1")
    expect(await text('[data-kpi="revenue"]')).toBe("$120.00")
    expect(await text('[data-trait="plan"]')).toContain("pro")
    expect(await page!.locator(`[data-session="${id("ses", 1)}"] .timeline-event`).count()).toBe(6)
    await shot("user-detail")
  })

  it("Paths: the Sankey's links as data", async () => {
    await visit("Paths", '[data-chart="paths"]')
    const rows = (await page!.locator('[data-chart="paths"] details tbody tr').allTextContents()).map((r) =>
      r.trim(),
    )
    expect(rows).toContain("1get_weatherget_weather1")
    expect(rows).toContain("1search_roomssearch_rooms1")
    expect(rows).toContain("2get_weatherdrop-off1")
    expect(await page!.locator('[data-node="1:search_rooms"]').count()).toBe(1)
    await shot("paths")
  })

  it("Errors: KPIs, categories, grouped list, CSV export", async () => {
    await visit("Errors", '[data-kpi="totalErrors"]')
    expect(await text('[data-kpi="totalErrors"]')).toBe("2")
    expect(await text('[data-kpi="errorRate"]')).toBe("33.3%")
    expect(await text('[data-kpi="retrySuccess"]')).toBe("100.0%")
    expect(await text('[data-kpi="widgetErrors"]')).toBe("0")
    const groups = page!.locator('[data-table="errorGroups"] tbody tr')
    await expect.poll(() => groups.count()).toBe(2)
    expect(await groups.filter({ hasText: "upstream timed out" }).locator("td").nth(3).textContent()).toBe(
      "1",
    )
    const download = page!.waitForEvent("download")
    await page!.getByRole("button", { name: "Export CSV" }).click()
    expect((await download).suggestedFilename()).toMatch(/^errors-\d{4}-\d{2}-\d{2}\.csv$/)
    await shot("errors")
  })

  it("Intents: share of calls with a captured context, and the texts", async () => {
    await visit("Intents", '[data-table="intents"] tbody tr')
    const coverage = page!.locator('[data-table="intentCoverage"] tbody tr', { hasText: "search_rooms" })
    expect((await coverage.locator("td").allTextContents()).map((t) => t.trim())).toEqual([
      "search_rooms",
      "3",
      "1",
      "33.3%",
    ])
    const texts = await page!.locator('[data-table="intents"] tbody tr td:first-child').allTextContents()
    expect(texts).toEqual(["a quiet room in Lisbon"])
    await shot("intents")

    // A tool without calls in range stays chosen in the picker, and "All tools" clears it.
    await page!.goto(`${projectUrl}/intents?tool=no_such_tool`)
    const picker = page!.getByRole("combobox", { name: "Tool" })
    await expect.poll(() => picker.inputValue()).toBe("no_such_tool")
    await picker.selectOption("")
    await page!.waitForURL((url) => !url.search.includes("tool="))
  })

  it("a bad page size shows the service's code; the header and its filters stay", async () => {
    await page!.goto(`${projectUrl}/tools?pageSize=500`)
    await expect.poll(() => text("[data-error-code]")).toBe("YAVIO-3403")
    expect(await text("h1")).toBe("Tool Explorer")
    // The range can still be changed where the view failed (a timeout on a long range → a shorter one).
    await page!.getByRole("combobox", { name: "Time range" }).selectOption("24h")
    await page!.waitForURL(/range=24h/)
    await expect.poll(() => text("[data-error-code]")).toBe("YAVIO-3403")
  })

  it("a slow view shows its own header and filters over the skeleton at once (no layout shift)", async () => {
    await page!.goto(`${projectUrl}/overview`)
    await ready('[data-kpi="invocations"]')
    // The view's queries are held until the skeleton has been seen (the router shows it after 1 s).
    let release = () => {}
    const held = new Promise<void>((resolve) => {
      release = resolve
    })
    await page!.route("**/api/rpc", async (route) => {
      await held
      await route.continue()
    })
    try {
      await page!
        .getByRole("navigation", { name: "Project" })
        .getByRole("link", { name: "Errors", exact: true })
        .click()
      // The header is outside the busy skeleton (it is real: focusable, usable).
      // (`.view-body` is the layout's own busy region while a view refreshes.)
      const skeleton = 'div[aria-busy="true"]:not(.view-body)'
      await ready(`${skeleton} .kpi-card`)
      expect(await page!.locator(`${skeleton} .kpi-card`).count()).toBe(4)
      // (React keeps the previous view mounted but hidden until the new one is in.)
      expect(await page!.locator("h1:visible").allTextContents()).toEqual(["Errors"])
      expect(await page!.getByRole("combobox", { name: "Error category" }).count()).toBe(1)
      expect(await page!.locator(`${skeleton} h1`).count()).toBe(0)
    } finally {
      release()
    }
    await ready('[data-kpi="totalErrors"]')
    expect(await text('[data-kpi="totalErrors"]')).toBe("2")
    // After the held requests went on (removing the route while they wait would answer them twice).
    await page!.unrouteAll({ behavior: "wait" })
  })

  it("one failed query keeps its card's frame; the other cards render (§3.1)", async () => {
    // The list's page size is refused (3403); the KPIs, charts and retention come from other queries.
    await page!.goto(`${projectUrl}/users?pageSize=500`)
    await ready('[data-failed="users"] [data-error-code]')
    expect(await text('[data-failed="users"] [data-error-code]')).toBe("YAVIO-3403")
    expect(await text('[data-failed="users"] .card-title')).toBe("Identified users")
    expect(await text('[data-kpi="activeUsers"]')).toBe("2")
    expect(await page!.locator("[data-cohort]").count()).toBe(1)
    expect(await page!.locator("[data-error-code]").count()).toBe(1)
    expect(await seriousViolations(page!)).toEqual([])
    await page!.locator('[data-failed="users"]').scrollIntoViewIfNeeded()
    await shot("users-list-failed")

    await page!.goto(`${projectUrl}/errors?pageSize=500`)
    await ready('[data-failed="errorGroups"] [data-error-code]')
    expect(await text('[data-failed="errorGroups"] [data-error-code]')).toBe("YAVIO-3403")
    expect(await text('[data-kpi="totalErrors"]')).toBe("2")
    expect(await page!.locator('[data-table="perTool"] tbody tr').count()).toBe(2)
  })
})

describe("live feed", () => {
  const callTool = async (p: PlatformProcess, tool: string) => {
    const server = withYavio(new McpServer({ name: "hotel", version: "1.0.0" }), {
      apiKey: p.install.apiKey,
      endpoint: `${p.url}/v1/events`,
    })
    server.registerTool(tool, { inputSchema: { city: z.string() } }, async ({ city }) => ({
      content: [{ type: "text", text: `weather in ${city}` }],
    }))
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair()
    await server.connect(serverSide)
    const client = new Client({ name: "live-test", version: "1.0.0" })
    await client.connect(clientSide)
    await client.callTool({ name: tool, arguments: { city: "Porto" } })
    await client.close()
    // Resolves once ingest answered 200: the events are written (accepted).
    await yavio.shutdown()
  }

  it("shows the backlog, then an SDK tool call within the poll, with its stripe label", async () => {
    await visit("Live Feed", '[data-live-status="connected"]')
    // The backlog: the fixture's last events are there on open.
    await page!.locator('[data-live-event="tool_call"]').first().waitFor()
    // The fixture's failed get_weather call carries the ERROR stripe and label (§5.6).
    expect(await page!.locator(".live-row.stripe-error .live-label").allTextContents()).toEqual([
      "ERROR",
      "ERROR",
    ])
    const probe = page!.locator('[data-event-name="live_probe"]')
    expect(await probe.count()).toBe(0)

    await callTool(platform!, "live_probe")
    const accepted = Date.now()
    await probe.first().waitFor({ timeout: 10_000 })
    const latencyMs = Date.now() - accepted
    console.log(`live feed: accepted → on screen in ${latencyMs} ms`)
    expect(await probe.first().locator(".live-label").textContent()).toBe("TOOL")
    // §7.1 target is 3 s; the 250 ms poll keeps it well under on an idle machine.
    expect(latencyMs).toBeLessThan(3000)
    await shot("live")
  })

  it("refuses a sixth stream of the same user with YAVIO-3500 and frees slots on close", async () => {
    const p = platform!
    const cookies = await browser!.context.cookies(p.dashboardUrl)
    const cookie = cookies.map((c) => `${c.name}=${c.value}`).join("; ")
    const projectId = p.install.projectId
    const open = async () => {
      const controller = new AbortController()
      const response = await fetch(`${p.dashboardUrl}/api/live/${projectId}`, {
        headers: { cookie },
        signal: controller.signal,
      })
      return { response, close: () => controller.abort() }
    }
    // The live page holds one stream; four more reach the limit of five.
    const streams = [await open(), await open(), await open(), await open()]
    expect(streams.map((s) => s.response.status)).toEqual([200, 200, 200, 200])
    const sixth = await open()
    expect(sixth.response.status).toBe(429)
    expect(((await sixth.response.json()) as { error: { code: string } }).error.code).toBe("YAVIO-3500")
    for (const s of streams) s.close()
    await expect
      .poll(
        async () => {
          const again = await open()
          again.close()
          return again.response.status
        },
        { timeout: 10_000 },
      )
      .toBe(200)

    // Without a session: YAVIO-3000.
    const anonymous = await fetch(`${p.dashboardUrl}/api/live/${projectId}`)
    expect(anonymous.status).toBe(401)
    expect(((await anonymous.json()) as { error: { code: string } }).error.code).toBe("YAVIO-3000")
  })
})
