/**
 * `npm run bench:dashboard`: the dashboard's page figures of dashboard.md §7.1, each beside a
 * baseline on the same server and browser, printed as JSON lines.
 *
 * - login page, server-rendered (goal < 200 ms): `GET /login` to the last byte, beside a static
 *   `GET` of one of the app's hashed assets (what the server costs without rendering);
 * - client navigation between settings pages (goal < 100 ms): click a settings tab → the next
 *   page's title is set (its data loaded and rendered), beside the bare route change between
 *   two public pages that load nothing (login ↔ forgot password).
 *
 * Runs the real platform on embedded stores (a temp data dir) and the Debian Chromium.
 */
import { launchChromium } from "@yavio/testkit/Chromium"
import { startPlatform } from "@yavio/testkit/PlatformProcess"
import type { Page } from "playwright-core"

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 40)

const percentile = (values: ReadonlyArray<number>, p: number): number => {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN
}
const round = (n: number) => Math.round(n * 100) / 100

const timeGet = async (url: string): Promise<number> => {
  const started = performance.now()
  const response = await fetch(url)
  await response.arrayBuffer()
  if (!response.ok) throw new Error(`GET ${url}: ${response.status}`)
  return performance.now() - started
}

const report = (
  metric: string,
  samples: ReadonlyArray<number>,
  baseline: ReadonlyArray<number>,
  goalMs: number,
  baselineName: string,
) => {
  const p50 = percentile(samples, 50)
  const base = percentile(baseline, 50)
  console.log(
    JSON.stringify({
      metric,
      rounds: samples.length,
      p50_ms: round(p50),
      p95_ms: round(percentile(samples, 95)),
      baseline: baselineName,
      baseline_p50_ms: round(base),
      baseline_p95_ms: round(percentile(baseline, 95)),
      ratio_p50: round(p50 / base),
      goal_ms: goalMs,
      meets_goal: percentile(samples, 95) < goalMs,
    }),
  )
}

/** Clicks the link named `name` and resolves with the ms until the document title is `title`. */
const clickToTitle = (page: Page, name: string, title: string): Promise<number> =>
  page.evaluate(
    async ({ name, title }) => {
      const link = [...document.querySelectorAll("a")].find((a) => a.textContent?.trim() === name)
      if (link === undefined) throw new Error(`no link "${name}"`)
      const started = performance.now()
      link.click()
      while (document.title !== title) await new Promise((resolve) => requestAnimationFrame(resolve))
      return performance.now() - started
    },
    { name, title },
  )

const platform = await startPlatform({ timeoutMs: 180_000 })
const browser = await launchChromium()
try {
  const base = platform.dashboardUrl
  const html = await (await fetch(`${base}/login`)).text()
  const asset = /href="(\/assets\/[^"]+\.css)"/.exec(html)?.[1]
  if (asset === undefined) throw new Error("no stylesheet in the login page")

  // Warm both paths (module caches, the first render), then alternate so drift hits both alike.
  for (let i = 0; i < 5; i++) await Promise.all([timeGet(`${base}/login`), timeGet(`${base}${asset}`)])
  const ssr: Array<number> = []
  const statics: Array<number> = []
  for (let i = 0; i < ROUNDS; i++) {
    ssr.push(await timeGet(`${base}/login`))
    statics.push(await timeGet(`${base}${asset}`))
  }
  report(
    "login page server render",
    ssr,
    statics,
    200,
    `static GET ${asset.replace(/-[\w-]+\./, "-<hash>.")}`,
  )

  const page = await browser.context.newPage()
  await page.setViewportSize({ width: 1280, height: 800 })
  // Baseline: a route change that loads nothing (two public pages).
  await page.goto(`${base}/login`)
  await page.getByRole("link", { name: "Forgot your password?" }).waitFor()
  const bare: Array<number> = []
  for (let i = 0; i < ROUNDS; i++) {
    bare.push(await clickToTitle(page, "Forgot your password?", "Reset your password · Yavio"))
    bare.push(await clickToTitle(page, "Back to log in", "Log in · Yavio"))
  }

  await page.getByLabel("Email").fill(platform.install.email)
  await page.getByLabel("Password").fill(platform.install.password)
  await page.getByRole("button", { name: "Log in" }).click()
  await page.waitForURL(/\/overview$/)
  const workspace = new URL(page.url()).pathname.split("/")[1]
  await page.goto(`${base}/${workspace}/settings/general`)
  await page.getByRole("link", { name: "Members" }).waitFor()
  const tabs = [
    ["Members", "Members · Yavio"],
    ["Projects", "Projects · Yavio"],
    ["API keys", "API keys · Yavio"],
    ["Billing", "Billing · Yavio"],
    ["General", "General settings · Yavio"],
  ] as const
  const settings: Array<number> = []
  // The first lap loads each page's code chunk; only later laps are counted.
  for (const [name, title] of tabs) await clickToTitle(page, name, title)
  for (let i = 0; i < Math.ceil(ROUNDS / tabs.length) * 2; i++) {
    for (const [name, title] of tabs) settings.push(await clickToTitle(page, name, title))
  }
  report(
    "client navigation between settings pages",
    settings,
    bare,
    100,
    "bare route change (login ↔ forgot password)",
  )
} finally {
  await browser.close()
  await platform.stop()
  platform.remove()
}
