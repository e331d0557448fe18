/**
 * The SDK's IP pattern (sdk.md §4: IP addresses → `[IP_REDACTED]`): on only for the SDK's pass
 * (ingest keeps addresses), whole tokens only, so versions, times, MACs and code survive.
 */
import { IP_REDACTED, scrubEventRecord } from "@yavio/pii"
import { describe, expect, it } from "vitest"

const sdkPass = (text: string): unknown =>
  scrubEventRecord({ event_type: "track", metadata: { text } }, { ipAddresses: true }).metadata

const scrubbed = (text: string): string => (sdkPass(text) as { text: string }).text

describe("SDK PII pass: IP addresses", () => {
  it.each([
    ["client 203.0.113.42 connected", `client ${IP_REDACTED} connected`],
    ["10.0.0.1", IP_REDACTED],
    ["from 192.168.1.254.", `from ${IP_REDACTED}.`],
    ["(255.255.255.255)", `(${IP_REDACTED})`],
    ["peer 2001:0db8:85a3:0000:0000:8a2e:0370:7334 ok", `peer ${IP_REDACTED} ok`],
    ["2001:db8::ff00:42:8329", IP_REDACTED],
    ["fe80::1", IP_REDACTED],
    ["::1", IP_REDACTED],
    ["a=10.1.2.3,b=10.1.2.4", `a=${IP_REDACTED},b=${IP_REDACTED}`],
  ])("redacts %j", (input, expected) => {
    expect(scrubbed(input)).toBe(expected)
  })

  it.each([
    "v1.2.3.4",
    "version 10.0.19041.1",
    "1.2.3",
    "256.1.1.1",
    "12:30:45",
    "2026-11-25T12:30:45.123Z",
    "00:1a:2b:3c:4d:5e",
    "std::vector",
    "a::b",
    "price 1.299,99",
    "order 12345",
    "3.14159",
    "1.2.3.4.5",
    "sha 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
  ])("keeps %j", (input) => {
    expect(scrubbed(input)).toBe(input)
  })

  it("is off unless asked for: ingest's pass keeps addresses", () => {
    const event = { event_type: "track", metadata: { text: "client 203.0.113.42" } }
    expect(scrubEventRecord(event)).toBe(event)
  })

  it("runs before the other patterns and leaves them working", () => {
    expect(scrubbed("jane@example.com from 203.0.113.42, card 4111 1111 1111 1111")).toBe(
      `[EMAIL_REDACTED] from ${IP_REDACTED}, card [CC_REDACTED]`,
    )
  })
})
