import { it } from "@effect/vitest"
import { PiiStrippingEngineFailed } from "@yavio/domain"
import {
  MAX_DEPTH,
  PiiKinds,
  scrubEventRecord,
  scrubEventReporting,
  scrubString,
  scrubValue,
  scrubValueReporting,
} from "@yavio/pii"
import { Effect, Either, Layer } from "effect"
import { describe, expect, test } from "vitest"
import { Metrics } from "../src/Metrics.js"
import { Pii } from "../src/Pii.js"
import { businessValues, negatives, positives } from "./fixtures/pii-corpus.js"

describe("corpus", () => {
  test.each(PiiKinds)("has at least five positive and five negative cases for %s", (kind) => {
    expect(positives[kind].length).toBeGreaterThanOrEqual(5)
    expect(negatives[kind].length).toBeGreaterThanOrEqual(5)
  })

  describe.each(PiiKinds)("%s", (kind) => {
    test.each(positives[kind])("redacts $input", ({ input, expected }) => {
      expect(scrubString(input)).toBe(expected)
      expect(scrubValueReporting(input).kinds).toContain(kind)
    })
    test.each(negatives[kind])("keeps %s", (value) => {
      expect(scrubString(value)).toBe(value)
      expect(scrubValueReporting(value).kinds).toEqual([])
    })
  })

  test.each(businessValues)("business value %s survives", (value) => {
    expect(scrubString(value)).toBe(value)
  })
})

describe("scrubString", () => {
  test("redacts several kinds in one string, card before phone", () => {
    const input =
      "Jane (jane@example.com, +1 415-555-2671) paid with 4111 1111 1111 1111 and lives at 742 Evergreen Terrace; SSN 123-45-6789"
    expect(scrubString(input)).toBe(
      "Jane ([EMAIL_REDACTED], [PHONE_REDACTED]) paid with [CC_REDACTED] and lives at [ADDRESS_REDACTED]; SSN [SSN_REDACTED]",
    )
  })

  test("a Luhn-valid card is a card, not a phone", () => {
    expect(scrubString("4111-1111-1111-1111")).toBe("[CC_REDACTED]")
    expect(scrubValueReporting("4111-1111-1111-1111").kinds).toEqual(["card"])
  })

  test("short and digit-free strings come back untouched", () => {
    for (const s of ["", "a", "ok", "search_hotels", "The quick brown fox jumps over the lazy dog"]) {
      expect(scrubString(s)).toBe(s)
    }
  })

  test("stays linear on adversarial input", () => {
    const inputs = [
      "a".repeat(50_000) + "@",
      "a.".repeat(25_000) + "@x",
      "1".repeat(50_000),
      "1 ".repeat(25_000),
      "1-".repeat(25_000),
      "+1 ".repeat(16_000),
      "(1)".repeat(16_000),
      "1 Aa ".repeat(10_000),
      "Aa".repeat(25_000) + " 1",
      "@a.".repeat(16_000),
      "0 12 ".repeat(10_000),
      "ssn ".repeat(12_000) + "1",
    ]
    for (const input of inputs) {
      const start = performance.now()
      scrubString(input)
      expect(performance.now() - start, input.slice(0, 12)).toBeLessThan(250)
    }
  })
})

