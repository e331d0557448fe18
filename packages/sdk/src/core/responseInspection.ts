/**
 * Response inspection of a tool result shaped like MCP's `CallToolResult` (sdk.md §2.5): size,
 * content-type counts, result count and the zero-result flag, under the metadata keys the
 * dashboard reads (`response_size`, `content_types`, `result_count`, `zero_result`).
 */

import { utf8ByteLength } from "./utf8.js"
import { isZeroResult } from "./zeroResult.js"

export interface ResponseInspection {
  /** UTF-8 bytes of the serialised result. */
  readonly response_size: number
  /** Count per content item `type` (`text`, `image`, `audio`, `resource`, `resource_link`, …), plus `structured: 1` when `structuredContent` is present. */
  readonly content_types: Readonly<Record<string, number>>
  /** Length of `structuredContent` when it is an array, else of its only array field, else the number of content items. */
  readonly result_count: number
  /** Always false for `isError: true` results: a failure is not an empty answer (our decision). */
  readonly zero_result: boolean
}

const asRecord = (value: unknown): Record<string, unknown> | undefined =>
  typeof value === "object" && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined

/** Length of the list in `structuredContent`: itself when an array, else its only array field. */
const structuredListLength = (structured: unknown): number | undefined => {
  if (Array.isArray(structured)) return structured.length
  const record = asRecord(structured)
  if (record === undefined) return undefined
  let length: number | undefined
  for (const value of Object.values(record)) {
    if (!Array.isArray(value)) continue
    if (length !== undefined) return undefined // two array fields: not list-like
    length = value.length
  }
  return length
}

/**
 * Inspects `result`. Pass `serialized` when the result was already serialised (output capture),
 * so it is not serialised twice. A non-serialisable result has size 0.
 */
export const inspectResponse = (result: unknown, serialized?: string): ResponseInspection => {
  let json = serialized
  if (json === undefined) {
    try {
      json = JSON.stringify(result) ?? ""
    } catch {
      json = ""
    }
  }
  const record = asRecord(result)
  const content = Array.isArray(record?.content) ? (record.content as ReadonlyArray<unknown>) : []
  const structured = record?.structuredContent
  const hasStructured = structured !== undefined && structured !== null

  const content_types: Record<string, number> = Object.create(null)
  const texts: string[] = []
  for (const item of content) {
    const entry = asRecord(item)
    const type = typeof entry?.type === "string" ? entry.type : "unknown"
    content_types[type] = (content_types[type] ?? 0) + 1
    if (type === "text" && typeof entry?.text === "string") texts.push(entry.text)
  }
  if (hasStructured) content_types.structured = 1

  const result_count = (hasStructured ? structuredListLength(structured) : undefined) ?? content.length
  const zero_result =
    record?.isError === true
      ? false
      : isZeroResult({
          resultCount: result_count,
          structuredContent: hasStructured ? structured : undefined,
          text: texts.join("\n"),
        })

  return {
    response_size: utf8ByteLength(json),
    content_types: { ...content_types },
    result_count,
    zero_result,
  }
}
