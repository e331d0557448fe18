import { ClickhouseClient } from "@effect/sql-clickhouse/ClickhouseClient"
import { ClickhouseSchemaMismatch } from "@yavio/domain"
import { Context, Effect, Layer, Schema } from "effect"
import { type ClickhouseQueryError, failClickhouseQuery } from "./ClickhouseErrors.js"
import { RevenuePerCurrency, revenuePerCurrencySql } from "./Revenue.js"

/** One identified user of a project, merged from every partial row `users_mv` holds for them. */
export interface UserAggregate {
  readonly workspaceId: string
  readonly projectId: string
  readonly userId: string
  readonly firstSeen: Date
  readonly lastSeen: Date
  /** Exact up to 65,536 per user, approximate beyond (`uniq`). */
  readonly totalEvents: number
  readonly totalSessions: number
  readonly totalToolCalls: number
  readonly totalConversions: number
  readonly revenue: RevenuePerCurrency
  /** The newest non-null user_traits, parsed. */
  readonly latestTraits: unknown
  readonly lastPlatform: string | null
  readonly lastCountry: string | null
}

export interface UserFilter {
  readonly workspaceId: string
  readonly projectId: string
  readonly userIds?: ReadonlyArray<string>
  readonly limit?: number
}

const Row = Schema.Struct({
  workspace_id: Schema.String,
  project_id: Schema.String,
  user_id: Schema.String,
  first_seen_ms: Schema.Number,
  last_seen_ms: Schema.Number,
  total_events: Schema.Number,
  total_sessions: Schema.Number,
  total_tool_calls: Schema.Number,
  total_conversions: Schema.Number,
  revenue: RevenuePerCurrency,
  latest_traits: Schema.NullOr(Schema.parseJson()),
  last_platform: Schema.NullOr(Schema.String),
  last_country: Schema.NullOr(Schema.String),
})
const decodeRows = Schema.decodeUnknown(Schema.Array(Row))

const toAggregate = (row: typeof Row.Type): UserAggregate => ({
  workspaceId: row.workspace_id,
  projectId: row.project_id,
  userId: row.user_id,
  firstSeen: new Date(row.first_seen_ms),
  lastSeen: new Date(row.last_seen_ms),
  totalEvents: row.total_events,
  totalSessions: row.total_sessions,
  totalToolCalls: row.total_tool_calls,
  totalConversions: row.total_conversions,
  revenue: row.revenue,
  latestTraits: row.latest_traits,
  lastPlatform: row.last_platform,
  lastCountry: row.last_country,
})

const make = Effect.gen(function* () {
  const ch = yield* ClickhouseClient

  const query = (filter: UserFilter) => {
    const userIds =
      filter.userIds === undefined
        ? ch.literal("")
        : ch`AND user_id IN ${ch.param("Array(String)", filter.userIds)}`
    const limit = filter.limit === undefined ? ch.literal("") : ch`LIMIT ${ch.param("UInt32", filter.limit)}`
    return ch`
      SELECT
        workspace_id,
        project_id,
        user_id,
        toFloat64(toUnixTimestamp64Milli(min(first_seen_min))) AS first_seen_ms,
        toFloat64(toUnixTimestamp64Milli(max(last_seen_max))) AS last_seen_ms,
        toUInt32(uniqMerge(total_events_state)) AS total_events,
        toUInt32(uniqMerge(total_sessions_state)) AS total_sessions,
        toUInt32(uniqIfMerge(total_tool_calls_state)) AS total_tool_calls,
        toUInt32(uniqIfMerge(total_conversions_state)) AS total_conversions,
        ${ch.literal(revenuePerCurrencySql("revenue_state"))} AS revenue,
        argMaxMerge(latest_traits_state) AS latest_traits,
        argMaxMerge(last_platform_state) AS last_platform,
        argMaxMerge(last_country_state) AS last_country
      FROM users_mv
      WHERE workspace_id = ${filter.workspaceId} AND project_id = ${filter.projectId} ${userIds}
      GROUP BY workspace_id, project_id, user_id
      ORDER BY last_seen_ms DESC, user_id
      ${limit}`
  }

  const list = (filter: UserFilter): Effect.Effect<ReadonlyArray<UserAggregate>, ClickhouseQueryError> =>
    query(filter).pipe(
      Effect.catchTag("SqlError", failClickhouseQuery),
      Effect.flatMap(decodeRows),
      Effect.catchTag("ParseError", (cause) => new ClickhouseSchemaMismatch({ detail: "users_mv", cause })),
      Effect.map((rows) => rows.map(toAggregate)),
      Effect.withSpan("UserAggregates.list"),
    )

  return { list } as const
})

/** Reads per-user aggregates from `users_mv`, merging partial states per user. */
export class UserAggregates extends Context.Tag("@yavio/storage/UserAggregates")<
  UserAggregates,
  { readonly list: (filter: UserFilter) => Effect.Effect<ReadonlyArray<UserAggregate>, ClickhouseQueryError> }
>() {
  static readonly layer: Layer.Layer<UserAggregates, never, ClickhouseClient> = Layer.effect(this, make)
}
