import { utf8ByteLength } from "@yavio/domain"

/**
 * How each `events` column is filled from a decoded event. JSON-valued fields are stored as
 * `String` holding JSON (see the storage migration for why); timestamps as ClickHouse's
 * `YYYY-MM-DD hh:mm:ss.sss` in UTC. Fields not listed here never reach the table, so an SDK
 * field unknown to this schema version cannot break an insert.
 */
const PLAIN_COLUMNS = [
  "event_type",
  "event_name",
  "trace_id",
  "platform",
  "source",
  "user_id",
  "latency_ms",
  "status",
  "error_category",
  "is_retry",
  "tokens_in",
  "tokens_out",
  "conversion_value",
  "conversion_currency",
  "viewport_width",
  "viewport_height",
  "scroll_depth_pct",
  "click_count",
  "visible_duration_ms",
  "field_name",
  "nav_from",
  "nav_to",
  "device_touch",
  "device_pixel_ratio",
  "connection_type",
  "load_time_ms",
  "protocol_version",
  "client_name",
  "client_version",
  "connection_duration_ms",
  "step_sequence",
  "sdk_version",
] as const

const JSON_COLUMNS = ["input_values", "output_values"] as const

/** Field limits of ingest-and-storage.md that truncate rather than reject, with their notice codes. */
export const FIELD_LIMITS = {
  metadata: { bytes: 10 * 1024, code: "YAVIO-2200" },
  user_traits: { bytes: 5 * 1024, code: "YAVIO-2201" },
  error_message: { bytes: 2 * 1024, code: "YAVIO-2202" },
  input_keys: { bytes: 5 * 1024, code: "YAVIO-2203" },
  input_types: { bytes: 5 * 1024, code: "YAVIO-2204" },
  intent_signals: { bytes: 2 * 1024, code: "YAVIO-2205" },
} as const

export type TruncationCode = (typeof FIELD_LIMITS)[keyof typeof FIELD_LIMITS]["code"]

export const TRUNCATED_SUFFIX = "... [truncated]"

/** What the server adds to every event (never trusted from the client, but `country_code`). */
export interface RowContext {
  readonly workspaceId: string
  readonly projectId: string
  /** ClickHouse-formatted server time of receipt. */
  readonly ingestedAt: string
  /** From a trusted CDN header; used only when the SDK sent none. */
  readonly countryCode: string | undefined
  /** Widget events take their session from the token, whatever they say. */
  readonly sessionId: string | undefined
  /** Events sent with a widget token are widget events, whatever they claim. */
  readonly source: "widget" | undefined
  /** Makes an `event_id` for an event that came without one. */
  readonly newEventId: () => string
}

/** `2026-11-25T06:30:00.123Z` → `2026-11-25 06:30:00.123`, the DateTime64(3, 'UTC') text form. */
export const clickhouseDateTime = (date: Date): string => {
  const iso = date.toISOString()
  return `${iso.slice(0, 10)} ${iso.slice(11, 23)}`
}

/**
 * `utf8ByteLength(text) <= limit`, without the count when the length alone proves it: UTF-8
 * takes at most 3 bytes per UTF-16 code unit (a surrogate pair is 4 bytes for 2 units).
 */
const fitsIn = (text: string, limit: number): boolean =>
  text.length * 3 <= limit || utf8ByteLength(text) <= limit

/** A JSON object over its limit becomes a marker that keeps the original size. */
const limitObject = (json: string, limit: number): { json: string; truncated: boolean } => {
  if (json.length * 3 <= limit) return { json, truncated: false }
  const bytes = utf8ByteLength(json)
  return bytes <= limit
    ? { json, truncated: false }
    : { json: `{"_truncated":true,"_original_size":${bytes}}`, truncated: true }
}

/** Keeps the longest prefix of an array, or the first keys of an object, that fits. */
const limitCollection = (
  value: unknown,
  json: string,
  limit: number,
): { json: string; truncated: boolean } => {
  if (fitsIn(json, limit)) return { json, truncated: false }
  if (Array.isArray(value)) {
    const kept: unknown[] = []
    let size = 2
    for (const item of value) {
      const itemSize = utf8ByteLength(JSON.stringify(item) ?? "null") + (kept.length > 0 ? 1 : 0)
      if (size + itemSize > limit) break
      kept.push(item)
      size += itemSize
    }
    return { json: JSON.stringify(kept), truncated: true }
  }
  if (typeof value === "object" && value !== null) {
    const kept: Record<string, unknown> = {}
    let size = 2
    let first = true
    for (const [key, item] of Object.entries(value)) {
      const entrySize = utf8ByteLength(JSON.stringify(key) + JSON.stringify(item)) + 1 + (first ? 0 : 1)
      if (size + entrySize > limit) break
      kept[key] = item
      size += entrySize
      first = false
    }
    return { json: JSON.stringify(kept), truncated: true }
  }
  return limitObject(json, limit)
}

