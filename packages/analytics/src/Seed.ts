/**
 * Realistic, reproducible analytics data, generated inside ClickHouse (`npm run seed`,
 * `bench:analytics`): `INSERT … SELECT … FROM numbers()` in chunks, so 10M events take
 * seconds of engine time instead of shipping JSON through the client. Every value derives from
 * `cityHash64(seed, …)`: the same seed gives the same events, ids included.
 *
 * Shape: sessions of 20 events over `days` days ending at `end`; per session a connection, a
 * tool discovery, nine tool calls in five traces (six tools, ~6 % errors in five categories,
 * ~10 % retries, long-tail latencies, zero results), widget renders, clicks, form fields and
 * scrolls on half the sessions, the funnel steps search_done (90 % of sessions) → room_chosen
 * (60 %) → checkout_started (35 %) → conversion `booking` (20 %, EUR / USD), in that order and
 * in the trace of the tool call that rendered the widget (with the widget's events), and
 * identify on 60 % of sessions (from its sixth event on, so the events before it are stitched).
 */

import type { SqlError } from "@effect/sql/SqlError"
import { ClickhouseClient } from "@effect/sql-clickhouse/ClickhouseClient"
import { Effect } from "effect"

export interface SeedOptions {
  readonly workspaceId: string
  readonly projectId: string
  readonly events: number
  readonly days: number
  readonly seed: number
  /** The newest event is just before this instant. Default now. */
  readonly end?: Date
  /** Rows per INSERT; progress is reported after each. Default 1,000,000. */
  readonly chunk?: number
}

const EVENTS_PER_SESSION = 20

/** SQL string literal (values here are ours or validated ids, quoted anyway). */
const quote = (value: string): string => `'${value.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`