describe("scrubValue", () => {
  test("recurses into objects and arrays, copying only the changed path", () => {
    const clean = { plan: "pro", seats: 3, tags: ["a", "b"] }
    const input = {
      clean,
      contact: { email: "jane@example.com", phones: ["415-555-2671", "n/a"] },
      count: 2,
      flag: true,
      nothing: null,
    }
    const output = scrubValue(input) as typeof input
    expect(output).toEqual({
      clean: { plan: "pro", seats: 3, tags: ["a", "b"] },
      contact: { email: "[EMAIL_REDACTED]", phones: ["[PHONE_REDACTED]", "n/a"] },
      count: 2,
      flag: true,
      nothing: null,
    })
    expect(output).not.toBe(input)
    expect(output.clean).toBe(clean)
    expect(input.contact.email).toBe("jane@example.com")
    expect(Object.keys(output)).toEqual(Object.keys(input))
  })

  test("returns the same reference when nothing changed", () => {
    const input = {
      query: "hotels in Paris under $200 for 2 nights",
      checkin: "2026-11-25",
      results: [{ id: "550e8400-e29b-41d4-a716-446655440000", price: 189.99, rating: "4.5" }],
      nested: { deeper: { version: "v20.19.0", ok: true } },
    }
    expect(scrubValue(input)).toBe(input)
    expect(scrubValue(input.results)).toBe(input.results)
    const report = scrubValueReporting(input)
    expect(report.value).toBe(input)
    expect(report.kinds).toEqual([])
  })

  test("scrubs object keys and keeps a __proto__ key as data", () => {
    const input = JSON.parse('{"jane@example.com": 1, "__proto__": {"x": "415-555-2671"}}') as Record<
      string,
      unknown
    >
    const output = scrubValue(input) as Record<string, unknown>
    expect(Object.keys(output)).toEqual(["[EMAIL_REDACTED]", "__proto__"])
    expect(Object.getPrototypeOf(output)).toBe(Object.prototype)
    expect(Object.getOwnPropertyDescriptor(output, "__proto__")?.value).toEqual({ x: "[PHONE_REDACTED]" })
  })

  test("redacts values labelled by their key", () => {
    const input = {
      ssn: "123456789",
      taxId: "12-3456789",
      social_security_number: "219099999",
      phone: "4155552671",
      mobileNumber: "+44 7946 095858",
      fax: "5552671",
    }
    expect(scrubValue(input)).toEqual({
      ssn: "[SSN_REDACTED]",
      taxId: "[SSN_REDACTED]",
      social_security_number: "[SSN_REDACTED]",
      phone: "[PHONE_REDACTED]",
      mobileNumber: "[PHONE_REDACTED]",
      fax: "[PHONE_REDACTED]",
    })
    const unlabelled = {
      className: "123456789",
      order_id: "123456789",
      phone_id: "12345678",
      mobile_build: "20250101123",
      hotel: "4155552671",
      phone: "unknown",
    }
    expect(scrubValue(unlabelled)).toBe(unlabelled)
  })

  test("replaces containers nested deeper than the limit", () => {
    let input: unknown = { email: "deep@example.com" }
    for (let i = 0; i < MAX_DEPTH; i++) input = { next: input }
    // The innermost object is at depth 32: still scrubbed.
    let node = scrubValue(input) as Record<string, unknown>
    for (let i = 0; i < MAX_DEPTH; i++) node = node.next as Record<string, unknown>
    expect(node).toEqual({ email: "[EMAIL_REDACTED]" })

    // One more level: the object at depth 33 becomes the marker.
    node = scrubValue({ next: input }) as Record<string, unknown>
    for (let i = 0; i < MAX_DEPTH; i++) node = node.next as Record<string, unknown>
    expect(node.next).toBe("[MAX_DEPTH]")
  })

  test("a 10,000-deep object does not overflow the stack", () => {
    let input: unknown = "leaf jane@example.com"
    for (let i = 0; i < 10_000; i++) input = i % 2 === 0 ? { next: input } : [input]
    const output = scrubValue(input)
    let node: unknown = output
    let depth = 0
    while (typeof node === "object" && node !== null) {
      node = Array.isArray(node) ? node[0] : (node as Record<string, unknown>).next
      depth++
    }
    expect(node).toBe("[MAX_DEPTH]")
    expect(depth).toBe(MAX_DEPTH + 1)
  })

  test("reports every kind that fired", () => {
    const report = scrubValueReporting({
      a: "jane@example.com",
      b: ["4111 1111 1111 1111"],
      c: { d: "SSN 123-45-6789", e: "+14155552671", f: "221B Baker Street" },
    })
    expect(report.kinds).toEqual(["email", "card", "ssn", "phone", "address"])
    expect(scrubValueReporting({ a: "jane@example.com", b: "x" }).kinds).toEqual(["email"])
  })
})

