/**
 * Renders widget results in a real headless browser for the traffic generator: the widget HTML
 * the server returned for `resources/read` (with `window.__YAVIO__` injected by withYavio) is
 * served from a local HTTP server with ChatGPT's `window.openai` globals set from the tool result,
 * opened in the Debian Chromium through playwright-core, used like a person would (scroll, sort,
 * a rage click now and then, a special request, book), and closed: `useYavio()` in the widget
 * captures it all and delivers on close.
 */

import { existsSync, mkdtempSync, rmSync } from "node:fs"
import { createServer } from "node:http"
import type { AddressInfo } from "node:net"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { chromium } from "playwright-core"

export const CHROMIUM_PATH = "/usr/bin/chromium"

const FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
]

export interface WidgetResult {
  readonly structuredContent?: unknown
  readonly _meta?: unknown
}

export interface WidgetBrowser {
  /** Renders one widget result, interacts with it, closes it; resolves to the actions taken. */
  readonly render: (html: string, result: WidgetResult, random: () => number) => Promise<string[]>
  readonly close: () => Promise<void>
}

const scriptJson = (value: unknown): string => JSON.stringify(value ?? null).replace(/</g, "\\u003c")

/** `undefined` when there is no Chromium on this machine (the generator then skips widgets). */
export const startWidgetBrowser = async (): Promise<WidgetBrowser | undefined> => {
  if (!existsSync(CHROMIUM_PATH)) return undefined
  const pages = new Map<string, string>()
  const server = createServer((req, res) => {
    const html = pages.get(req.url ?? "")
    if (html === undefined) res.writeHead(404).end()
    else res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(html)
  })
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  const profile = mkdtempSync(join(tmpdir(), "yavio-traffic-chromium-"))
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: FLAGS,
    viewport: { width: 480, height: 420 },
  })
  // "Details" links open the hotel's site: answered locally, the machine may be offline.
  await context.route("https://hotel.example/**", (route) => route.fulfill({ body: "hotel site" }))
  let next = 0

  const render = async (html: string, result: WidgetResult, random: () => number): Promise<string[]> => {
    const path = `/widget/${next++}`
    const globals = `<script>window.openai={toolOutput:${scriptJson(result.structuredContent)},toolResponseMetadata:${scriptJson(result._meta)}}</script>`
    pages.set(path, html.replace("<head>", `<head>${globals}`))
    const actions: string[] = []
    const page = await context.newPage()
    try {
      await page.goto(`${origin}${path}`)
      const books = page.locator("button[data-yavio^='book-']")
      await books.first().waitFor({ timeout: 10_000 })
      if (random() < 0.6) {
        await page.locator("ul").hover()
        await page.mouse.wheel(0, 150 + Math.floor(random() * 300))
        actions.push("scroll")
      }
      if (random() < 0.4) {
        await page.locator("button[data-yavio='sort']").click()
        actions.push("sort")
      }
      if (random() < 0.15) {
        for (let i = 0; i < 3; i++) await books.first().click({ delay: 10 })
        actions.push("rage")
      }
      if (random() < 0.3) {
        const popup = page.waitForEvent("popup")
        await page.locator("a").first().click()
        await (await popup).close()
        actions.push("details")
      }
      if (random() < 0.25) {
        await page.locator("input[name='request']").fill("Late check-in please")
        await page.locator("form button[type='submit']").click()
        actions.push("request")
      }
      const count = await books.count()
      await books.nth(Math.floor(random() * count)).click()
      actions.push("book")
    } finally {
      // The hook sends what it holds on pagehide. Fire it while the page is still open and wait
      // for ingest's answer: a keepalive request still in flight when the browser context
      // closes is lost, and on a busy machine that race is lost often.
      const delivered = page
        .waitForResponse((response) => response.url().endsWith("/v1/events"), { timeout: 10_000 })
        .catch(() => undefined)
      await page.evaluate(() => window.dispatchEvent(new Event("pagehide"))).catch(() => undefined)
      await delivered
      await page.close()
      pages.delete(path)
    }
    return actions
  }

  const close = async () => {
    await context.close()
    rmSync(profile, { recursive: true, force: true })
    server.closeAllConnections()
    await new Promise<void>((resolve) => server.close(() => resolve()))
  }
  return { render, close }
}
