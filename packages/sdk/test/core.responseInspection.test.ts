import { describe, expect, it } from "vitest"
import { inspectResponse } from "../src/core/responseInspection.js"
import { utf8ByteLength } from "../src/core/utf8.js"

describe("inspectResponse", () => {
  it("size in UTF-8 bytes of the serialised result, content types counted, result count", () => {
    const result = {
      content: [
        { type: "text", text: "Here are your rooms — 3 found" },
        { type: "text", text: "café" },
        { type: "image", data: "iVBOR", mimeType: "image/png" },
        { type: "audio", data: "UklG", mimeType: "audio/wav" },
        { type: "resource", resource: { uri: "file:///a", text: "x" } },
        { type: "resource_link", uri: "file:///b", name: "b" },
      ],
    }
    const inspection = inspectResponse(result)
    expect(inspection).toEqual({
      response_size: Buffer.byteLength(JSON.stringify(result), "utf8"),
      content_types: { text: 2, image: 1, audio: 1, resource: 1, resource_link: 1 },
      result_count: 6,
      zero_result: false,
    })
  })

  it("structuredContent: counted as `structured`; its top-level array or only array field is the result count", () => {
    expect(
      inspectResponse({
        content: [{ type: "text", text: "3 rooms" }],
        structuredContent: { rooms: [1, 2, 3], city: "x" },
      }),
    ).toMatchObject({ content_types: { text: 1, structured: 1 }, result_count: 3, zero_result: false })
    expect(inspectResponse({ content: [], structuredContent: [1, 2] })).toMatchObject({
      content_types: { structured: 1 },
      result_count: 2,
    })
    // Two array fields: not list-like → number of content items.
    expect(
      inspectResponse({ content: [{ type: "text", text: "ok" }], structuredContent: { a: [1], b: [1, 2] } }),
    ).toMatchObject({ result_count: 1, zero_result: false })
    // No array field → content items.
    expect(
      inspectResponse({ content: [{ type: "text", text: "ok" }], structuredContent: { total: 5 } }),
    ).toMatchObject({ result_count: 1 })
  })

  it.each([
    [
      "an empty list field",
      { content: [{ type: "text", text: "Here you go" }], structuredContent: { rooms: [] } },
    ],
    [
      "an empty structuredContent object",
      { content: [{ type: "text", text: "Done" }], structuredContent: {} },
    ],
    ["no content at all", { content: [] }],
    ["a short 'no results' text", { content: [{ type: "text", text: "No results for Lisbon." }] }],
    [
      "phrases across text items",
      {
        content: [
          { type: "text", text: "Search done." },
          { type: "text", text: "Nothing found" },
        ],
      },
    ],
  ])("zero_result for %s", (_what, result) => {
    expect(inspectResponse(result).zero_result).toBe(true)
  })

  it.each([
    ["a normal result", { content: [{ type: "text", text: "3 rooms: A, B, C" }] }],
    [
      "a long text mentioning no results",
      { content: [{ type: "text", text: `No results in A. ${"B has rooms. ".repeat(30)}` }] },
    ],
    ["an error result", { content: [{ type: "text", text: "No results" }], isError: true }],
    ["a non-empty list", { content: [], structuredContent: { rooms: [{ id: 1 }] } }],
  ])("no zero_result for %s", (_what, result) => {
    expect(inspectResponse(result).zero_result).toBe(false)
  })

  it("reuses a given serialisation, and survives odd input", () => {
    expect(inspectResponse({ content: [] }, '{"x":"é"}').response_size).toBe(10)
    const circular: Record<string, unknown> = { content: [{ type: "text", text: "a" }] }
    circular.self = circular
    expect(inspectResponse(circular)).toMatchObject({ response_size: 0, result_count: 1 })
    expect(inspectResponse(undefined)).toEqual({
      response_size: 0,
      content_types: {},
      result_count: 0,
      zero_result: true,
    })
    expect(inspectResponse({ content: [null, { type: 7 }, { type: "text" }] }).content_types).toEqual({
      unknown: 2,
      text: 1,
    })
  })
})

describe("utf8ByteLength", () => {
  it.each(["", "abc", "café", "€", "😀", "a😀b€é", "\ud800", "\udc00x", "\ud800\ud800"])("%j", (text) => {
    expect(utf8ByteLength(text)).toBe(Buffer.byteLength(text, "utf8"))
  })
})