describe("scrubEventRecord", () => {
  const event = {
    event_id: "550e8400-e29b-41d4-a716-446655440000",
    event_type: "tool_call",
    event_name: "book_hotel",
    timestamp: "2026-11-25T14:30:00.000Z",
    trace_id: "tr_V1StGXR8_Z5jdHi6B-myT",
    session_id: "ses_4f1c2b3a9e8d7c6b",
    user_id: "jane@example.com",
    source: "server",
    platform: "chatgpt",
    status: "error",
    error_category: "validation",
    error_message: "guest phone 415-555-2671 is not reachable",
    latency_ms: 120,
    input_keys: ["city", "guest_email"],
    input_types: { city: "string", guest_email: "string" },
    input_values: { city: "Paris", guest_email: "jane@example.com", nights: 2 },
    intent_signals: ["intent:budget"],
    metadata: { result_count: 0, zero_result: true, note: "call +44 20 7946 0958" },
  }

  test("scrubs every field except ids, user_id and enums, recursing into JSON fields", () => {
    const output = scrubEventRecord(event)
    expect(output).toEqual({
      ...event,
      error_message: "guest phone [PHONE_REDACTED] is not reachable",
      input_values: { city: "Paris", guest_email: "[EMAIL_REDACTED]", nights: 2 },
      metadata: { result_count: 0, zero_result: true, note: "call [PHONE_REDACTED]" },
    })
    expect(output.user_id).toBe("jane@example.com")
    expect(output.input_types).toBe(event.input_types)
  })

  test("returns the same event when it is clean", () => {
    const clean = {
      ...event,
      error_message: "timeout after 3000 ms",
      input_values: { city: "Paris", nights: 2 },
      metadata: { result_count: 3 },
    }
    expect(scrubEventRecord(clean)).toBe(clean)
  })

  test("reports the kinds for YAVIO-2251", () => {
    expect(scrubEventReporting(event).kinds).toEqual(["email", "phone"])
  })
})

const PiiLive = Pii.layer.pipe(Layer.provideMerge(Metrics.layer))

describe("Pii service", () => {
  it.effect("scrubs an event", () =>
    Effect.gen(function* () {
      const pii = yield* Pii
      const output = pii.scrubEvent({ event_type: "track", metadata: { email: "jane@example.com" } })
      expect(output).toEqual(Either.right({ event_type: "track", metadata: { email: "[EMAIL_REDACTED]" } }))
    }).pipe(Effect.provide(PiiLive)),
  )

  it.effect("counts redactions by kind as YAVIO-2251 notices", () =>
    Effect.gen(function* () {
      const metrics = yield* Metrics
      const before = metrics.notices.get({ code: "YAVIO-2251", kind: "ssn" })
      const pii = yield* Pii
      pii.scrubEvent({ event_type: "track", event_name: "SSN 123-45-6789" })
      expect(metrics.notices.get({ code: "YAVIO-2251", kind: "ssn" })).toBe(before + 1)
    }).pipe(Effect.provide(PiiLive)),
  )

  it.effect("turns an engine exception into YAVIO-2250 instead of passing the event on", () =>
    Effect.gen(function* () {
      const pii = yield* Pii
      const metadata = {
        get boom(): string {
          throw new Error("getter exploded")
        },
      }
      const result = pii.scrubEvent({ event_type: "track", metadata })
      expect(Either.isLeft(result)).toBe(true)
      if (Either.isLeft(result)) {
        expect(result.left).toBeInstanceOf(PiiStrippingEngineFailed)
        expect(result.left.code).toBe("YAVIO-2250")
        expect(result.left.cause).toBeInstanceOf(Error)
      }
    }).pipe(Effect.provide(PiiLive)),
  )
})
