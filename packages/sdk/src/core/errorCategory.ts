/**
 * `error_category` of a failed tool call (sdk.md §2.5, our heuristics, first match wins):
 * validation → auth → rate_limit → timeout → server → unknown. Accepts a thrown value or the
 * text of an `isError: true` result.
 */

export type ErrorCategory = "validation" | "auth" | "rate_limit" | "timeout" | "server" | "unknown"

/** JSON-RPC "Invalid params": what MCP SDKs answer for an input-schema failure. */
export const JSON_RPC_INVALID_PARAMS = -32602

const VALIDATION_NAMES = new Set([
  "ZodError",
  "ValiError",
  "ValidationError",
  "SchemaError",
  "ArkError",
  "ArkErrors",
  "YupError",
  "ParseError",
])
const VALIDATION_TEXT = /-32602|\binput validation\b|\binvalid (?:params|parameters|arguments|input)\b/i
const AUTH_TEXT = /unauthori[sz]ed|forbidden|permission/i
const RATE_LIMIT_TEXT = /rate[ _-]?limit|too many requests/i
const TIMEOUT_NAMES = new Set(["AbortError", "TimeoutError"])
const TIMEOUT_CODES = new Set([
  "ETIMEDOUT",
  "ESOCKETTIMEDOUT",
  "UND_ERR_CONNECT_TIMEOUT",
  "UND_ERR_HEADERS_TIMEOUT",
])
const TIMEOUT_TEXT = /\btimed? ?out\b|\btimeout\b/i

interface ErrorTraits {
  readonly name: string
  readonly message: string
  readonly code: unknown
  readonly status: number | undefined
  readonly hasIssues: boolean
}

const asRecord = (value: unknown): Record<string, unknown> | undefined =>
  typeof value === "object" && value !== null ? (value as Record<string, unknown>) : undefined

const httpStatus = (value: unknown): number | undefined =>
  typeof value === "number" && Number.isInteger(value) && value >= 100 && value <= 599 ? value : undefined

const readTraits = (error: unknown): ErrorTraits => {
  if (typeof error === "string") {
    return { name: "", message: error, code: undefined, status: undefined, hasIssues: false }
  }
  const record = asRecord(error)
  if (record === undefined) {
    return { name: "", message: "", code: undefined, status: undefined, hasIssues: false }
  }
  const read = (key: string): unknown => {
    try {
      return record[key]
    } catch {
      return undefined // a throwing getter
    }
  }
  const name = read("name")
  const message = read("message")
  const code = read("code")
  const response = asRecord(read("response"))
  const status =
    httpStatus(read("status")) ??
    httpStatus(read("statusCode")) ??
    httpStatus(response?.status) ??
    (typeof code === "number" && code >= 400 ? httpStatus(code) : undefined)
  return {
    name: typeof name === "string" ? name : "",
    message: typeof message === "string" ? message : "",
    code,
    status,
    hasIssues: Array.isArray(read("issues")),
  }
}

export const categorizeError = (error: unknown): ErrorCategory => {
  try {
    const { name, message, code, status, hasIssues } = readTraits(error)
    const text = `${name} ${message}`
    if (
      code === JSON_RPC_INVALID_PARAMS ||
      hasIssues ||
      VALIDATION_NAMES.has(name) ||
      VALIDATION_TEXT.test(message)
    ) {
      return "validation"
    }
    if (status === 401 || status === 403 || AUTH_TEXT.test(text)) return "auth"
    if (status === 429 || RATE_LIMIT_TEXT.test(text)) return "rate_limit"
    if (
      TIMEOUT_NAMES.has(name) ||
      (typeof code === "string" && TIMEOUT_CODES.has(code)) ||
      TIMEOUT_TEXT.test(message)
    ) {
      return "timeout"
    }
    if (status !== undefined && status >= 500) return "server"
    if (status !== undefined || typeof code === "number" || (typeof code === "string" && code !== "")) {
      return "server"
    }
    return "unknown"
  } catch {
    return "unknown"
  }
}
