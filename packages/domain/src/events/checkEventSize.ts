/** Largest accepted event, serialised as JSON: 50 KB. */
export const MAX_EVENT_BYTES = 50 * 1024

/** UTF-8 length of a string without encoding it (no allocation; lone surrogates count as U+FFFD, 3 bytes). */
export const utf8ByteLength = (text: string): number => {
  let bytes = 0
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i)
    if (unit < 0x80) bytes += 1
    else if (unit < 0x800) bytes += 2
    else if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1)
      if (next >= 0xdc00 && next <= 0xdfff) {
        bytes += 4
        i++
      } else bytes += 3
    } else bytes += 3
  }
  return bytes
}

/**
 * `YAVIO-2108` when the event's JSON is larger than 50 KB, else null. Expects a JSON value (as
 * parsed from a request body); the check runs on the event as received, before field limits.
 */
export const checkEventSize = (event: unknown): "YAVIO-2108" | null =>
  utf8ByteLength(JSON.stringify(event) ?? "") > MAX_EVENT_BYTES ? "YAVIO-2108" : null
