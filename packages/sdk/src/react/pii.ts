/**
 * The widget's best-effort PII pass (sdk.md §4, §7.4): the same replacement tokens as the server
 * engine (`@yavio/pii`), in a few hundred bytes, because the whole react entry must stay under
 * 4 KB gzipped. Ingest runs the authoritative scrub on every event anyway; this pass only keeps
 * the obvious cases from leaving the browser. Card numbers must pass Luhn, so order numbers and
 * other long digit runs survive; dates, prices and versions never match.
 */

const luhn = (digits: string): boolean => {
  let sum = 0
  for (let i = 0; i < digits.length; i++) {
    const d = +digits[digits.length - 1 - i]! * (1 + (i % 2))
    sum += d > 9 ? d - 9 : d
  }
  return sum % 10 === 0
}

const scrubText = (text: string): string =>
  text
    .replace(/[\w.+-]+@[\w-]+(\.[\w-]+)+/g, "[EMAIL_REDACTED]")
    .replace(/\b\d(?:[ -]?\d){12,18}\b/g, (m) => (luhn(m.replace(/\D/g, "")) ? "[CC_REDACTED]" : m))
    .replace(/\b\d{3}[- ]\d{2}[- ]\d{4}\b/g, "[SSN_REDACTED]")
    .replace(/(?:\+\d{1,3}[ .-]?)?\(?\b\d{3}\)?[ .-]\d{3}[ .-]\d{4}\b|\+\d{8,15}\b/g, "[PHONE_REDACTED]")
    .replace(/\b(?:\d{1,3}\.){3}\d{1,3}\b/g, "[IP_REDACTED]")

/** Every string inside `value`, recursively, scrubbed; keys and non-strings are kept. */
export const scrub = (value: unknown): unknown =>
  typeof value === "string"
    ? scrubText(value)
    : Array.isArray(value)
      ? value.map(scrub)
      : value && typeof value === "object"
        ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, scrub(v)]))
        : value
