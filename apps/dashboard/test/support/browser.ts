/**
 * What the dashboard's browser tests share: the mail an install wrote (its outbox, read through
 * `GET /dev/outbox.json`, which reads `$YAVIO_DATA_DIR/outbox/*.eml`), screenshots under the
 * repository's git-ignored `test-results/`, an axe-core scan, keyboard focus, and one SDK tool
 * call against the platform.
 */
import { mkdirSync } from "node:fs"
import { createRequire } from "node:module"
import { join } from "node:path"
import { Client } from "@modelcontextprotocol/sdk/client/index.js"
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js"
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js"
import { withYavio, yavio } from "@yavio/sdk"
import { REPO_ROOT } from "@yavio/testkit/PlatformProcess"
import type { Page } from "playwright-core"
import { expect } from "vitest"
import { z } from "zod"

export interface OutboxMessage {
  readonly file: string
  readonly subject: string
  readonly to: string
  readonly links: ReadonlyArray<string>
}

export const outbox = async (dashboardUrl: string): Promise<ReadonlyArray<OutboxMessage>> => {
  const response = await fetch(`${dashboardUrl}/dev/outbox.json`)
  expect(response.status).toBe(200)
  return (await response.json()) as ReadonlyArray<OutboxMessage>
}

/** Waits for the newest mail to `to` whose subject matches, and returns its link to `path`. */
export const mailedLink = async (
  dashboardUrl: string,
  to: string,
  subject: RegExp,
  path: string,
  count = 1,
): Promise<string> => {
  let found: string | undefined
  await expect
    .poll(
      async () => {
        const mails = (await outbox(dashboardUrl)).filter((m) => m.to.includes(to) && subject.test(m.subject))
        found = mails[0]?.links.find((l) => new URL(l).pathname.startsWith(path))
        return mails.length >= count && found !== undefined
      },
      { timeout: 15_000, interval: 200 },
    )
    .toBe(true)
  return found!
}

const shotsDir = join(REPO_ROOT, "test-results", "dashboard")

/** A full-page PNG under `test-results/dashboard/` (a test artifact; git-ignored). */
export const screenshot = async (page: Page, name: string): Promise<void> => {
  mkdirSync(shotsDir, { recursive: true })
  await page.screenshot({ path: join(shotsDir, `${name}.png`), fullPage: true })
}

const axeSource = createRequire(import.meta.url).resolve("axe-core/axe.min.js")

export interface AxeFinding {
  readonly id: string
  readonly impact: string | null
  readonly nodes: ReadonlyArray<string>
}

/** axe-core over the page as it is now: the serious and critical violations (§5.10 wants none). */
export const seriousViolations = async (page: Page): Promise<ReadonlyArray<AxeFinding>> => {
  if (!(await page.evaluate(() => "axe" in window))) await page.addScriptTag({ path: axeSource })
  // A fade-in still running (menus, toasts: 100–150 ms) would be measured at part opacity.
  await page.evaluate(() =>
    Promise.all(
      document
        .getAnimations()
        .filter((a) => a.effect?.getTiming().iterations !== Number.POSITIVE_INFINITY)
        .map((a) => a.finished),
    ),
  )
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (context: Document) => Promise<unknown> } }).axe
    const result = (await axe.run(document)) as {
      violations: Array<{ id: string; impact: string | null; nodes: Array<{ target: Array<string> }> }>
    }
    return result.violations
      .filter((v) => v.impact === "serious" || v.impact === "critical")
      .map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.map((n) => n.target.join(" ")) }))
  })
}

/** The focused element, described by its accessible handle (id, name, label or text). */
export const focused = (page: Page): Promise<string> =>
  page.evaluate(() => {
    const el = document.activeElement
    if (el === null) return ""
    const label = el.id === "" ? null : document.querySelector(`label[for="${el.id}"]`)
    return (
      label?.textContent?.replace(/\s*\*$/, "").trim() ||
      el.getAttribute("aria-label") ||
      el.textContent?.trim() ||
      el.tagName
    )
  })

/** Presses Tab until the focused element is `name` (at most `max` presses): keyboard-only paths. */
export const tabTo = async (page: Page, name: string, max = 12): Promise<void> => {
  const seen: Array<string> = []
  for (let i = 0; i < max; i++) {
    await page.keyboard.press("Tab")
    const now = await focused(page)
    seen.push(now)
    if (now === name) return
  }
  throw new Error(`Tab never reached "${name}"; focus went ${seen.join(" → ")}`)
}

/** One tool call through `withYavio` with `apiKey`; resolves once ingest answered for it. */
export const callOneTool = async (apiKey: string, endpoint: string): Promise<void> => {
  const server = withYavio(new McpServer({ name: "hotel", version: "1.0.0" }), { apiKey, endpoint })
  server.registerTool("search_rooms", { inputSchema: { city: z.string() } }, async ({ city }) => ({
    content: [{ type: "text", text: `rooms in ${city}` }],
  }))
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair()
  await server.connect(serverSide)
  const client = new Client({ name: "dashboard-test", version: "1.0.0" })
  await client.connect(clientSide)
  await client.callTool({ name: "search_rooms", arguments: { city: "Lisbon" } })
  await client.close()
  await yavio.shutdown()
}
