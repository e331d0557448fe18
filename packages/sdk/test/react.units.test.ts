/**
 * The pure parts of the widget entry, in Node (no DOM needed): `extractWidgetConfig` (sdk.md
 * §7.1) and the widget's best-effort PII pass (§4 patterns, same replacement tokens). The hook
 * itself is tested in real Chromium (react.*.test.ts).
 */

import { describe, expect, it } from "vitest"
import { extractWidgetConfig } from "../src/react/index.js"
import { scrub } from "../src/react/pii.js"

const config = {
  token: "eyJhbGciOiJIUzI1NiJ9.e30.sig",
  endpoint: "https://ingest.example.com/v1/events",
  traceId: "tr_V1StGXR8_Z5jdHi6B-myT",
  sessionId: "ses_abc",
  stepOffset: 2,
}

describe("extractWidgetConfig", () => {
  it("reads input.yavio, then input._meta.yavio", () => {
    expect(extractWidgetConfig({ yavio: config })).toBe(config)
    expect(extractWidgetConfig({ content: [], _meta: { yavio: config, other: 1 } })).toBe(config)
    const other = { ...config, traceId: "tr_other" }
    expect(extractWidgetConfig({ yavio: config, _meta: { yavio: other } })).toBe(config)
  })

  it.each([
    ["no token", { ...config, token: "" }],
    ["a token that is not a string", { ...config, token: 42 }],
    ["an endpoint that is not http(s)", { ...config, endpoint: "ftp://ingest.example.com" }],
    ["a trace id without tr_", { ...config, traceId: "abc" }],
    ["a session id without ses_", { ...config, sessionId: "abc" }],
    ["a missing field", { token: config.token, endpoint: config.endpoint, traceId: config.traceId }],
  ])("returns null for %s", (_, yavio) => {
    expect(extractWidgetConfig({ _meta: { yavio } })).toBeNull()
  })

  it.each([null, undefined, 42, "text", [], {}, { _meta: null }, { yavio: null }])(
    "returns null for %j",
    (input) => {
      expect(extractWidgetConfig(input)).toBeNull()
    },
  )
})

describe("widget PII pass", () => {
  it.each([
    ["mail jane.doe+x@example.co.uk now", "mail [EMAIL_REDACTED] now"],
    ["card 4111 1111 1111 1111", "card [CC_REDACTED]"],
    ["card 4111-1111-1111-1111.", "card [CC_REDACTED]."],
    ["ssn 123-45-6789", "ssn [SSN_REDACTED]"],
    ["call +14155552671", "call [PHONE_REDACTED]"],
    ["call (415) 555-2671", "call [PHONE_REDACTED]"],
    ["call 415-555-2671", "call [PHONE_REDACTED]"],
    ["from 192.168.10.1", "from [IP_REDACTED]"],
  ])("redacts %j", (input, expected) => {
    expect(scrub(input)).toBe(expected)
  })

  it.each([
    "price 240.50 EUR",
    "check-in 2026-11-25 at 14:30",
    "order 4111111111111112", // fails Luhn
    "version 1.22.4",
    "room R2, 3 guests, Lisbon",
    "uuid 0ebf5ec9-b91e-426f-aa1a-b3479d46d033",
  ])("keeps the business value %j", (input) => {
    expect(scrub(input)).toBe(input)
  })

  it("walks objects and arrays, keeps keys and non-strings", () => {
    expect(
      scrub({ contact: "a@b.io", n: 3, ok: true, list: ["x", "c@d.io"], nested: { ip: "10.0.0.1" } }),
    ).toEqual({
      contact: "[EMAIL_REDACTED]",
      n: 3,
      ok: true,
      list: ["x", "[EMAIL_REDACTED]"],
      nested: { ip: "[IP_REDACTED]" },
    })
  })
})
