import { describe, expect, it } from "vitest"
import { newEventId, newSessionId, newTraceId, RANDOM_ID_LENGTH } from "../src/core/ids.js"
import { validateEvent } from "../src/validators.generated.js"

describe("ids", () => {
  it("event ids are UUID v4", () => {
    const id = newEventId()
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
    expect(newEventId()).not.toBe(id)
  })

  it("trace and session ids are a prefix plus 21 URL-safe characters", () => {
    expect(RANDOM_ID_LENGTH).toBe(21)
    for (let i = 0; i < 500; i++) {
      expect(newTraceId()).toMatch(/^tr_[A-Za-z0-9_-]{21}$/)
      expect(newSessionId()).toMatch(/^ses_[A-Za-z0-9_-]{21}$/)
    }
  })

  it("are unique across many draws (the random pool refills)", () => {
    const ids = new Set<string>()
    for (let i = 0; i < 20_000; i++) ids.add(newTraceId())
    expect(ids.size).toBe(20_000)
  })

  it("use the whole alphabet roughly uniformly", () => {
    const counts = new Map<string, number>()
    for (let i = 0; i < 5_000; i++) {
      for (const char of newSessionId().slice(4)) counts.set(char, (counts.get(char) ?? 0) + 1)
    }
    expect(counts.size).toBe(64)
    const expected = (5_000 * 21) / 64
    for (const count of counts.values()) {
      expect(count).toBeGreaterThan(expected * 0.8)
      expect(count).toBeLessThan(expected * 1.2)
    }
  })

  it("are accepted by the event validators", () => {
    expect(
      validateEvent({
        event_id: newEventId(),
        event_type: "track",
        event_name: "x",
        timestamp: new Date().toISOString(),
        trace_id: newTraceId(),
        session_id: newSessionId(),
        source: "server",
      }),
    ).toEqual({ ok: true })
  })
})
