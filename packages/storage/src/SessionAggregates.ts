import { ClickhouseClient } from "@effect/sql-clickhouse/ClickhouseClient"
import { ClickhouseSchemaMismatch } from "@yavio/domain"
import { Context, Effect, Layer, Schema } from "effect"
import { type ClickhouseQueryError, failClickhouseQuery } from "./ClickhouseErrors.js"
import { RevenuePerCurrency, revenuePerCurrencySql } from "./Revenue.js"

/** One analytics session, merged from every partial row `sessions_mv` holds for it. */
export interface SessionAggregate {
  readonly workspaceId: string
  readonly projectId: string
  readonly sessionId: string
  /** The last non-null user_id seen in the session. */
  readonly userId: string | null
  readonly sessionStart: Date
  readonly sessionEnd: Date
  readonly durationMs: number
  readonly platform: string | null
  readonly countryCode: string | null
  /** Distinct tools called. */
  readonly toolCount: number
  readonly invocationCount: number
  readonly eventCount: number
  readonly conversionCount: number
  readonly revenue: RevenuePerCurrency
  readonly hasWidget: boolean
  /** First widget_click minus first widget_render; null without both (or a click before any render). */
  readonly ttfiMs: number | null
}

/** Tenant and project are required: every analytics read is scoped to one project. */
export interface SessionFilter {
  readonly workspaceId: string
  readonly projectId: string
  readonly sessionIds?: ReadonlyArray<string>
  /** Sessions that started at or after this instant. */
  readonly startedFrom?: Date
  /** Sessions that started before this instant. */
  readonly startedBefore?: Date
  readonly limit?: number
}

const Row = Schema.Struct({
  workspace_id: Schema.String,
  project_id: Schema.String,
  session_id: Schema.String,
  user_id: Schema.NullOr(Schema.String),
  session_start_ms: Schema.Number,
  session_end_ms: Schema.Number,
  platform: Schema.NullOr(Schema.String),
  country_code: Schema.NullOr(Schema.String),
  tool_count: Schema.Number,
  invocation_count: Schema.Number,
  event_count: Schema.Number,
  conversion_count: Schema.Number,
  revenue: RevenuePerCurrency,
  has_widget: Schema.Number,
  first_render_ms: Schema.NullOr(Schema.Number),
  first_click_ms: Schema.NullOr(Schema.Number),
})
const decodeRows = Schema.decodeUnknown(Schema.Array(Row))

const toAggregate = (row: typeof Row.Type): SessionAggregate => ({
  workspaceId: row.workspace_id,
  projectId: row.project_id,
  sessionId: row.session_id,
  userId: row.user_id,
  sessionStart: new Date(row.session_start_ms),
  sessionEnd: new Date(row.session_end_ms),
  durationMs: row.session_end_ms - row.session_start_ms,
  platform: row.platform,
  countryCode: row.country_code,
  toolCount: row.tool_count,
  invocationCount: row.invocation_count,
  eventCount: row.event_count,
  conversionCount: row.conversion_count,
  revenue: row.revenue,
  hasWidget: row.has_widget === 1,
  ttfiMs:
    row.first_render_ms !== null && row.first_click_ms !== null && row.first_click_ms >= row.first_render_ms
      ? row.first_click_ms - row.first_render_ms
      : null,
})

const make = Effect.gen(function* () {
  const ch = yield* ClickhouseClient
  const ms = (date: Date) => ch.param("Float64", date.getTime())

  /**
   * Counts are cast to UInt32 and times to epoch milliseconds as Float64 so they arrive as JSON
   * numbers (64-bit integers are quoted by the client settings).
   */
  const query = (filter: SessionFilter) => {
    const sessionIds =
      filter.sessionIds === undefined
        ? ch.literal("")
        : ch`AND session_id IN ${ch.param("Array(String)", filter.sessionIds)}`
    const having = ch.and([
      ...(filter.startedFrom === undefined ? [] : [ch`session_start_ms >= ${ms(filter.startedFrom)}`]),
      ...(filter.startedBefore === undefined ? [] : [ch`session_start_ms < ${ms(filter.startedBefore)}`]),
    ])
    const limit = filter.limit === undefined ? ch.literal("") : ch`LIMIT ${ch.param("UInt32", filter.limit)}`
    return ch`
      SELECT
        workspace_id,
        project_id,
        session_id,
        argMaxMerge(user_id_state) AS user_id,
        toFloat64(toUnixTimestamp64Milli(min(session_start_min))) AS session_start_ms,
        toFloat64(toUnixTimestamp64Milli(max(session_end_max))) AS session_end_ms,
        argMaxMerge(platform_state) AS platform,
        argMaxMerge(country_code_state) AS country_code,
        toUInt32(uniqExactIfMerge(tool_count_state)) AS tool_count,
        toUInt32(uniqExactIfMerge(invocation_count_state)) AS invocation_count,
        toUInt32(uniqExactMerge(event_count_state)) AS event_count,
        toUInt32(uniqExactIfMerge(conversion_count_state)) AS conversion_count,
        ${ch.literal(revenuePerCurrencySql("revenue_state"))} AS revenue,
        max(has_widget_max) AS has_widget,
        toFloat64(toUnixTimestamp64Milli(min(first_widget_render_min))) AS first_render_ms,
        toFloat64(toUnixTimestamp64Milli(min(first_widget_click_min))) AS first_click_ms
      FROM sessions_mv
      WHERE workspace_id = ${filter.workspaceId} AND project_id = ${filter.projectId} ${sessionIds}
      GROUP BY workspace_id, project_id, session_id
      HAVING ${having}
      ORDER BY session_start_ms, session_id
      ${limit}`
  }

  const list = (
    filter: SessionFilter,
  ): Effect.Effect<ReadonlyArray<SessionAggregate>, ClickhouseQueryError> =>
    query(filter).pipe(
      Effect.catchTag("SqlError", failClickhouseQuery),
      Effect.flatMap(decodeRows),
      Effect.catchTag(
        "ParseError",
        (cause) => new ClickhouseSchemaMismatch({ detail: "sessions_mv", cause }),
      ),
      Effect.map((rows) => rows.map(toAggregate)),
      Effect.withSpan("SessionAggregates.list"),
    )

  return { list } as const
})

/** Reads per-session aggregates from `sessions_mv`, merging partial states per session. */
export class SessionAggregates extends Context.Tag("@yavio/storage/SessionAggregates")<
  SessionAggregates,
  {
    readonly list: (
      filter: SessionFilter,
    ) => Effect.Effect<ReadonlyArray<SessionAggregate>, ClickhouseQueryError>
  }
>() {
  static readonly layer: Layer.Layer<SessionAggregates, never, ClickhouseClient> = Layer.effect(this, make)
}
