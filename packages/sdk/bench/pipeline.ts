/**
 * The per-event figures of sdk.md §8 for `npm run bench:sdk`: what the background sender spends
 * on one event (JSON serialisation, the PII pass, the whole preparation: deferred fields +
 * PII + validators + JSON) and the round trip of a 100-event flush to a local endpoint, each
 * beside its baseline (a bare `JSON.stringify`; a bare `fetch` of the same body).
 *
 * Events are real: a v1 client calls a wrapped server whose events land in a recording sink,
 * with realistic, partly PII-bearing arguments and results.
 */

import { Client } from "@modelcontextprotocol/sdk/client/index.js"
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js"
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js"
import { scrubEventRecord } from "@yavio/pii"
import * as z from "zod"
import type { EventSink, SdkEvent } from "../src/core/contracts.js"
import { materialize } from "../src/core/deferredEvent.js"
import { withYavio, yavioOf } from "../src/server/index.js"
import { INTERNAL, type OptionsWithInternal } from "../src/server/runtime.js"
import { createHttpTransport } from "../src/transport/HttpTransport.js"
import { validateEvent } from "../src/validators.generated.js"

type Emit = (figure: Record<string, unknown>) => void

const round = (value: number, digits = 2): number => Math.round(value * 10 ** digits) / 10 ** digits

/** Mean µs per item of `fn` over `items`, repeated until at least `minMs` of work. */
const perItemUs = (items: ReadonlyArray<SdkEvent>, fn: (event: SdkEvent) => unknown, minMs = 300): number => {
  for (const event of items) fn(event) // warm-up
  let done = 0
  const started = performance.now()
  while (performance.now() - started < minMs) {
    for (const event of items) fn(event)
    done += items.length
  }
  return ((performance.now() - started) * 1000) / done
}

const CITIES = ["Rome", "Lisbon", "Osaka", "Austin", "Cape Town", "Oslo"]

/** 600 real events: tool calls with PII in some arguments and results, identify, track, conversion. */
const captureEvents = async (): Promise<SdkEvent[]> => {
  const events: SdkEvent[] = []
  const sink: EventSink = {
    enqueue: (event) => {
      events.push(materialize(event))
    },
    flush: async () => {},
    shutdown: async () => {},
  }
  const options: OptionsWithInternal = {
    apiKey: `yav_${"benchPipeline".padEnd(32, "0")}`,
    endpoint: "http://127.0.0.1:9",
    [INTERNAL]: { sink, env: {}, cwd: process.cwd() },
  }
  const server = withYavio(new McpServer({ name: "hotel", version: "1.0.0" }), options)
  server.registerTool(
    "search_rooms",
    { inputSchema: { city: z.string(), guests: z.number(), note: z.string() } },
    async ({ city, guests }) => ({
      content: [{ type: "text", text: `${guests * 2} rooms in ${city}` }],
      structuredContent: {
        rooms: Array.from({ length: 5 }, (_, i) => ({
          id: `R${i}`,
          price: `$${(120 + i * 17.5).toFixed(2)}`,
          checkIn: "2026-12-01",
          amenities: ["wifi", "breakfast"],
        })),
      },
    }),
  )
  server.registerTool(
    "book_room",
    { inputSchema: { roomId: z.string(), email: z.string(), phone: z.string() } },
    async ({ roomId, email }, extra) => {
      const yavio = yavioOf(extra)
      yavio.identify(`user-${roomId}`, { email, plan: "pro" })
      yavio.track("room_booked", { roomId, from: "203.0.113.42" })
      yavio.conversion("booking", { value: 249.5, currency: "EUR" })
      return { content: [{ type: "text", text: `Booked ${roomId}; confirmation sent to ${email}` }] }
    },
  )
  const [clientTransport, serverTransport] = InMemoryTransport.createLinkedPair()
  await server.connect(serverTransport)
  const client = new Client({ name: "claude-ai", version: "0.1.0" }, { capabilities: {} })
  await client.connect(clientTransport)
  for (let i = 0; i < 150; i++) {
    const city = CITIES[i % CITIES.length]!
    await client.callTool({
      name: "search_rooms",
      arguments: {
        city,
        guests: 1 + (i % 4),
        note: i % 5 === 0 ? "call me on +1 415 555 2671" : "quiet room",
      },
    })
    if (i % 2 === 0) {
      await client.callTool({
        name: "book_room",
        arguments: { roomId: `R${i % 5}`, email: `guest${i}@example.com`, phone: "(415) 555-0134" },
      })
    }
  }
  await client.close()
  return events
}

/** Per-event costs of the sender and the 100-event flush round trip against `endpoint`. */
export const pipelineFigures = async (endpoint: string, emit: Emit): Promise<void> => {
  const events = await captureEvents()
  const pii = (event: SdkEvent): unknown =>
    scrubEventRecord(event as unknown as Record<string, unknown>, { ipAddresses: true })
  const json = perItemUs(events, (event) => JSON.stringify(event))
  const piiUs = perItemUs(events, pii)
  const prepareUs = perItemUs(events, (event) => {
    const prepared = pii(event)
    if (validateEvent(prepared).ok) JSON.stringify(prepared)
  })
  emit({ figure: "serialise_us_per_event", value: round(json), target_us: 100, events: events.length })
  emit({
    figure: "pii_pass_us_per_event",
    value: round(piiUs),
    baseline_json_us: round(json),
    ratio: round(piiUs / json, 3),
    target_us: 500,
  })
  emit({
    figure: "prepare_us_per_event",
    value: round(prepareUs),
    baseline_json_us: round(json),
    ratio: round(prepareUs / json, 3),
  })

  // Flush of 100 events: enqueue → flush() resolved, through the real transport, against a bare
  // fetch of a body of the same events.
  const batch = events.slice(0, 100)
  const transport = createHttpTransport({
    config: { apiKey: `yav_${"benchFlush".padEnd(32, "0")}`, baseUrl: endpoint },
    logger: { log: () => {}, once: () => {} },
    sdkVersion: "bench",
    prepare: (event) => pii(event) as SdkEvent,
  })
  const body = JSON.stringify({ events: batch, sdk_version: "bench", sent_at: new Date().toISOString() })
  const flushMs: number[] = []
  const rawMs: number[] = []
  for (let round = 0; round < 30; round++) {
    let started = performance.now()
    for (const event of batch) transport.enqueue({ ...event, event_id: crypto.randomUUID() })
    await transport.flush()
    flushMs.push(performance.now() - started)
    started = performance.now()
    const response = await fetch(`${endpoint}/v1/events`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: "Bearer bench" },
      body,
    })
    await response.text()
    rawMs.push(performance.now() - started)
  }
  await transport.shutdown()
  const median = (values: number[]): number =>
    [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!
  const flush = median(flushMs.slice(5))
  const raw = median(rawMs.slice(5))
  emit({
    figure: "flush_100_events_ms",
    value: round(flush),
    baseline_fetch_ms: round(raw),
    ratio: round(flush / raw, 3),
    target_ms: 50,
    delivered: transport.stats().delivered,
  })
}
