/**
 * Helpers for driving a widget page: the page's clock, waiting on the widget's own state, and the
 * widget instance the fixture exposes (`window.__instances`) for explicit calls from the test.
 */

import type { Frame, Page } from "playwright-core"
import type { RecordingProxy } from "./RecordingProxy.js"

/**
 * Stops the page's timers where they are (Playwright's fake clock, installed before navigation):
 * from here only `page.clock.runFor` moves time, so "no flush yet" is a fact, not a race.
 */
export const pauseClock = async (page: Page): Promise<void> => {
  const now = await page.evaluate(() => Date.now())
  await page.clock.pauseAt(now + 1)
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
