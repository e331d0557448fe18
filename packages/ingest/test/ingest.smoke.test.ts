import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { type IngestHarness, startIngest, type Tenant } from "./support/IngestHarness.js"

let ingest: IngestHarness
let tenant: Tenant
beforeAll(async () => {
  ingest = await startIngest()
  tenant = await ingest.createTenant("smoke")
}, 60_000)
afterAll(() => ingest?.close())

const event = (i: number) => ({
  event_type: "tool_call",
  event_id: crypto.randomUUID(),
  event_name: "search_hotels",
  timestamp: new Date().toISOString(),
  trace_id: `tr_${String(i).padStart(21, "a")}`,
  session_id: "ses_smoke",
  source: "server",
  latency_ms: 12.5,
  metadata: { note: `call jane.doe@example.com about order ${i}` },
})

describe("POST /v1/events [pglite + chdb]", () => {
  it("answers 200 only when the events are in ClickHouse, PII stripped, tenant set", async () => {
    const events = [event(1), event(2)]
    const response = await fetch(`${ingest.url}/v1/events`, {
      method: "POST",
      headers: { authorization: `Bearer ${tenant.apiKey}`, "content-type": "application/json" },
      body: JSON.stringify({ events, sdk_version: "0.1.0" }),
    })
    expect(response.status).toBe(200)
    expect(await response.json()).toEqual({ accepted: 2 })
    const rows = await ingest.clickhouse<{ event_id: string; workspace_id: string; metadata: string }>(
      `SELECT event_id, workspace_id, metadata FROM events FINAL ORDER BY event_id`,
    )
    expect(rows.map((r) => r.event_id).sort()).toEqual(events.map((e) => e.event_id).sort())
    expect(rows.every((r) => r.workspace_id === tenant.workspaceId)).toBe(true)
    expect(rows[0]!.metadata).toContain("[EMAIL_REDACTED]")
    expect(rows[0]!.metadata).not.toContain("jane.doe")
  })
})
