/**
 * The example's React widget end to end, as `npm run example:traffic` runs it: the hotel server
 * (`withYavio`) against the real Yavio server (`npm start` on a temp data dir), a real MCP client
 * searches, reads the widget resource, and `scripts/widgetBrowser.ts` opens the returned HTML in
 * the Debian Chromium with ChatGPT's `window.openai` globals, uses it and closes it. ClickHouse
 * then holds the widget's events on the search's trace and session, the "Book" step continuing
 * the server's step count.
 */

import { Client } from "@modelcontextprotocol/sdk/client/index.js"
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js"
import { yavio } from "@yavio/sdk"
import { type PlatformProcess, startPlatform } from "@yavio/testkit/PlatformProcess"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { literal, withStore } from "../../../packages/sdk/test/support/e2e/StoredEvents.js"
import { startWidgetBrowser, type WidgetBrowser } from "../scripts/widgetBrowser.js"
import { createHotelServer } from "../src/server.js"
import { WIDGET_URI } from "../src/widget.js"

interface Row {
  readonly event_type: string
  readonly event_name: string | null
  readonly source: string
  readonly session_id: string
  readonly step_sequence: number | null
}

let ingest: PlatformProcess | undefined
let browser: WidgetBrowser | undefined
let config: { traceId: string; sessionId: string; stepOffset: number }
let actions: string[] = []
let rows: ReadonlyArray<Row> = []
let html = ""

beforeAll(async () => {
  ingest = await startPlatform({ timeoutMs: 120_000 })
  const [clientTransport, serverTransport] = InMemoryTransport.createLinkedPair()
  await createHotelServer({ apiKey: ingest.install.apiKey, endpoint: ingest.url }).connect(serverTransport)
  const client = new Client({ name: "openai-mcp", version: "1.0.0" })
  await client.connect(clientTransport)

  // The token is minted in the background; a cold server may miss the bounded wait: search again.
  let result: { structuredContent?: unknown; _meta?: { yavio?: typeof config } } = {}
  for (let attempt = 0; attempt < 5 && result._meta?.yavio === undefined; attempt++)
    result = (await client.callTool({ name: "search_rooms", arguments: { city: "Lisbon" } })) as typeof result
  config = result._meta?.yavio as typeof config
  const { contents } = await client.readResource({ uri: WIDGET_URI })
  html = String((contents[0] as { text?: string }).text)

  browser = await startWidgetBrowser()
  if (browser === undefined) throw new Error("no /usr/bin/chromium (.ci/run installs it)")
  // Every branch taken: scroll, sort, rage click, details link, special request, book.
  actions = await browser.render(html, result, () => 0)
  await browser.close()
  browser = undefined
  await client.close()
  await yavio.shutdown() // the server's own events are delivered before ingest stops
  await ingest.stop(10_000)
  rows = await withStore(ingest.dataDir, (query) =>
    query<Row>(
      `SELECT event_type, event_name, source, session_id, step_sequence FROM events FINAL
       WHERE trace_id = ${literal(config.traceId)} ORDER BY timestamp, step_sequence`,
    ),
  )
}, 240_000)

afterAll(async () => {
  await browser?.close()
  await yavio.shutdown()
  await ingest?.stop(5_000)
  ingest?.remove()
}, 60_000)

describe("the example widget in Chromium", () => {
  it("is a React bundle inside the resource HTML, configured for the search's trace", () => {
    expect(html).toContain('<div id="root"></div><script type="module">')
    expect(html).toContain(`window.__YAVIO__=`)
    expect(html).toContain(config.traceId)
  })

  it("took every action of the traffic generator's widget visit", () => {
    expect(actions).toEqual(["scroll", "sort", "rage", "details", "request", "book"])
  })

  it("stores the widget's events on the search's trace and session", () => {
    const widget = rows.filter((row) => row.source === "widget")
    const types = new Set(widget.map((row) => row.event_type))
    for (const type of [
      "widget_render",
      "widget_click",
      "widget_rage_click",
      "widget_link_click",
      "widget_form_field",
      "widget_form_submit",
      "step",
    ])
      expect(types).toContain(type)
    expect(new Set(rows.map((row) => row.session_id))).toEqual(new Set([config.sessionId]))
  })

  it("the Book steps continue the server's count of the trace", () => {
    const steps = rows.filter((row) => row.event_type === "step")
    // three rage clicks on the first "Book", then the final booking: four widget steps
    expect(steps.map((row) => [row.source, row.event_name, row.step_sequence])).toEqual([
      ["server", "rooms_searched", 0],
      ["widget", "room_selected", config.stepOffset],
      ["widget", "room_selected", config.stepOffset + 1],
      ["widget", "room_selected", config.stepOffset + 2],
      ["widget", "room_selected", config.stepOffset + 3],
    ])
    expect(config.stepOffset).toBe(1)
  })
})
