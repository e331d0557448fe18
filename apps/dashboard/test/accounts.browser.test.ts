/**
 * The accounts half of the dashboard in real Chromium against the real platform (embedded
 * stores, mail written to the data dir's outbox):
 * - keyboard only: register → "check your inbox" → resend → the mailed link verifies →
 *   onboarding (workspace, project, API key shown once, snippet tabs) → one SDK event →
 *   "Your first event arrived" → Overview;
 * - API keys as the owner: create (full key once), rotate, revoke; dialogs close on Escape and
 *   give focus back;
 * - an invitation as viewer → the invitee registers from the mailed link → sees no Settings,
 *   and the services refuse workspace settings and keys with YAVIO-3100; made a member by the
 *   owner, the same person sees settings read-only, with no key, member or project controls;
 * - axe-core on every page in light and dark: no serious or critical violations;
 * - screenshots of each page under test-results/dashboard/.
 */
import { type Chromium, launchChromium } from "@yavio/testkit/Chromium"
import { type PlatformProcess, startPlatform } from "@yavio/testkit/PlatformProcess"
import type { Page } from "playwright-core"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import {
  type AxeFinding,
  callOneTool,
  focused,
  mailedLink,
  screenshot,
  seriousViolations,
  tabTo,
} from "./support/browser"

let platform: PlatformProcess | undefined
let browser: Chromium | undefined
let page: Page | undefined

const owner = { name: "Olivia Owner", email: "olivia@example.com", password: "owner-password-1" }
const viewer = { name: "Victor Viewer", email: "victor@example.com", password: "viewer-password-1" }
const workspace = { name: "Acme Hotels", slug: "acme-hotels" }
const project = { name: "Hotel Booking MCP", slug: "hotel-booking-mcp" }

beforeAll(async () => {
  platform = await startPlatform({ timeoutMs: 150_000 })
  browser = await launchChromium()
  await browser.context.grantPermissions(["clipboard-read", "clipboard-write"], {
    origin: platform.dashboardUrl,
  })
  page = await browser.context.newPage()
  // Desktop only (§5.4): the smallest supported width.
  await page.setViewportSize({ width: 1280, height: 800 })
})

afterAll(async () => {
  await browser?.close()
  await platform?.stop()
  platform?.remove()
})

const url = (path: string) => `${platform!.dashboardUrl}${path}`
const alertText = (p: Page) => p.getByRole("alert").first().textContent()

