/**
 * The dashboard in real Chromium against the real platform (`npm start` on embedded stores):
 * an anonymous visit is sent to the login page, the printed local admin logs in and lands on
 * the local project's Overview, and a tool call made through the SDK shows up there.
 */
import { Client } from "@modelcontextprotocol/sdk/client/index.js"
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js"
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js"
import { withYavio, yavio } from "@yavio/sdk"
import { type Chromium, launchChromium } from "@yavio/testkit/Chromium"
import { type PlatformProcess, startPlatform } from "@yavio/testkit/PlatformProcess"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { z } from "zod"

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

const callOneTool = async (p: PlatformProcess) => {
  const server = withYavio(new McpServer({ name: "hotel", version: "1.0.0" }), {
    apiKey: p.install.apiKey,
    endpoint: `${p.url}/v1/events`,
  })
  server.registerTool("search_rooms", { inputSchema: { city: z.string() } }, async ({ city }) => ({
    content: [{ type: "text", text: `rooms in ${city}` }],
  }))
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair()
  await server.connect(serverSide)
  const client = new Client({ name: "dashboard-test", version: "1.0.0" })
  await client.connect(clientSide)
  await client.callTool({ name: "search_rooms", arguments: { city: "Lisbon" } })
  await client.close()
  // Delivers the queued events and waits for ingest's answer (written before acknowledged).
  await yavio.shutdown()
}

describe("sign in and see the project", () => {
  it("sends an anonymous visitor to /login?next= and the local admin to the local Overview", async () => {
    const p = platform!
    const page = await browser!.context.newPage()
    await page.goto(`${p.dashboardUrl}/`)
    await page.waitForURL(/\/login\?next=/)
    await expect.poll(() => page.title()).toBe("Log in · Yavio")

    await page.getByLabel("Email").fill(p.install.email)
    await page.getByLabel("Password").fill("not the password")
    await page.getByRole("button", { name: "Log in" }).click()
    await expect.poll(() => page.getByRole("alert").textContent()).toContain("YAVIO-3001")

    await page.getByLabel("Password").fill(p.install.password)
    await page.getByRole("button", { name: "Log in" }).click()
    await page.waitForURL(/\/overview$/)
    await page.locator('[data-kpi="invocations"]').waitFor()
    expect(await page.locator('[data-kpi="invocations"]').textContent()).toBe("0")

    await callOneTool(p)
    await page.reload()
    await page.locator('[data-kpi="invocations"]').waitFor()
    expect(await page.locator('[data-kpi="invocations"]').textContent()).toBe("1")
    await page.close()
  })
})
