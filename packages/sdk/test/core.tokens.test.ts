import { describe, expect, it } from "vitest"
import { estimateInputTokens, estimateOutputTokens, estimateTokens } from "../src/core/tokens.js"

describe("token estimates: ⌈characters ÷ 4⌉", () => {
  it.each([
    ["", 0],
    ["a", 1],
    ["abcd", 1],
    ["abcde", 2],
    ["x".repeat(400), 100],
    ["x".repeat(401), 101],
  ])("%j → %i", (text, tokens) => {
    expect(estimateTokens(text)).toBe(tokens)
  })

  it("tokens_in is over the serialised arguments", () => {
    const args = { city: "Lisbon", guests: 2 }
    expect(estimateInputTokens(args)).toBe(Math.ceil(JSON.stringify(args).length / 4))
    expect(estimateInputTokens(args, "12345678")).toBe(2)
    expect(estimateInputTokens(undefined)).toBe(0)
    const circular: Record<string, unknown> = {}
    circular.self = circular
    expect(estimateInputTokens(circular)).toBe(0)
  })

  it("tokens_out is over text content plus serialised structuredContent", () => {
    const structuredContent = { rooms: [{ id: 1 }] }
    const result = {
      content: [
        { type: "text", text: "abcdefgh" }, // 8
        { type: "image", data: "A".repeat(10_000), mimeType: "image/png" }, // not text: ignored
        { type: "text", text: "ij" }, // 2
      ],
      structuredContent,
    }
    expect(estimateOutputTokens(result)).toBe(Math.ceil((10 + JSON.stringify(structuredContent).length) / 4))
    expect(estimateOutputTokens({ content: [] })).toBe(0)
    expect(estimateOutputTokens(null)).toBe(0)
    expect(estimateOutputTokens("text")).toBe(0)
  })
})
