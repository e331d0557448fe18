/**
 * The trace and session timeline (dashboard.md §3.9) and the live feed's reads (§3.8). The
 * timeline is a drill-down: every event of one trace or session of the project, whatever the
 * time filter, in order (timestamp, then step_sequence), at most 1,000 (our decision). The live
 * feed reads past a cursor `(ingested_at, event_id)` so late events are not skipped; the same
 * event resent later can come back with a newer `ingested_at`, so clients keep the ids they
 * showed (the SSE layer does).
 */

import { ClickhouseClient } from "@effect/sql-clickhouse/ClickhouseClient"
import { Context, Effect, Layer, Schema } from "effect"
import { type AnalyticsQueryError, runRows } from "./AnalyticsQuery.js"
import type { ProjectScope } from "./ProjectScope.js"

export const MAX_TIMELINE_EVENTS = 1000
/** Events a live stream starts with (§3.8). */
export const LIVE_BACKLOG = 50

export interface TimelineEvent {
  readonly id: string
  /** ms after the first event shown. */
  readonly offsetMs: number
  readonly timestamp: string
  readonly source: string
  readonly eventType: string
  readonly eventName: string | null
  readonly traceId: string | null
  readonly sessionId: string
  readonly latencyMs: number | null
  readonly status: string | null
  readonly stepSequence: number | null
  readonly metadata: string | null
}

export interface LiveEvent {
  readonly id: string
  readonly eventType: string
  readonly eventName: string | null
  readonly timestamp: string
  readonly traceId: string | null
  readonly sessionId: string
  readonly platform: string | null
  /** `success` / `error` where the type has one: the feed's ERROR stripe (§5.6). */
  readonly status: string | null
  readonly metadata: string | null
}

/** Where a live stream stands: the last `(ingested_at, event_id)` it sent. */
export interface LiveCursor {
  readonly ingestedAtMs: number
  readonly eventId: string
}

const Row = Schema.Struct({
  event_id: Schema.String,
  ts_ms: Schema.Number,
  ingested_ms: Schema.Number,
  source: Schema.String,
  event_type: Schema.String,
  event_name: Schema.NullOr(Schema.String),
  trace_id: Schema.NullOr(Schema.String),
  session_id: Schema.String,
  platform: Schema.NullOr(Schema.String),
  latency_ms: Schema.NullOr(Schema.Number),
  status: Schema.NullOr(Schema.String),
  step_sequence: Schema.NullOr(Schema.Number),
  metadata: Schema.NullOr(Schema.String),
})
type Row = typeof Row.Type

const COLUMNS = `event_id, toFloat64(toUnixTimestamp64Milli(timestamp)) AS ts_ms,
  toFloat64(toUnixTimestamp64Milli(ingested_at)) AS ingested_ms, source, toString(event_type) AS event_type,
  event_name, trace_id, session_id, toNullable(toString(platform)) AS platform, latency_ms,
  toNullable(toString(status)) AS status, step_sequence, metadata`

const live = (row: Row): LiveEvent => ({
  id: row.event_id,
  eventType: row.event_type,
  eventName: row.event_name,
  timestamp: new Date(row.ts_ms).toISOString(),
  traceId: row.trace_id,
  sessionId: row.session_id,
  platform: row.platform,
  status: row.status,
  metadata: row.metadata,
})

const make = Effect.gen(function* () {
  const ch = yield* ClickhouseClient
  const tenant = (scope: ProjectScope) =>
    ch`workspace_id = ${scope.workspaceId} AND project_id = ${scope.projectId}`

  const timeline = (
    scope: ProjectScope,
    of: { readonly traceId: string } | { readonly sessionId: string },
  ): Effect.Effect<ReadonlyArray<TimelineEvent>, AnalyticsQueryError> =>
    runRows(
      "timeline",
      Row,
      ch`SELECT ${ch.literal(COLUMNS)}
         FROM events FINAL
         WHERE ${tenant(scope)} AND ${"traceId" in of ? ch`trace_id = ${of.traceId}` : ch`session_id = ${of.sessionId}`}
         ORDER BY timestamp, ifNull(step_sequence, 0), event_id
         LIMIT ${ch.literal(String(MAX_TIMELINE_EVENTS))}`,
    ).pipe(
      Effect.map((rows) => {
        const start = rows[0]?.ts_ms ?? 0
        return rows.map((row) => ({
          id: row.event_id,
          offsetMs: row.ts_ms - start,
          timestamp: new Date(row.ts_ms).toISOString(),
          source: row.source,
          eventType: row.event_type,
          eventName: row.event_name,
          traceId: row.trace_id,
          sessionId: row.session_id,
          latencyMs: row.latency_ms,
          status: row.status,
          stepSequence: row.step_sequence,
          metadata: row.metadata,
        }))
      }),
    )

  const typeFilter = (eventType: string | undefined) =>
    eventType === undefined ? ch`1` : ch`event_type = ${eventType}`

  /** The newest events, oldest first, and the cursor after them (a stream's start). */
  const latest = (
    scope: ProjectScope,
    eventType?: string,
    limit = LIVE_BACKLOG,
  ): Effect.Effect<
    { readonly events: ReadonlyArray<LiveEvent>; readonly cursor: LiveCursor | undefined },
    AnalyticsQueryError
  > =>
    runRows(
      "live.latest",
      Row,
      ch`SELECT ${ch.literal(COLUMNS)} FROM events
         WHERE ${tenant(scope)} AND ${typeFilter(eventType)}
         ORDER BY ingested_at DESC, event_id DESC
         LIMIT 1 BY event_id
         LIMIT ${ch.param("UInt32", limit)}`,
    ).pipe(
      Effect.map((rows) => {
        const ordered = [...rows].reverse()
        const last = ordered.at(-1)
        return {
          events: ordered.map(live),
          cursor: last === undefined ? undefined : { ingestedAtMs: last.ingested_ms, eventId: last.event_id },
        }
      }),
    )

  /** Events ingested after `cursor`, oldest first, at most `limit`, and the cursor after them. */
  const after = (
    scope: ProjectScope,
    cursor: LiveCursor,
    eventType?: string,
    limit = 500,
  ): Effect.Effect<
    { readonly events: ReadonlyArray<LiveEvent>; readonly cursor: LiveCursor },
    AnalyticsQueryError
  > =>
    runRows(
      "live.after",
      Row,
      ch`SELECT ${ch.literal(COLUMNS)} FROM events
         WHERE ${tenant(scope)} AND ${typeFilter(eventType)}
           AND (ingested_at, event_id) > (fromUnixTimestamp64Milli(toInt64(${ch.param("Float64", cursor.ingestedAtMs)}), 'UTC'), ${cursor.eventId})
         ORDER BY ingested_at, event_id
         LIMIT ${ch.param("UInt32", limit)}`,
    ).pipe(
      Effect.map((rows) => {
        const last = rows.at(-1)
        return {
          events: rows.map(live),
          cursor: last === undefined ? cursor : { ingestedAtMs: last.ingested_ms, eventId: last.event_id },
        }
      }),
    )

  return { timeline, latest, after } as const
})

export class Timeline extends Context.Tag("@yavio/analytics/Timeline")<
  Timeline,
  Effect.Effect.Success<typeof make>
>() {
  static readonly layer: Layer.Layer<Timeline, never, ClickhouseClient> = Layer.effect(this, make)
}
