import { describe, expect, it } from "vitest"
import { captureInput, jsonTypeOf } from "../src/core/inputCapture.js"

describe("captureInput", () => {
  it("keys in order, JSON types, count", () => {
    expect(
      captureInput({ city: "Lisbon", guests: 2, pets: false, dates: ["a"], filters: { a: 1 }, note: null }),
    ).toEqual({
      input_keys: ["city", "guests", "pets", "dates", "filters", "note"],
      input_types: {
        city: "string",
        guests: "number",
        pets: "boolean",
        dates: "array",
        filters: "object",
        note: "null",
      },
      input_params_count: 6,
    })
  })

  it("values JSON cannot carry are left out; bigint is a number", () => {
    expect(captureInput({ a: undefined, b: () => 1, c: Symbol("s"), d: 10n })).toEqual({
      input_keys: ["d"],
      input_types: { d: "number" },
      input_params_count: 1,
    })
  })

  it("no arguments, or arguments that are not an object, capture nothing", () => {
    const empty = { input_keys: [], input_types: {}, input_params_count: 0 }
    expect(captureInput(undefined)).toEqual(empty)
    expect(captureInput(null)).toEqual(empty)
    expect(captureInput("x")).toEqual(empty)
    expect(captureInput([1, 2])).toEqual(empty)
    expect(captureInput({})).toEqual(empty)
  })

  it("an argument named __proto__ stays an ordinary key", () => {
    const args = JSON.parse('{"__proto__": "x", "a": 1}') as unknown
    const captured = captureInput(args)
    expect(captured.input_keys).toEqual(["__proto__", "a"])
    expect(Object.hasOwn(captured.input_types, "__proto__")).toBe(true)
    expect(Object.getPrototypeOf(captured.input_types)).toBe(Object.prototype)
  })

  it("jsonTypeOf", () => {
    expect([1, "s", true, null, [], {}, new Date(), undefined].map(jsonTypeOf)).toEqual([
      "number",
      "string",
      "boolean",
      "null",
      "array",
      "object",
      "object",
      undefined,
    ])
  })
})
