/**
 * The SDK-side PII pass (sdk.md §4): events are stripped by the shared engine before they
 * leave the process, at flush time. A real v1 client calls a wrapped server whose events go
 * over the real HTTP transport to a local endpoint that records what it received.
 */
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js"
import { afterAll, describe, expect, it } from "vitest"
import * as z from "zod"
import { withYavio, yavioOf } from "../src/server/index.js"
import { INTERNAL, type OptionsWithInternal } from "../src/server/runtime.js"
import { connectV1, TEST_KEY } from "./support/harness.js"
import { RecordingLogger } from "./support/RecordingSink.js"
import { TokenServer } from "./support/TokenServer.js"

const ingest = await new TokenServer().start()
afterAll(() => ingest.stop())

describe("SDK PII pass", () => {
  it("redacts PII in inputs, outputs, metadata and traits, never in user_id", async () => {
    const options: OptionsWithInternal = {
      apiKey: TEST_KEY,
      endpoint: ingest.baseUrl,
      [INTERNAL]: { logger: new RecordingLogger(), env: {}, cwd: process.cwd() },
    }
    const server = withYavio(new McpServer({ name: "pii", version: "1.0.0" }), options)
    server.registerTool(
      "contact",
      { inputSchema: { email: z.string(), note: z.string() } },
      async (args, extra) => {
        const yavio = yavioOf(extra)
        yavio.identify("user-jane.doe@example.com", { phone: "+1 415 555 2671", plan: "pro" })
        yavio.track("contacted", {
          card: "4111 1111 1111 1111",
          price: "$1,299.99",
          from: "203.0.113.42",
          peer: "2001:db8::ff00:42:8329",
          build: "v1.2.3.4",
        })
        return { content: [{ type: "text", text: `mailed ${args.email}` }] }
      },
    )
    const client = await connectV1(server)
    await client.callTool({
      name: "contact",
      arguments: { email: "jane.doe@example.com", note: "order 12345" },
    })
    const { yavio } = await import("../src/server/index.js")
    await yavio.flush()
    await client.close()

    // user_id is the developer's own id and is never stripped: leave it out of the search.
    const sent = JSON.stringify(ingest.events.map(({ user_id: _userId, ...rest }) => rest))
    expect(ingest.events.some((event) => event.event_type === "tool_call")).toBe(true)
    expect(sent).not.toContain('jane.doe@example.com"')
    expect(sent).not.toContain("4111 1111 1111 1111")
    expect(sent).not.toContain("415 555 2671")
    expect(sent).not.toContain("203.0.113.42")
    expect(sent).not.toContain("2001:db8::ff00:42:8329")
    expect(sent).toContain("[IP_REDACTED]")
    expect(sent).toContain("v1.2.3.4")
    expect(sent).toContain("[EMAIL_REDACTED]")
    expect(sent).toContain("[CC_REDACTED]")
    expect(sent).toContain("[PHONE_REDACTED]")
    // Business values survive; the developer's own user id is never stripped.
    expect(sent).toContain("$1,299.99")
    expect(sent).toContain("order 12345")
    const identify = ingest.events.find((event) => event.event_type === "identify")
    expect(identify?.user_id).toBe("user-jane.doe@example.com")
  })
})
