/**
 * Brute-force lockout in the browser (dashboard.md §1.6), on a platform of its own: the auth
 * rate limit (10 login-like requests per minute per IP, §1.7) would otherwise be shared with the
 * accounts flows. Keyboard only: ten wrong passwords for the local admin, the tenth answered
 * with the level-1 lock (YAVIO-3003, "locked"); an unlock link that is not one is refused with
 * the service's code.
 */
import { type Chromium, launchChromium } from "@yavio/testkit/Chromium"
import { type PlatformProcess, startPlatform } from "@yavio/testkit/PlatformProcess"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { focused, screenshot, tabTo } from "./support/browser"

let platform: PlatformProcess | undefined
let browser: Chromium | undefined

beforeAll(async () => {
  platform = await startPlatform({ timeoutMs: 150_000 })
  browser = await launchChromium()
})

afterAll(async () => {
  await browser?.close()
  await platform?.stop()
  platform?.remove()
})

describe("lockout", () => {
  it("locks the account after ten wrong passwords and says so with YAVIO-3003", async () => {
    const p = await browser!.context.newPage()
    await p.setViewportSize({ width: 1280, height: 800 })
    await p.goto(`${platform!.dashboardUrl}/login`)
    await expect.poll(() => p.title()).toBe("Log in · Yavio")
    await tabTo(p, "Email")
    await p.keyboard.type(platform!.install.email)
    const alert = p.getByRole("alert")
    for (let attempt = 1; attempt <= 10; attempt++) {
      await p.getByLabel("Password").focus()
      expect(await focused(p)).toBe("Password")
      await p.keyboard.press("Control+A")
      await p.keyboard.type(`wrong password ${attempt}`)
      await p.keyboard.press("Enter")
      // Each answer replaces the last; wait for the button to be free again before the next.
      await p.getByRole("button", { name: "Log in", exact: true }).and(p.locator(":enabled")).waitFor()
      const text = await alert.textContent()
      expect([attempt, text]).toEqual([
        attempt,
        expect.stringContaining(attempt < 10 ? "YAVIO-3001" : "YAVIO-3003"),
      ])
    }
    expect(await alert.textContent()).toMatch(/lock/i)
    await screenshot(p, "login-locked")

    await p.goto(`${platform!.dashboardUrl}/unlock?token=not-a-token`)
    await tabTo(p, "Unlock my account")
    await p.keyboard.press("Enter")
    await expect.poll(() => alert.textContent()).toMatch(/YAVIO-30\d\d/)
    await screenshot(p, "unlock-refused")
    await p.close()
  })
})
