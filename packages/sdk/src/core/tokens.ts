/**
 * Token estimates (sdk.md §2.5, our decision): ⌈characters ÷ 4⌉, where characters are UTF-16
 * code units (`string.length`). Labelled as estimates wherever they are shown.
 */

export const estimateTokens = (text: string): number => Math.ceil(text.length / 4)

/** `tokens_in`: over the serialised arguments (pass the already serialised string if you have it). */
export const estimateInputTokens = (args: unknown, serialized?: string): number => {
  if (serialized !== undefined) return estimateTokens(serialized)
  if (args === undefined) return 0
  try {
    return estimateTokens(JSON.stringify(args) ?? "")
  } catch {
    return 0
  }
}

/** `tokens_out`: over the text content items plus the serialised `structuredContent`. */
export const estimateOutputTokens = (result: unknown): number => {
  if (typeof result !== "object" || result === null) return 0
  const { content, structuredContent } = result as { content?: unknown; structuredContent?: unknown }
  let characters = 0
  if (Array.isArray(content)) {
    for (const item of content) {
      if (typeof item === "object" && item !== null) {
        const { type, text } = item as { type?: unknown; text?: unknown }
        if (type === "text" && typeof text === "string") characters += text.length
      }
    }
  }
  if (structuredContent !== undefined) {
    try {
      characters += (JSON.stringify(structuredContent) ?? "").length
    } catch {
      // not serialisable: counts as nothing
    }
  }
  return Math.ceil(characters / 4)
}
