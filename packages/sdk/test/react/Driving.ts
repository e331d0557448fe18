/**
 * Helpers for driving a widget page: the page's clock, waiting on the widget's own state, and the
 * widget instance the fixture exposes (`window.__instances`) for explicit calls from the test.
 */

import type { BrowserContext, Frame, Page } from "playwright-core"
import type { RecordingProxy } from "./RecordingProxy.js"

/**
 * Stops the page's timers where they are (Playwright's fake clock, installed before navigation):
 * from here only `page.clock.runFor` moves time, so "no flush yet" is a fact, not a race.
 */
export const pauseClock = async (page: Page): Promise<void> => {
  // The page's clock runs on while the pause is on its way: on a loaded machine 50 ms may
  // already be past by then ("Cannot fast-forward to the past"), so aim further each time.
  for (let ahead = 50; ; ahead *= 4) {
    const now = await page.evaluate(() => Date.now())
    try {
      return await page.clock.pauseAt(now + ahead)
    } catch (error) {
      if (ahead > 10_000 || !String(error).includes("to the past")) throw error
    }
  }
}

/**
 * A page whose clock stands still from before its first script: the widget's 5 s timer starts
 * at a known fake instant, so the test can move time to just before and just after it.
 */
export const frozenPage = async (context: BrowserContext): Promise<Page> => {
  const page = await context.newPage()
  const start = Date.now()
  await page.clock.install({ time: start })
  // Ahead of the installed clock, which runs until paused (about:blank has no timers to fire).
  await page.clock.pauseAt(start + 1_000)
  return page
}

/** A tampered copy of a widget JWT: same claims, wrong signature (ingest answers 401). */
export const badSignature = (token: string): string => {
  const [header, payload, signature = ""] = token.split(".")
  // A middle character carries full signature bits (the last one partly encodes padding).
  const swapped = signature[5] === "A" ? "B" : "A"
  return `${header}.${payload}.${signature.slice(0, 5)}${swapped}${signature.slice(6)}`
}

/** A copy of a widget JWT whose `exp` has passed (the hook must not send it at all). */
export const expiredCopy = (token: string): string => {
  const [header, payload, signature] = token.split(".")
  const claims = JSON.parse(Buffer.from(payload ?? "", "base64url").toString("utf8")) as Record<
    string,
    unknown
  >
  const expired = Buffer.from(JSON.stringify({ ...claims, exp: Math.floor(Date.now() / 1e3) - 60 })).toString(
    "base64url",
  )
  return `${header}.${expired}.${signature}`
}

/** Polls `probe` in Node (page timers may be paused) until it returns true. */
export const until = async (
  probe: () => Promise<boolean> | boolean,
  what: string,
  ms = 15_000,
): Promise<void> => {
  const deadline = Date.now() + ms
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 25))
  }
}

/** The `YavioWidget` of the page (the fixture collects every instance the hook returned). */
export const callWidget = (frame: Page | Frame, script: string): Promise<void> =>
  frame.evaluate((code) => {
    const [widget] = [...(window.__instances ?? [])]
    new Function("y", code)(widget)
  }, script)

/**
 * A marker request from the page to the proxy, started after everything the page did so far:
 * the condition to wait on before asserting that the widget sent nothing (more). A batch the
 * widget had started earlier goes to the same local server and would be in by then.
 */
export const barrier = async (frame: Page | Frame, proxy: RecordingProxy, id: string): Promise<void> => {
  await frame.evaluate(
    (url) => fetch(url, { method: "POST" }).then(() => undefined),
    `${proxy.url}/barrier/${id}`,
  )
  await proxy.waitFor(() => proxy.marks.includes(id), `barrier ${id}`)
}

/**
 * Counts the page's batch requests that got their answer (`requestfinished`, or failed). After
 * the proxy recorded a batch the page still has to receive the answer and schedule its retry
 * timer; moving the clock before that would skip the timer, so tests wait on this first.
 */
export const answeredBatches = (page: Page): (() => number) => {
  let count = 0
  const onDone = (request: { url: () => string }) => {
    if (request.url().endsWith("/v1/events")) count++
  }
  page.on("requestfinished", onDone)
  page.on("requestfailed", onDone)
  return () => count
}

/** Lets the page run the tasks already queued (a message-channel round trip; timers are frozen). */
export const drainTasks = (page: Page): Promise<void> =>
  page.evaluate(
    () =>
      new Promise<void>((resolve) => {
        const channel = new MessageChannel()
        channel.port1.onmessage = () => resolve()
        channel.port2.postMessage(0)
      }),
  )
