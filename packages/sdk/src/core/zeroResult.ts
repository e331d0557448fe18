/**
 * Zero-result detection (sdk.md §2.5). A tool result is a zero result when its list-like part
 * is empty, its `structuredContent` is an empty array or object, or its text content is short
 * and says so. The phrase list is our decision and lives only here.
 */

/** Text longer than this is never read as "nothing found" (our decision). */
export const ZERO_RESULT_MAX_TEXT_LENGTH = 200

export const ZERO_RESULT_PHRASES: ReadonlyArray<string> = [
  "no results",
  "no result found",
  "nothing found",
  "0 results",
  "no matches",
  "no items found",
  "returned no",
]

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")

// Whole words only, so "10 results" is not "0 results" and "no matchesXYZ" does not count.
const ZERO_RESULT_PATTERN = new RegExp(
  `(?:^|[^\\p{L}\\p{N}_])(?:${ZERO_RESULT_PHRASES.map(escapeRegExp).join("|")})(?![\\p{L}\\p{N}_])`,
  "iu",
)

/** True for a short text (≤ 200 characters) containing one of the phrases, case-insensitive. */
export const isZeroResultText = (text: string): boolean =>
  text.length <= ZERO_RESULT_MAX_TEXT_LENGTH && ZERO_RESULT_PATTERN.test(text)

/** `structuredContent` that is `[]` or `{}`. */
export const isEmptyStructuredContent = (value: unknown): boolean => {
  if (Array.isArray(value)) return value.length === 0
  return typeof value === "object" && value !== null && Object.keys(value).length === 0
}

export interface ZeroResultInput {
  /** The result count of `responseInspection` (list length, else content items). */
  readonly resultCount: number
  readonly structuredContent: unknown
  /** The text content items joined with newlines. */
  readonly text: string
}

export const isZeroResult = ({ resultCount, structuredContent, text }: ZeroResultInput): boolean =>
  resultCount === 0 || isEmptyStructuredContent(structuredContent) || (text !== "" && isZeroResultText(text))
