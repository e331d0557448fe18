// Throughput of `decodeEvent` on a realistic `tool_call` (and a rejected one). A benchmark
// script, not a timed test: run `node --import tsx packages/domain/scripts/bench-decode.ts`.
import { Either } from "effect"
import { decodeEvent } from "../src/events/decodeEvent.js"

const toolCall = {
  event_id: "0b7c2f4e-8f1a-4c56-9d2e-3f4a5b6c7d8e",
  event_type: "tool_call",
  event_name: "search_rooms",
  timestamp: "2025-06-01T12:00:00.123Z",
  trace_id: "tr_V1StGXR8_Z5jdHi6B-myT",
  session_id: "ses_Uakgb_J5m9g-0JDMbcJqL",
  user_id: null,
  platform: "chatgpt",
  source: "server",
  sdk_version: "0.1.0",
  latency_ms: 182.4,
  status: "success",
  is_retry: 0,
  input_keys: ["city", "check_in", "nights", "guests"],
  input_types: { city: "string", check_in: "string", nights: "number", guests: "number" },
  intent_signals: ["intent:budget"],
  tokens_in: 42,
  tokens_out: 610,
  metadata: {
    response_size_bytes: 2440,
    content_types: { text: 1, structured: 1 },
    result_count: 12,
    zero_result: false,
  },
}
// Distinct objects, as after JSON.parse of a request body.
const inputs = Array.from({ length: 10_000 }, () => JSON.parse(JSON.stringify(toolCall)) as unknown)
const rejected = inputs.map((e) => ({ ...(e as object), event_name: "x".repeat(300) }))

const run = (label: string, events: ReadonlyArray<unknown>, expectRight: boolean) => {
  for (let warm = 0; warm < 20; warm++) for (const e of events) decodeEvent(e)
  let count = 0
  const start = performance.now()
  while (performance.now() - start < 2_000) {
    for (const e of events) {
      if (Either.isRight(decodeEvent(e)) !== expectRight) throw new Error(`unexpected result for ${label}`)
    }
    count += events.length
  }
  const seconds = (performance.now() - start) / 1000
  console.log(`${label}: ${Math.round(count / seconds).toLocaleString("en-US")} events/s (1 core)`)
}

run("tool_call accepted", inputs, true)
run("tool_call rejected (event_name too long)", rejected, false)
