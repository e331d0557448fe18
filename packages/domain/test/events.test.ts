import { Either, JSONSchema, Schema } from "effect"
import { describe, expect, expectTypeOf, it } from "vitest"
import { decodeEvent } from "../src/events/decodeEvent.js"
import { Event, isKnownEvent } from "../src/events/Event.js"
import { KNOWN_EVENT_TYPES, type KnownEventType } from "../src/events/EventType.js"
import { GenericEvent } from "../src/events/GenericEvent.js"
import { KnownEvent, KnownEventSchemas } from "../src/events/KnownEvent.js"
import { edgeCaseEvents, genericEvent, invalidEvents, validEvents } from "./fixtures/events.js"

const decodeOrThrow = (input: unknown) =>
  Either.getOrThrowWith(
    decodeEvent(input),
    (rejection) => new Error(`${rejection.code}: ${rejection.message}`),
  )

describe("the event model", () => {
  it("has one schema per known event type, in KNOWN_EVENT_TYPES order", () => {
    expect(KnownEvent.members).toEqual(KNOWN_EVENT_TYPES.map((type) => KnownEventSchemas[type]))
    expectTypeOf<KnownEvent["event_type"]>().toEqualTypeOf<KnownEventType>()
  })

  it("turns into a JSON Schema (for the OpenAPI document)", () => {
    const document = JSONSchema.make(Event)
    expect(JSON.stringify(document)).toContain('"tool_call"')
  })
})

describe("decodeEvent", () => {
  it.each(KNOWN_EVENT_TYPES)("accepts a valid %s", (type) => {
    const decoded = decodeOrThrow(validEvents[type])
    expect(decoded.event_type).toBe(type)
    expect(isKnownEvent(decoded)).toBe(true)
    // Every field of the fixtures is part of the model, so nothing is dropped.
    expect(decoded).toEqual(validEvents[type])
  })

  it.each(edgeCaseEvents)("accepts an edge case: $name", ({ event }) => {
    expect(Either.isRight(decodeEvent(event))).toBe(true)
  })

  it.each(invalidEvents)("rejects $name with $code on '$field'", ({ event, code, field }) => {
    const rejection = Either.getLeft(decodeEvent(event))
    expect(rejection._tag).toBe("Some")
    if (rejection._tag === "None") return
    expect(rejection.value.code).toBe(code)
    expect(String(rejection.value.path[0] ?? "")).toBe(field)
    // The message names the field and never echoes the submitted value.
    expect(rejection.value.message.startsWith(field === "" ? "event " : `${field} `)).toBe(true)
    expect(rejection.value.message).not.toMatch(/nnnn|uuuu|aaaa|slow|fast|yesterday/)
  })

  it("reports limits in the words the error catalog uses", () => {
    const rejection = Either.getLeft(decodeEvent({ ...validEvents.track, event_name: "x".repeat(300) }))
    expect(rejection).toEqual(
      expect.objectContaining({
        value: { code: "YAVIO-2104", message: "event_name exceeds 256 characters", path: ["event_name"] },
      }),
    )
  })

  it("points inside arrays and records", () => {
    const rejection = decodeEvent({ ...validEvents.tool_call, input_keys: ["a", "b", 3] })
    expect(Either.isLeft(rejection) && rejection.left.path).toEqual(["input_keys", 2])
  })

  it("accepts an unknown well-formed event_type as a generic event with common fields and metadata", () => {
    const decoded = decodeOrThrow(genericEvent)
    expect(isKnownEvent(decoded)).toBe(false)
    expect(decoded).toEqual({
      event_id: genericEvent.event_id,
      event_type: "checkout_abandoned",
      timestamp: genericEvent.timestamp,
      trace_id: genericEvent.trace_id,
      session_id: genericEvent.session_id,
      user_id: null,
      platform: "chatgpt",
      source: "server",
      sdk_version: "0.1.0",
      event_name: "cart",
      metadata: { items: 3 },
    })
  })

  it("ignores unknown fields: decoding drops them", () => {
    const decoded = decodeOrThrow({ ...validEvents.track, debug: true, workspace_id: "ws_forged" })
    expect(decoded).toEqual(validEvents.track)
    expect(decoded).not.toHaveProperty("workspace_id")
  })

  it("keeps JSON objects by reference instead of copying them", () => {
    const decoded = decodeOrThrow(validEvents.tool_call)
    expect(decoded.metadata).toBe(validEvents.tool_call.metadata)
  })

  it("never accepts a known type with bad fields as generic", () => {
    const badToolCall = { ...validEvents.tool_call, latency_ms: "slow" }
    expect(Either.isLeft(decodeEvent(badToolCall))).toBe(true)
    expect(Either.isLeft(Schema.decodeUnknownEither(Event)(badToolCall))).toBe(true)
    expect(Either.isLeft(Schema.decodeUnknownEither(GenericEvent)(validEvents.tool_call))).toBe(true)
  })

  it("agrees with the Event union on every fixture", () => {
    const decodeUnion = Schema.decodeUnknownEither(Event)
    for (const event of [
      ...Object.values(validEvents),
      genericEvent,
      ...edgeCaseEvents.map((edge) => edge.event),
    ]) {
      expect(decodeUnion(event)).toEqual(decodeEvent(event))
    }
    for (const { event } of invalidEvents) expect(Either.isLeft(decodeUnion(event))).toBe(true)
  })
})
