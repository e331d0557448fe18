import { describe, expect, it } from "vitest"
import { KNOWN_EVENT_TYPES, MAX_EVENT_BYTES, validateEvent } from "../src/index.js"

// The rules themselves are pinned against ingest's decoder in packages/domain; this checks the
// public entry works on its own, with nothing but this package.
const toolCall = {
  event_id: "7f0c2a56-1b7e-4b4a-9f0e-6a2d3c4b5e6f",
  event_type: "tool_call",
  event_name: "search_rooms",
  timestamp: "2025-06-01T12:00:00.000Z",
  trace_id: "tr_V1StGXR8_Z5jdHi6B-myT",
  session_id: "ses_Uakgb_J5m9g-0JDMbcJqL",
  source: "server",
  latency_ms: 120,
  status: "success",
}

describe("validateEvent", () => {
  it("accepts a valid event and ignores unknown fields", () => {
    expect(validateEvent(toolCall)).toEqual({ ok: true })
    expect(validateEvent({ ...toolCall, extra: [1, 2] })).toEqual({ ok: true })
  })

  it("reports the code, field and message of the first failing field", () => {
    expect(validateEvent({ ...toolCall, event_name: "n".repeat(257) })).toEqual({
      ok: false,
      code: "YAVIO-2104",
      field: "event_name",
      message: "event_name exceeds 256 characters",
    })
    const { session_id: _removed, ...withoutSession } = toolCall
    expect(validateEvent(withoutSession)).toMatchObject({
      ok: false,
      code: "YAVIO-2101",
      field: "session_id",
    })
  })

  it("accepts a well-formed unknown event type and rejects a malformed one", () => {
    expect(validateEvent({ ...toolCall, event_type: "brand_new_type" })).toEqual({ ok: true })
    expect(validateEvent({ ...toolCall, event_type: "Brand New" })).toMatchObject({
      ok: false,
      code: "YAVIO-2102",
    })
  })

  it("exports the known types and the size limit", () => {
    expect(KNOWN_EVENT_TYPES).toContain("widget_performance")
    expect(MAX_EVENT_BYTES).toBe(51_200)
  })
})