/** Cuts a string to `limit` UTF-8 bytes including the suffix, never splitting a surrogate pair. */
export const truncateText = (text: string, limit: number): { text: string; truncated: boolean } => {
  if (fitsIn(text, limit)) return { text, truncated: false }
  const budget = limit - TRUNCATED_SUFFIX.length
  let end = Math.min(text.length, budget)
  while (end > 0 && utf8ByteLength(text.slice(0, end)) > budget) end = Math.floor(end * 0.9)
  const code = text.charCodeAt(end - 1)
  if (code >= 0xd800 && code <= 0xdbff) end--
  return { text: text.slice(0, end) + TRUNCATED_SUFFIX, truncated: true }
}

/** `,"column":` for every column a row may carry, made once. */
const KEY: Readonly<Record<string, string>> = Object.fromEntries(
  [
    ...PLAIN_COLUMNS,
    ...JSON_COLUMNS,
    "country_code",
    "metadata",
    "user_traits",
    "input_keys",
    "input_types",
    "intent_signals",
    "error_message",
  ].map((column) => [column, `,${JSON.stringify(column)}:`]),
)

/**
 * One event as a `JSONEachRow` line (with its newline), after field limits and enrichment.
 * `event` is a decoded, PII-stripped event. Truncation notices are pushed to `notices`.
 *
 * The line is written out directly (`"column":<JSON value>` pairs) rather than built as an
 * object and stringified whole: same JSON, without an object per row.
 */
export const toRow = (
  event: Readonly<Record<string, unknown>>,
  timestamp: Date,
  context: RowContext,
  notices: TruncationCode[],
): string => {
  const eventId = typeof event.event_id === "string" ? event.event_id : context.newEventId()
  let line =
    `{"event_id":${JSON.stringify(eventId)}` +
    `,"workspace_id":${JSON.stringify(context.workspaceId)}` +
    `,"project_id":${JSON.stringify(context.projectId)}` +
    `,"session_id":${JSON.stringify(context.sessionId ?? event.session_id)}` +
    `,"timestamp":"${clickhouseDateTime(timestamp)}"` +
    `,"ingested_at":${JSON.stringify(context.ingestedAt)}`
  for (const column of PLAIN_COLUMNS) {
    const value = column === "source" ? (context.source ?? event.source) : event[column]
    if (value !== undefined) line += KEY[column]! + JSON.stringify(value)
  }
  const country = event.country_code ?? context.countryCode
  if (country !== undefined) line += KEY.country_code! + JSON.stringify(country)
  for (const column of JSON_COLUMNS) {
    const value = event[column]
    if (value !== undefined) line += KEY[column]! + JSON.stringify(JSON.stringify(value))
  }
  for (const column of ["metadata", "user_traits"] as const) {
    const value = event[column]
    if (value === undefined) continue
    const limited = limitObject(JSON.stringify(value), FIELD_LIMITS[column].bytes)
    if (limited.truncated) notices.push(FIELD_LIMITS[column].code)
    line += KEY[column]! + JSON.stringify(limited.json)
  }
  for (const column of ["input_keys", "input_types", "intent_signals"] as const) {
    const value = event[column]
    if (value === undefined) continue
    const limited = limitCollection(value, JSON.stringify(value), FIELD_LIMITS[column].bytes)
    if (limited.truncated) notices.push(FIELD_LIMITS[column].code)
    line += KEY[column]! + JSON.stringify(limited.json)
  }
  if (typeof event.error_message === "string") {
    const limited = truncateText(event.error_message, FIELD_LIMITS.error_message.bytes)
    if (limited.truncated) notices.push(FIELD_LIMITS.error_message.code)
    line += KEY.error_message! + JSON.stringify(limited.text)
  }
  return `${line}}\n`
}
