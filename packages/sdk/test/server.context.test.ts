/**
 * How handlers find their request without `extra` (context.ts): the AsyncLocalStorage is on from
 * the start, switched off after 1,000 handler calls in which nothing asked (the `yavio`
 * singleton, `createYavio`, outbound requests), and back on at the first question. The state is
 * per process, so this file runs its steps in order, in its own module graph.
 */

import { executionAsyncId } from "node:async_hooks"
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js"
import { afterAll, describe, expect, it } from "vitest"
import * as z from "zod"
import { withYavio, yavio } from "../src/server/index.js"
import { validateEvent } from "../src/validators.generated.js"
import { connectV1, recorder } from "./support/harness.js"

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** `true` while promise hooks run: only then does a `then` callback get an async id of its own. */
const promiseHooksOn = async (): Promise<boolean> =>
  (await Promise.resolve().then(() => executionAsyncId())) !== 0

describe("AsyncLocalStorage only when something asks for the request", async () => {
  const rec = recorder()
  const server = withYavio(new McpServer({ name: "ctx", version: "1.0.0" }), rec.options())
  /** Released by the test: lets two calls overlap at will. */
  const gates = new Map<string, () => void>()
  server.registerTool("plain", { inputSchema: { n: z.number() } }, async ({ n }) => {
    await sleep(0)
    return { content: [{ type: "text", text: String(n) }] }
  })
  server.registerTool(
    "asks",
    { inputSchema: { label: z.string(), wait: z.boolean() } },
    async ({ label, wait }) => {
      if (wait) await new Promise<void>((resolve) => gates.set(label, resolve))
      await sleep(1)
      yavio.track("asked", { label })
      return { content: [{ type: "text", text: label }] }
    },
  )
  const client = await connectV1(server)
  afterAll(() => client.close())

  const traceOf = (label: string) =>
    rec.sink.ofType("tool_call").find((event) => (event.input_values as { label?: string }).label === label)
      ?.trace_id
  const trackOf = (label: string) =>
    rec.sink.one("track", (event) => (event.metadata as { label: string }).label === label)

  it("leaves no promise hooks behind between requests", async () => {
    await client.callTool({ name: "plain", arguments: { n: 0 } })
    expect(await promiseHooksOn()).toBe(false)
  })

  it("after 1,000 calls that never asked: off; a question while two run is not guessed; one running is found", async () => {
    for (let n = 1; n <= 1000; n++) await client.callTool({ name: "plain", arguments: { n } })
    expect(rec.logger.debugs.filter((line) => line.includes("AsyncLocalStorage off"))).toHaveLength(1)

    const a = client.callTool({ name: "asks", arguments: { label: "a0", wait: true } })
    const b = client.callTool({ name: "asks", arguments: { label: "b0", wait: true } })
    while (gates.size < 2) await sleep(1)
    gates.get("a0")?.()
    await a
    // Two handlers ran outside the storage: the answer could be either, so none is given.
    expect(trackOf("a0").trace_id).toBeUndefined()
    expect(rec.logger.codes()).toContain("YAVIO-1105")
    expect(rec.logger.debugs.filter((line) => line.includes("AsyncLocalStorage on"))).toHaveLength(1)
    gates.get("b0")?.()
    await b
    // b0 is the only handler left outside the storage: found after its await.
    expect(trackOf("b0").trace_id).toBe(traceOf("b0"))
    for (const label of ["a0", "b0"]) expect(validateEvent(trackOf(label))).toEqual({ ok: true })
    gates.clear()
  })

  it("once asked, overlapping handlers are told apart again (the storage is back on)", async () => {
    const first = client.callTool({ name: "asks", arguments: { label: "a", wait: true } })
    const second = client.callTool({ name: "asks", arguments: { label: "b", wait: true } })
    while (gates.size < 2) await sleep(1)
    gates.get("b")?.()
    await second
    gates.get("a")?.()
    await first
    expect(trackOf("a").trace_id).toBe(traceOf("a"))
    expect(trackOf("b").trace_id).toBe(traceOf("b"))
    expect(traceOf("a")).not.toBe(traceOf("b"))
    expect(await promiseHooksOn()).toBe(false)
  })
})