describe("accounts pages", () => {
  it("registers, verifies and onboards by keyboard alone, and the first SDK event shows up", async () => {
    const p = page!
    await p.goto(url("/register"))
    await expect.poll(() => p.title()).toBe("Create your account · Yavio")

    await tabTo(p, "Name")
    await p.keyboard.type(owner.name)
    await p.keyboard.press("Tab")
    expect(await focused(p)).toBe("Email")
    await p.keyboard.type(owner.email)
    await p.keyboard.press("Tab")
    expect(await focused(p)).toBe("Password")
    await p.keyboard.type(owner.password)
    await p.keyboard.press("Enter")

    await p.waitForURL(/\/check-inbox\?email=/)
    await screenshot(p, "check-inbox")
    const first = await mailedLink(platform!.dashboardUrl, owner.email, /verify/i, "/verify-email")
    await tabTo(p, "Resend the email")
    await p.keyboard.press("Enter")
    await p.getByText("A new link is on its way").waitFor()
    const second = await mailedLink(platform!.dashboardUrl, owner.email, /verify/i, "/verify-email", 2)
    expect(second).not.toBe(first)

    // The resend invalidated the first link: it shows the service's code, the second works.
    await p.goto(first)
    await expect.poll(() => alertText(p)).toContain("YAVIO-3007")
    await p.goto(second)
    await p.waitForURL(/\/onboarding$/)

    // Step 1: the default workspace, renamed. Focus sits on the step's heading.
    await p.getByRole("heading", { name: "Name your workspace" }).waitFor()
    expect(await focused(p)).toBe("Name your workspace")
    await screenshot(p, "onboarding-1-workspace")
    await tabTo(p, "Workspace name")
    await p.keyboard.press("Control+A")
    await p.keyboard.type(workspace.name)
    await p.keyboard.press("Tab")
    expect(await focused(p)).toBe("Workspace URL slug")
    await p.keyboard.press("Control+A")
    await p.keyboard.type(workspace.slug)
    await p.keyboard.press("Enter")

    // Step 2: the first project.
    await p.getByRole("heading", { name: "Create your first project" }).waitFor()
    await tabTo(p, "Project name")
    await p.keyboard.type(project.name)
    await p.keyboard.press("Enter")

    // Step 3: the key, once, with a copy button.
    await p.getByRole("heading", { name: "Your API key" }).waitFor()
    const key = p.getByTestId("api-key")
    await key.waitFor()
    const apiKey = (await key.textContent()) ?? ""
    expect(apiKey).toMatch(/^yav_[A-Za-z0-9_-]{32}$/)
    await screenshot(p, "onboarding-3-key")
    await tabTo(p, "Copy key")
    await p.keyboard.press("Enter")
    await p.getByText("API key copied").waitFor()
    expect(await p.evaluate(() => navigator.clipboard.readText())).toBe(apiKey)
    await tabTo(p, "Continue")
    await p.keyboard.press("Enter")

    // Step 4: the snippet names the key and this install's ingest endpoint; arrows switch tabs.
    await p.getByRole("heading", { name: "Add Yavio to your MCP server" }).waitFor()
    const snippet = p.getByTestId("snippet")
    expect(await snippet.textContent()).toContain(`apiKey: "${apiKey}"`)
    expect(await snippet.textContent()).toContain(`endpoint: "${platform!.url}/v1/events"`)
    await tabTo(p, "Server")
    await p.keyboard.press("ArrowRight")
    expect(await focused(p)).toBe("Widget")
    await expect.poll(() => snippet.textContent()).toContain("useYavio()")
    await screenshot(p, "onboarding-4-snippet")
    await tabTo(p, "Continue")
    await p.keyboard.press("Enter")

    // Step 5: waiting until an event arrives (the page asks every 2 s).
    await p.getByText("Waiting for your first event…").waitFor()
    await screenshot(p, "onboarding-5-waiting")
    await callOneTool(apiKey, `${platform!.url}/v1/events`)
    await p.getByText("Your first event arrived.").waitFor({ timeout: 20_000 })
    await tabTo(p, "Continue to dashboard")
    await p.keyboard.press("Enter")
    await p.waitForURL(new RegExp(`/${workspace.slug}/${project.slug}/overview$`))
  })

  it("lets the owner create, rotate and revoke API keys; dialogs close on Escape and return focus", async () => {
    const p = page!
    await p.goto(url(`/${workspace.slug}/settings/keys`))
    await expect.poll(() => p.title()).toBe("API keys · Yavio")
    const section = p.locator(`[data-keys-of="${project.slug}"]`)
    await section.locator("tbody tr").first().waitFor()
    expect(await section.locator("tbody tr").count()).toBe(1)

    const create = p.getByRole("button", { name: `Create key for ${project.name}` })
    await create.focus()
    await p.keyboard.press("Enter")
    const dialog = p.getByRole("dialog", { name: "Create API key" })
    await dialog.waitFor()
    expect(await focused(p)).toBe("Name")
    await p.keyboard.press("Escape")
    await dialog.waitFor({ state: "hidden" })
    expect(await focused(p)).toBe(`Create key for ${project.name}`)

    await create.click()
    await p.getByLabel("Name").fill("CI")
    await p.getByRole("button", { name: "Create key", exact: true }).click()
    const full = p.getByTestId("new-api-key")
    await full.waitFor()
    const ciKey = (await full.textContent()) ?? ""
    expect(ciKey).toMatch(/^yav_/)
    await screenshot(p, "settings-keys-created")
    await p.getByRole("button", { name: "Done" }).click()
    await expect.poll(() => section.locator("tbody tr").count()).toBe(2)
    // The full key is never shown again: the table holds prefixes only.
    expect(await p.locator("body").textContent()).not.toContain(ciKey)
    const ciRow = section.locator("tbody tr", { hasText: "CI" })
    expect(await ciRow.locator(".mono").textContent()).toMatch(/^yav_.{4}\.\.\.$/)

    await p.getByRole("button", { name: "Rotate CI" }).click()
    await p.getByLabel("Grace period (minutes)").fill("0")
    await p.getByRole("button", { name: "Rotate key" }).click()
    await p.getByTestId("new-api-key").waitFor()
    await p.getByRole("button", { name: "Done" }).click()
    await expect.poll(() => section.locator("tbody tr").count()).toBe(3)

    await p.getByRole("button", { name: "Revoke Default" }).click()
    await p.getByRole("button", { name: "Revoke key" }).click()
    await p.getByText("API key revoked").waitFor()
    await expect
      .poll(() => section.locator("tbody tr", { hasText: "Default" }).locator(".badge").textContent())
      .toBe("revoked")
    await screenshot(p, "settings-keys")

    // The wizard reopens at the key step for an existing project (the empty Overview's CTA, §4);
    // this project already has its event, so the wait ends at once.
    await p.goto(url(`/onboarding?workspace=${workspace.slug}&project=${project.slug}`))
    await p.getByRole("heading", { name: "Your API key" }).waitFor()
    expect(await p.getByTestId("api-key").textContent()).toMatch(/^yav_/)
    await p.getByRole("button", { name: "Continue" }).click()
    await p.getByRole("heading", { name: "Add Yavio to your MCP server" }).waitFor()
    await p.getByRole("button", { name: "Continue" }).click()
    await p.getByText("Your first event arrived.").waitFor()
  })

  it("passes axe (no serious or critical violations) on every signed-in page, light and dark", async () => {
    const p = page!
    const views = [
      "overview",
      "tools",
      "tools/search_rooms",
      "funnels",
      "users",
      "paths",
      "errors",
      "live",
      "intents",
    ]
    const pages = [
      // The analytics views over the onboarding's one search_rooms call.
      ...views.map((view) => `/${workspace.slug}/${project.slug}/${view}`),
      `/${workspace.slug}/settings/general`,
      `/${workspace.slug}/settings/members`,
      `/${workspace.slug}/settings/projects`,
      `/${workspace.slug}/settings/keys`,
      `/${workspace.slug}/settings/billing`,
      "/settings/profile",
      "/settings/security",
      "/settings/account",
      `/onboarding?workspace=${workspace.slug}`,
    ]
    // The theme toggle of the user menu: switches at once and is remembered.
    await p.goto(url("/settings/profile"))
    const menu = p.getByRole("button", { name: owner.name })
    await menu.click()
    await p.getByRole("menuitemradio", { name: "Dark" }).click()
    expect(await p.evaluate(() => document.documentElement.classList.contains("dark"))).toBe(true)
    expect(await p.evaluate(() => localStorage.getItem("yavio-theme"))).toBe("dark")
    await p.reload()
    await menu.waitFor()
    expect(await p.evaluate(() => document.documentElement.classList.contains("dark"))).toBe(true)
    await menu.click()
    await p.getByRole("menuitemradio", { name: "System" }).click()
    expect(await p.evaluate(() => localStorage.getItem("yavio-theme"))).toBeNull()
    await p.keyboard.press("Escape")
    await p.getByRole("menu").waitFor({ state: "hidden" })
    expect(await focused(p)).toContain(owner.name)

    const found: Record<string, ReadonlyArray<AxeFinding>> = {}
    for (const theme of ["light", "dark"] as const) {
      await p.evaluate((t) => localStorage.setItem("yavio-theme", t), theme)
      for (const path of pages) {
        await p.goto(url(path))
        await p.locator("main h1").first().waitFor()
        await p.locator("[aria-busy=true]").first().waitFor({ state: "detached" })
        expect(await p.evaluate(() => document.documentElement.classList.contains("dark"))).toBe(
          theme === "dark",
        )
        found[`${theme} ${path}`] = await seriousViolations(p)
        const name = path.replace(/^\//, "").replace(/[/?=]/g, "_")
        await screenshot(p, `${theme}-${name}`)
      }
      // A dialog and the user menu open, too.
      await p.goto(url(`/${workspace.slug}/settings/members`))
      await p.getByRole("button", { name: "Invite" }).click()
      await p.getByRole("dialog").waitFor()
      found[`${theme} invite dialog`] = await seriousViolations(p)
      await p.keyboard.press("Escape")
      await p.getByRole("button", { name: owner.name }).click()
      await p.getByRole("menu").waitFor()
      found[`${theme} user menu`] = await seriousViolations(p)
      await screenshot(p, `${theme}-user-menu`)
      await p.keyboard.press("Escape")
    }
    await p.evaluate(() => localStorage.removeItem("yavio-theme"))
    expect(Object.entries(found).filter(([, v]) => v.length > 0)).toEqual([])
  })

  it("invites a viewer: the invitee joins from the mail, sees no settings, and the services refuse keys", async () => {
    const p = page!
    await p.goto(url(`/${workspace.slug}/settings/members`))
    await p.getByRole("button", { name: "Invite" }).click()
    await p.getByRole("dialog", { name: "Invite a member" }).waitFor()
    await p.getByLabel("Email").fill(viewer.email)
    await p.getByLabel("Role").selectOption("viewer")
    await p.getByRole("button", { name: "Send invitation" }).click()
    await p.getByText("Member invited").waitFor()
    await p.locator(`[data-invitation="${viewer.email}"]`).waitFor()
    await screenshot(p, "settings-members-invited")
    const link = await mailedLink(platform!.dashboardUrl, viewer.email, /invit|join/i, "/invite/")

    // The owner signs out through the user menu's keyboard path.
    await p.getByRole("button", { name: owner.name }).focus()
    await p.keyboard.press("Enter")
    await p.getByRole("menuitem", { name: "Sign out" }).click()
    await p.waitForURL(/\/login$/)

    await p.goto(link)
    await p.getByText(`to ${workspace.name} as viewer`, { exact: false }).waitFor()
    await screenshot(p, "invite-landing")
    await p.getByRole("link", { name: "Create an account to join" }).click()
    await p.waitForURL(/\/register\?/)
    expect(await p.getByLabel("Email").inputValue()).toBe(viewer.email)
    await p.getByLabel("Name").fill(viewer.name)
    await p.getByLabel("Password").fill(viewer.password)
    await p.getByRole("button", { name: "Create account" }).click()
    await p.waitForURL(new RegExp(`/${workspace.slug}/${project.slug}/overview$`))

    // No Settings for a viewer, no "+ Create project"; the URL typed by hand is refused by the service.
    await p.getByRole("navigation", { name: "Project" }).waitFor()
    expect(await p.getByRole("link", { name: "Settings", exact: true }).count()).toBe(0)
    expect(await p.getByRole("button", { name: "+ Create project" }).count()).toBe(0)
    for (const section of ["keys", "members", "general"]) {
      await p.goto(url(`/${workspace.slug}/settings/${section}`))
      await expect.poll(() => p.locator("main").first().textContent()).toContain("YAVIO-3100")
      expect(await p.getByRole("button", { name: /Create key|Invite|Save/ }).count()).toBe(0)
    }
    await screenshot(p, "viewer-keys-refused")
  })

  it("the owner makes the viewer a member: settings open read-only, without key or member controls", async () => {
    const p = page!
    const signIn = async (who: { email: string; password: string }) => {
      await p.context().clearCookies()
      await p.goto(url("/login"))
      await p.getByLabel("Email").fill(who.email)
      await p.getByLabel("Password").fill(who.password)
      await p.getByRole("button", { name: "Log in" }).click()
      await p.waitForURL(/\/overview$/)
    }
    await signIn(owner)
    await p.goto(url(`/${workspace.slug}/settings/members`))
    await p.getByLabel(`Role of ${viewer.email}`).selectOption("member")
    await p.getByText("Role changed").waitFor()
    // The owner's own row has no role select: ownership is not a role and cannot be changed.
    expect(await p.getByLabel(`Role of ${owner.email}`).count()).toBe(0)

    await signIn(viewer)
    await p.getByRole("link", { name: "Settings", exact: true }).click()
    await p.getByText("Only admins can change these settings.").waitFor()
    expect(await p.getByRole("button", { name: "Save" }).count()).toBe(0)
    await p.getByRole("link", { name: "API keys" }).click()
    await p.locator(`[data-keys-of="${project.slug}"] tbody tr`).first().waitFor()
    // After a client navigation the page's heading has the focus (§5.10).
    await expect.poll(() => focused(p)).toContain(`Settings / ${workspace.name}`)
    expect(await p.getByRole("button", { name: /Create key|Rotate|Revoke/ }).count()).toBe(0)
    await p.getByRole("link", { name: "Members" }).click()
    await p.locator(`[data-member="${owner.email}"]`).waitFor()
    expect(await p.getByRole("button", { name: /Invite|Remove/ }).count()).toBe(0)
    await p.getByRole("link", { name: "Projects" }).click()
    await p.locator(`[data-project="${project.slug}"]`).waitFor()
    expect(await p.getByRole("button", { name: /Create project|Rename|Delete/ }).count()).toBe(0)
    await screenshot(p, "member-projects-read-only")
  })

  it("passes axe on every signed-out page, light and dark", async () => {
    const p = page!
    await p.context().clearCookies()
    const pages = [
      "/login",
      "/register",
      `/check-inbox?email=${encodeURIComponent(owner.email)}`,
      "/verify-email?token=not-a-token",
      "/forgot-password",
      "/reset-password?token=not-a-token",
      "/unlock?token=not-a-token",
      "/invite/not-a-token",
      "/dev/outbox",
    ]
    const found: Record<string, ReadonlyArray<AxeFinding>> = {}
    for (const theme of ["light", "dark"] as const) {
      await p.goto(url("/login"))
      await p.evaluate((t) => localStorage.setItem("yavio-theme", t), theme)
      for (const path of pages) {
        await p.goto(url(path))
        await p.locator("h1").first().waitFor()
        await p.locator("[aria-busy=true]").first().waitFor({ state: "detached" })
        found[`${theme} ${path}`] = await seriousViolations(p)
        await screenshot(p, `${theme}-${path.replace(/^\//, "").replace(/[/?=%]/g, "_")}`)
      }
    }
    expect(Object.entries(found).filter(([, v]) => v.length > 0)).toEqual([])
  })
})
