import { describe, expect, it } from "vitest"
import {
  isEmptyStructuredContent,
  isZeroResult,
  isZeroResultText,
  ZERO_RESULT_MAX_TEXT_LENGTH,
  ZERO_RESULT_PHRASES,
} from "../src/core/zeroResult.js"

describe("zero-result phrases", () => {
  it("the list is the spec's", () => {
    expect(ZERO_RESULT_PHRASES).toEqual([
      "no results",
      "no result found",
      "nothing found",
      "0 results",
      "no matches",
      "no items found",
      "returned no",
    ])
    expect(ZERO_RESULT_MAX_TEXT_LENGTH).toBe(200)
  })

  it.each([
    "No results.",
    "no results for “Lisbon” in June",
    "No result found",
    "Nothing found.",
    "Search: 0 results",
    "NO MATCHES",
    "No items found in your cart",
    "The query returned no rooms.",
    "Sorry — no results!",
  ])("flags %j", (text) => {
    expect(isZeroResultText(text)).toBe(true)
  })

  it.each([
    "Found 10 results",
    "120 results",
    "3 rooms available: …",
    "The search returned nothing unusual; 4 rooms",
    "no resultsXYZ",
    "",
  ])("does not flag %j", (text) => {
    expect(isZeroResultText(text)).toBe(false)
  })

  it("long texts are never flagged, whatever they say", () => {
    const long = `No results. ${"x".repeat(200)}`
    expect(long.length).toBeGreaterThan(200)
    expect(isZeroResultText(long)).toBe(false)
    const edge = `No results${" ".repeat(190)}`
    expect(edge.length).toBe(200)
    expect(isZeroResultText(edge)).toBe(true)
  })
})

describe("isZeroResult", () => {
  it("empty list, empty structuredContent, or a short 'nothing' text", () => {
    expect(isZeroResult({ resultCount: 0, structuredContent: undefined, text: "" })).toBe(true)
    expect(isZeroResult({ resultCount: 1, structuredContent: {}, text: "" })).toBe(true)
    expect(isZeroResult({ resultCount: 1, structuredContent: [], text: "" })).toBe(true)
    expect(isZeroResult({ resultCount: 1, structuredContent: undefined, text: "No matches" })).toBe(true)
    expect(isZeroResult({ resultCount: 3, structuredContent: { rooms: [1, 2, 3] }, text: "3 rooms" })).toBe(
      false,
    )
  })

  it("isEmptyStructuredContent", () => {
    expect(isEmptyStructuredContent([])).toBe(true)
    expect(isEmptyStructuredContent({})).toBe(true)
    expect(isEmptyStructuredContent({ a: [] })).toBe(false)
    expect(isEmptyStructuredContent(null)).toBe(false)
    expect(isEmptyStructuredContent("")).toBe(false)
  })
})