/** The SELECT producing rows `[from, from + count)` of the data set. */
export const seedSelect = (options: SeedOptions, from: number, count: number): string => {
  const seed = Math.trunc(options.seed)
  const sessions = Math.max(1, Math.ceil(options.events / EVENTS_PER_SESSION))
  const endMs = (options.end ?? new Date()).getTime()
  const spanMs = Math.max(1, Math.trunc(options.days * 24 * 60 * 60 * 1000))
  const users = Math.max(50, Math.trunc(options.events / 400))
  const h = (...parts: string[]) => `cityHash64(${seed}, ${parts.join(", ")})`
  return `
SELECT
  ${quote(options.workspaceId)} AS workspace_id,
  ${quote(options.projectId)} AS project_id,
  lower(concat(
    substring(hex(${h("n", "'id1'")}), 1, 8), '-', substring(hex(${h("n", "'id1'")}), 9, 4), '-4',
    substring(hex(${h("n", "'id2'")}), 2, 3), '-a', substring(hex(${h("n", "'id2'")}), 6, 3), '-',
    substring(hex(${h("n", "'id3'")}), 1, 12))) AS event_id,
  concat('ses_', lower(hex(${h("s", "'ses'")}))) AS session_id,
  -- The widget, the funnel steps and the conversion belong to the trace of the tool call that
  -- rendered the widget (trace 1: k = 2…5), so funnels and time to first interaction have
  -- whole journeys to work on; the other tool calls open traces of their own.
  concat('tr_', lower(hex(${h("s", "'tr'", "if(startsWith(event_type, 'widget_') OR event_type IN ('step', 'conversion'), 1, intDiv(k + 2, 4))")}))) AS trace_id,
  multiIf(k = 0, 'connection', k = 1, 'tool_discovery',
          k IN (2, 3, 6, 7, 10, 11, 14, 15), 'tool_call',
          k = 4, if(widget, 'widget_render', 'track'),
          k = 5, if(identified, 'identify', 'track'),
          k = 8, if(widget, 'widget_click', 'track'),
          k = 9, if(journey < 90, 'step', 'track'),
          k = 12, if(journey < 60, 'step', 'track'),
          k = 17, if(journey < 35, 'step', 'track'),
          k = 13, if(widget, 'widget_form_field', 'track'),
          k = 16, if(widget, 'widget_scroll', 'track'),
          k = 18, if(converts, 'conversion', 'track'),
          'tool_call') AS event_type,
  multiIf(event_type = 'tool_call', tool,
          event_type = 'step', multiIf(k = 9, 'search_done', k = 12, 'room_chosen', 'checkout_started'),
          event_type = 'conversion', 'booking',
          event_type = 'track', 'browse',
          event_type = 'widget_click', 'book_button',
          event_type = 'widget_form_field', 'guest_form',
          NULL) AS event_name,
  fromUnixTimestamp64Milli(toInt64(start_ms + k * 7000 + ${h("n", "'jitter'")} % 5000), 'UTC') AS timestamp,
  multiIf(p < 45, 'chatgpt', p < 75, 'claude', p < 88, 'cursor', p < 96, 'vscode', NULL) AS platform,
  if(startsWith(event_type, 'widget_') OR k IN (12, 17), 'widget', 'server') AS source,
  if(identified AND k >= 5, concat('user_', toString(${h("s", "'user'")} % ${users})), NULL) AS user_id,
  if(event_type = 'identify', '{"plan":"pro"}', NULL) AS user_traits,
  if(event_type = 'tool_call', toFloat64(20 + ${h("n", "'lat'")} % 400 + if(${h("n", "'slow'")} % 50 = 0, 3000, 0)), NULL) AS latency_ms,
  if(event_type = 'tool_call', if(failed, 'error', 'success'), NULL) AS status,
  if(event_type = 'tool_call' AND failed,
     arrayElement(['timeout', 'validation', 'server', 'auth', 'rate_limit'], toUInt32(${h("n", "'cat'")} % 5) + 1), NULL) AS error_category,
  if(event_type = 'tool_call' AND failed, 'upstream service failed', NULL) AS error_message,
  toUInt8(event_type = 'tool_call' AND k IN (3, 7, 11, 15) AND ${h("n", "'retry'")} % 10 = 0) AS is_retry,
  if(event_type = 'tool_call', '["city","guests"]', NULL) AS input_keys,
  if(event_type = 'conversion', toFloat64(50 + ${h("s", "'value'")} % 450), NULL) AS conversion_value,
  if(event_type = 'conversion', if(${h("s", "'ccy'")} % 10 < 7, 'EUR', 'USD'), NULL) AS conversion_currency,
  if(event_type = 'step', toUInt32(intDiv(k, 4)), NULL) AS step_sequence,
  if(event_type = 'widget_click', toUInt32(1), NULL) AS click_count,
  if(event_type = 'widget_scroll', toFloat64(${h("n", "'scroll'")} % 101), NULL) AS scroll_depth_pct,
  if(event_type = 'widget_form_field', 'email', NULL) AS field_name,
  arrayElement(['US', 'DE', 'FR', 'GB', 'IT', 'ES', 'BR', 'JP'], toUInt32(${h("s", "'cc'")} % 8) + 1) AS country_code,
  if(event_type = 'tool_call',
     concat('{"response_size":', toString(200 + ${h("n", "'size'")} % 5000),
            ',"zero_result":', if(tool = 'search_rooms' AND ${h("n", "'zero'")} % 10 = 0, 'true', 'false'), '}'),
     NULL) AS metadata,
  'seed' AS sdk_version
FROM (
  SELECT
    number AS n,
    intDiv(number, ${EVENTS_PER_SESSION}) AS s,
    number % ${EVENTS_PER_SESSION} AS k,
    ${endMs - spanMs} + intDiv(s * ${spanMs}, ${sessions}) AS start_ms,
    ${h("s", "'platform'")} % 100 AS p,
    ${h("s", "'widget'")} % 2 = 0 AS widget,
    ${h("s", "'identified'")} % 10 < 6 AS identified,
    -- How far the session's journey gets: 90 % search, 60 % choose a room, 35 % start the
    -- checkout, 20 % book (each a subset of the one before, so the funnel has real drop-off).
    ${h("s", "'journey'")} % 100 AS journey,
    journey < 20 AS converts,
    ${h("n", "'failed'")} % 100 < 6 AS failed,
    arrayElement(['search_rooms', 'search_rooms', 'search_rooms', 'search_rooms', 'get_details', 'get_details',
                  'check_availability', 'book_room', 'cancel_booking', 'list_amenities'],
                 toUInt32(${h("s", "intDiv(k, 4)", "'tool'")} % 10) + 1) AS tool
  FROM numbers(${Math.trunc(from)}, ${Math.trunc(count)})
)`
}

const COLUMNS = [
  "workspace_id",
  "project_id",
  "event_id",
  "session_id",
  "trace_id",
  "event_type",
  "event_name",
  "timestamp",
  "platform",
  "source",
  "user_id",
  "user_traits",
  "latency_ms",
  "status",
  "error_category",
  "error_message",
  "is_retry",
  "input_keys",
  "conversion_value",
  "conversion_currency",
  "step_sequence",
  "click_count",
  "scroll_depth_pct",
  "field_name",
  "country_code",
  "metadata",
  "sdk_version",
].join(", ")

/** Writes the data set in chunks; `onProgress(written, total)` after each. */
export const seedEvents = (
  options: SeedOptions,
  onProgress: (written: number, total: number) => void = () => {},
): Effect.Effect<void, SqlError, ClickhouseClient> =>
  Effect.gen(function* () {
    const ch = yield* ClickhouseClient
    const total = Math.trunc(options.events)
    const chunk = Math.max(1, Math.trunc(options.chunk ?? 1_000_000))
    for (let from = 0; from < total; from += chunk) {
      const count = Math.min(chunk, total - from)
      yield* ch.asCommand(ch.unsafe(`INSERT INTO events (${COLUMNS}) ${seedSelect(options, from, count)}`))
      onProgress(from + count, total)
    }
  })
