/**
 * The Debian Chromium (`/usr/bin/chromium`, installed by `.ci/run`) driven by playwright-core:
 * headless, with the flags the project's browser tests use and a fresh profile directory per
 * launch, removed again on close. One browser per test file.
 */

import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { type BrowserContext, chromium } from "playwright-core"

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

export interface Chromium {
  readonly context: BrowserContext
  readonly close: () => Promise<void>
}

/** `--user-data-dir` is what `launchPersistentContext` passes for `profileDir`. */
export const launchChromium = async (): Promise<Chromium> => {
  const profileDir = mkdtempSync(join(tmpdir(), "yavio-chromium-"))
  const context = await chromium.launchPersistentContext(profileDir, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: FLAGS,
    viewport: { width: 800, height: 600 },
    // Pinned, so the widget's language and timezone fields do not depend on the machine.
    locale: "en-US",
    timezoneId: "UTC",
  })
  return {
    context,
    close: async () => {
      await context.close()
      rmSync(profileDir, { recursive: true, force: true })
    },
  }
}
