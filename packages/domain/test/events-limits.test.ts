import { Either } from "effect"
import { describe, expect, it } from "vitest"
import { checkEventSize, MAX_EVENT_BYTES, utf8ByteLength } from "../src/events/checkEventSize.js"
import {
  checkTimestampWindow,
  TIMESTAMP_MAX_AGE_MS,
  TIMESTAMP_MAX_FUTURE_MS,
} from "../src/events/checkTimestampWindow.js"
import { decodeEvent } from "../src/events/decodeEvent.js"
import { type EventTimestamp, timestampToDate } from "../src/events/EventTimestamp.js"
import { atTime, FIXTURE_TIME, oversizedEvent, validEvents } from "./fixtures/events.js"

const now = FIXTURE_TIME
const offset = (ms: number) => new Date(now.getTime() + ms)

describe("checkTimestampWindow", () => {
  it("accepts −30 days … +10 minutes around server time, bounds included", () => {
    expect(checkTimestampWindow(now, now)).toBeNull()
    expect(checkTimestampWindow(offset(-TIMESTAMP_MAX_AGE_MS), now)).toBeNull()
    expect(checkTimestampWindow(offset(TIMESTAMP_MAX_FUTURE_MS), now)).toBeNull()
  })

  it("rejects older or later events with YAVIO-2113", () => {
    expect(checkTimestampWindow(offset(-TIMESTAMP_MAX_AGE_MS - 1), now)).toBe("YAVIO-2113")
    expect(checkTimestampWindow(offset(TIMESTAMP_MAX_FUTURE_MS + 1), now)).toBe("YAVIO-2113")
    expect(checkTimestampWindow(new Date(Number.NaN), now)).toBe("YAVIO-2113")
  })

  it("works on decoded timestamps of either form", () => {
    const stale = decodeEvent(atTime(validEvents.track, offset(-31 * 24 * 60 * 60 * 1000)))
    const fresh = decodeEvent({ ...validEvents.track, timestamp: now.getTime() - 1000 })
    const windowCode = (decoded: typeof stale) =>
      Either.map(decoded, (event) => checkTimestampWindow(timestampToDate(event.timestamp), now))
    expect(windowCode(stale)).toEqual(Either.right("YAVIO-2113"))
    expect(windowCode(fresh)).toEqual(Either.right(null))
  })

  it("reads ISO offsets and epoch milliseconds as the same instant", () => {
    const forms: ReadonlyArray<EventTimestamp> = [
      "2025-06-01T14:00:00+02:00",
      "2025-06-01T12:00:00.000Z",
      now.getTime(),
    ]
    for (const form of forms) expect(timestampToDate(form).getTime()).toBe(now.getTime())
  })
})

describe("checkEventSize", () => {
  it("rejects an event whose JSON exceeds 50 KB with YAVIO-2108", () => {
    expect(Either.isRight(decodeEvent(oversizedEvent))).toBe(true)
    expect(checkEventSize(oversizedEvent)).toBe("YAVIO-2108")
    expect(checkEventSize(validEvents.tool_call)).toBeNull()
  })

  it("measures UTF-8 bytes, not characters", () => {
    const base = JSON.stringify({ ...validEvents.track, metadata: { text: "" } }).length
    const pairs = Math.floor((MAX_EVENT_BYTES - base) / 2) // "é" is 2 bytes in UTF-8
    const fits = { ...validEvents.track, metadata: { text: "é".repeat(pairs) } }
    const over = { ...validEvents.track, metadata: { text: "é".repeat(pairs + 1) } }
    expect(checkEventSize(fits)).toBeNull()
    expect(checkEventSize(over)).toBe("YAVIO-2108")
  })

  it("counts like Buffer.byteLength", () => {
    for (const text of ["", "ascii", "é", "€", "😀 ok", "\ud800 lone", "a\udc00"]) {
      expect(utf8ByteLength(text)).toBe(Buffer.byteLength(text, "utf8"))
    }
  })
})
