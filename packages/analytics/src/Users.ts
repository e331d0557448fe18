/**
 * The Users view (dashboard.md §3.5). A session's user is the last non-null `user_id` of the
 * session (`sessions_mv`), so events sent before `identify()` count for that user (stitching);
 * sessions without one are anonymous and never counted as users. A user's first seen is the
 * start of their first session, all time.
 */

import type { Fragment } from "@effect/sql/Statement"
import { ClickhouseClient } from "@effect/sql-clickhouse/ClickhouseClient"
import { AnalyticsQueryRejected } from "@yavio/domain"
import { revenuePerCurrencySql } from "@yavio/storage"
import { Context, Effect, Layer, Schema } from "effect"
import type { AnalyticsFilter, TraitCondition } from "./AnalyticsFilter.js"
import { type AnalyticsQueryError, runRows } from "./AnalyticsQuery.js"
import type { Page, Paging } from "./Paging.js"
import { bucketOf, instant, type ProjectScope } from "./ProjectScope.js"
import { sessionActivity } from "./SessionActivity.js"
import { traitUsers } from "./UserTraits.js"

export interface UserKpis {
  /** Identified users with an event in range. */
  readonly activeUsers: number
  /** Of those, first seen in range. */
  readonly newUsers: number
  /** Of those, first seen before the range. */
  readonly returningUsers: number
}

export interface ActivePoint {
  /** The day, YYYY-MM-DD in the filter's time zone. */
  readonly day: string
  readonly dau: number
  /** Distinct users over the 7 days ending on this day. */
  readonly wau: number
  /** Distinct users over the 30 days ending on this day. */
  readonly mau: number
}

export const RETENTION_PERIODS = ["day", "week", "month"] as const
export type RetentionPeriod = (typeof RETENTION_PERIODS)[number]

export interface Cohort {
  /** First day of the cohort's period, YYYY-MM-DD. */
  readonly period: string
  readonly users: number
  /** Share of the cohort active in period N + k; index 0 is 1. */
  readonly retention: ReadonlyArray<number>
}

export interface NewVsReturningPoint {
  readonly bucket: string
  readonly newUsers: number
  readonly returningUsers: number
}

export interface UserRow {
  readonly userId: string
  readonly sessions: number
  readonly toolCalls: number
  readonly conversions: number
  readonly revenue: Readonly<Record<string, number>>
  readonly firstSeen: string
  readonly lastSeen: string
}

export interface StickinessBucket {
  /** Distinct active days in the period (1–7 per week, 1–31 per month). */
  readonly days: number
  /** User-periods with that many active days. */
  readonly users: number
}

export interface UserDetail {
  readonly userId: string
  readonly traits: Readonly<Record<string, unknown>> | null
  readonly firstSeen: string
  readonly lastSeen: string
  readonly lastPlatform: string | null
  readonly lastCountry: string | null
  readonly sessions: number
  readonly toolCalls: number
  readonly conversions: number
  readonly revenue: Readonly<Record<string, number>>
  /** The user's sessions, newest first, each with its events in order (stitched). */
  readonly timeline: ReadonlyArray<{
    readonly sessionId: string
    readonly events: ReadonlyArray<{
      readonly timestamp: string
      readonly eventType: string
      readonly eventName: string | null
      readonly traceId: string | null
      readonly status: string | null
    }>
  }>
}

/** Events of a user's timeline at most (our decision). */
export const USER_TIMELINE_EVENTS = 500

export const USER_SORTS = ["lastSeen", "firstSeen", "sessions", "toolCalls", "conversions", "userId"] as const
export type UserSort = (typeof USER_SORTS)[number]

const num = Schema.Number
const iso = (ms: number): string => new Date(ms).toISOString()

export const decodeRetentionPeriod = (
  value: string | undefined,
): Effect.Effect<RetentionPeriod, AnalyticsQueryRejected> =>
  value === undefined || (RETENTION_PERIODS as ReadonlyArray<string>).includes(value)
    ? Effect.succeed((value ?? "week") as RetentionPeriod)
    : Effect.fail(
        new AnalyticsQueryRejected({
          detail: `period must be one of ${RETENTION_PERIODS.join(", ")}; got ${JSON.stringify(value)}`,
        }),
      )

const make = Effect.gen(function* () {
  const ch = yield* ClickhouseClient

  /**
   * Every identified session of the project, all time: its user, its start and `session_key`
   * (`cityHash64(session_id)`, the activity rollups' key). FINAL merges a session's partial
   * rows the way GROUP BY session_id did (argMax states, min start) but only where parts
   * overlap: on the 10M bench store 40 ms instead of 150–180 ms.
   */
  const userSessions = (scope: ProjectScope, traits: ReadonlyArray<TraitCondition> = []): Fragment =>
    ch`(SELECT session_id, cityHash64(session_id) AS session_key, user, session_start FROM (
         SELECT session_id, finalizeAggregation(user_id_state) AS user, session_start_min AS session_start
         FROM sessions_mv FINAL
         WHERE workspace_id = ${scope.workspaceId} AND project_id = ${scope.projectId})
       WHERE user IS NOT NULL${traits.length === 0 ? ch`` : ch` AND user IN ${traitUsers(ch, scope, traits)}`})`

  /** First seen per user: the start of their first session. */
  const firstSeen = (scope: ProjectScope): Fragment =>
    ch`(SELECT user, min(session_start) AS first_seen FROM ${userSessions(scope)} GROUP BY user)`

  /**
   * (user, timestamp) of the stitched activity in `[from, to)` under the filter: one row per
   * session and 15-minute bucket it was active in (`session_activity`; the range's edges from
   * events), the timestamp being the bucket's start. Every consumer asks which users were
   * active in which hour, day, week or month, and a bucket never straddles those in any time
   * zone, so this is exact, and far fewer rows than the events (no FINAL either: activity is
   * a max).
   */
  const userEvents = (
    scope: ProjectScope,
    filter: AnalyticsFilter,
    range: { from: Date; to: Date } = filter,
  ) =>
    ch`(SELECT s.user AS user, a.at AS timestamp
        FROM (SELECT DISTINCT session_key, at FROM ${sessionActivity(ch, scope, filter, [{ ...range, cur: 1 }])}) AS a
        INNER JOIN (SELECT session_key, user FROM ${userSessions(scope, filter.traits)}) AS s
          ON s.session_key = a.session_key)`

  const kpis = (scope: ProjectScope, filter: AnalyticsFilter): Effect.Effect<UserKpis, AnalyticsQueryError> =>
    runRows(
      "users.kpis",
      Schema.Struct({ active: num, new_users: num }),
      ch`SELECT toFloat64(count()) AS active, toFloat64(countIf(f.first_seen >= ${instant(ch, filter.from)})) AS new_users
         FROM (SELECT DISTINCT user FROM ${userEvents(scope, filter)}) AS a
         INNER JOIN ${firstSeen(scope)} AS f ON f.user = a.user`,
    ).pipe(
      Effect.map((rows) => {
        const active = rows[0]?.active ?? 0
        const newUsers = rows[0]?.new_users ?? 0
        return { activeUsers: active, newUsers, returningUsers: active - newUsers }
      }),
    )

  /** DAU, and WAU/MAU as trailing 7- and 30-day distinct counts ending on each day (§3.5). */
  const activeUsers = (
    scope: ProjectScope,
    filter: AnalyticsFilter,
  ): Effect.Effect<ReadonlyArray<ActivePoint>, AnalyticsQueryError> => {
    const tz = ch.param("String", filter.tz)
    const lookback = { from: new Date(filter.from.getTime() - 30 * 24 * 60 * 60 * 1000), to: filter.to }
    return runRows(
      "users.active",
      Schema.Struct({ day: Schema.String, dau: num, wau: num, mau: num }),
      ch`SELECT toString(target) AS day,
               toFloat64(uniqExactIf(user, target = active_day)) AS dau,
               toFloat64(uniqExactIf(user, dateDiff('day', active_day, target) < 7)) AS wau,
               toFloat64(uniqExact(user)) AS mau
         FROM (
           SELECT user, active_day, arrayJoin(arrayMap(k -> active_day + k, range(30))) AS target
           FROM (SELECT DISTINCT user, toDate(timestamp, ${tz}) AS active_day FROM ${userEvents(scope, filter, lookback)})
         )
         WHERE target >= toDate(${instant(ch, filter.from)}, ${tz})
           AND target <= toDate(${instant(ch, new Date(filter.to.getTime() - 1))}, ${tz})
         GROUP BY target
         ORDER BY target`,
    )
  }

  /**
   * Cohorts by first-seen period inside the range; cell k = share active in period N + k. One
   * pass over the sessions: every session of the project gives its user's first seen (all
   * time), the ones active in range (LEFT JOIN the activity) give the periods.
   */
  const retention = (
    scope: ProjectScope,
    filter: AnalyticsFilter,
    period: RetentionPeriod,
  ): Effect.Effect<ReadonlyArray<Cohort>, AnalyticsQueryError> => {
    const tz = ch.param("String", filter.tz)
    const periodOf = (column: string) => {
      const c = ch.literal(column)
      switch (period) {
        case "day":
          return ch`toDate(${c}, ${tz})`
        case "week":
          return ch`toMonday(${c}, ${tz})`
        case "month":
          return ch`toStartOfMonth(${c}, ${tz})`
      }
    }
    return runRows(
      "users.retention",
      Schema.Struct({ period: Schema.String, users: num, active: Schema.Array(num) }),
      ch`SELECT toString(cohort) AS period,
               toFloat64(if(has(ks, 0), ns[indexOf(ks, 0)], 0)) AS users,
               arrayMap(i -> toFloat64(if(has(ks, i), ns[indexOf(ks, i)], 0)), range(toUInt64(arrayMax(ks) + 1))) AS active
         FROM (
         SELECT cohort, groupArray(k) AS ks, groupArray(n) AS ns
         FROM (
         SELECT cohort, k, uniqExact(user) AS n
         FROM (
           SELECT user, ${periodOf("first_seen")} AS cohort,
                  toUInt64(dateDiff(${ch.literal(`'${period}'`)}, cohort, arrayJoin(periods))) AS k
           FROM (
             SELECT s.user AS user, min(s.session_start) AS first_seen,
                    groupUniqArrayIf(a.active, a.matched = 1) AS periods
             FROM ${userSessions(scope, filter.traits)} AS s
             LEFT JOIN (
               SELECT DISTINCT session_key, ${periodOf("at")} AS active, toUInt8(1) AS matched
               FROM ${sessionActivity(ch, scope, filter, [{ from: filter.from, to: filter.to, cur: 1 }])}
             ) AS a ON a.session_key = s.session_key
             GROUP BY user
             HAVING first_seen >= ${instant(ch, filter.from)} AND first_seen < ${instant(ch, filter.to)}
           )
         )
         GROUP BY cohort, k
         )
         GROUP BY cohort
         )
         ORDER BY cohort`,
    ).pipe(
      Effect.map((rows) =>
        rows.map((row) => ({
          period: row.period,
          users: row.users,
          retention: row.active.map((active) => (row.users === 0 ? 0 : active / row.users)),
        })),
      ),
    )
  }

  const newVsReturning = (
    scope: ProjectScope,
    filter: AnalyticsFilter,
  ): Effect.Effect<ReadonlyArray<NewVsReturningPoint>, AnalyticsQueryError> =>
    runRows(
      "users.newVsReturning",
      Schema.Struct({ bucket_ms: num, new_users: num, returning_users: num }),
      ch`SELECT toFloat64(toUnixTimestamp64Milli(toDateTime64(bucket, 3))) AS bucket_ms,
               toFloat64(uniqExactIf(user, first_seen >= bucket)) AS new_users,
               toFloat64(uniqExactIf(user, first_seen < bucket)) AS returning_users
         FROM (
           SELECT e.user AS user, ${bucketOf(ch, filter)} AS bucket, f.first_seen AS first_seen
           FROM (SELECT user, timestamp FROM ${userEvents(scope, filter)}) AS e
           INNER JOIN ${firstSeen(scope)} AS f ON f.user = e.user
         )
         GROUP BY bucket
         ORDER BY bucket`,
    ).pipe(
      Effect.map((rows) =>
        rows.map((row) => ({
          bucket: iso(row.bucket_ms),
          newUsers: row.new_users,
          returningUsers: row.returning_users,
        })),
      ),
    )

  /** Identified users active in range, with their all-time totals (`users_mv`). */
  const list = (
    scope: ProjectScope,
    filter: AnalyticsFilter,
    paging: Paging<UserSort>,
  ): Effect.Effect<Page<UserRow>, AnalyticsQueryError> => {
    const sortColumn = {
      lastSeen: "last_seen_ms",
      firstSeen: "first_seen_ms",
      sessions: "sessions",
      toolCalls: "tool_calls",
      conversions: "conversions",
      userId: "user_id",
    }[paging.sort]
    return runRows(
      "users.list",
      Schema.Struct({
        user_id: Schema.String,
        sessions: num,
        tool_calls: num,
        conversions: num,
        revenue: Schema.Record({ key: Schema.String, value: num }),
        first_seen_ms: num,
        last_seen_ms: num,
        total: num,
      }),
      ch`SELECT u.user_id AS user_id, u.sessions, u.tool_calls, u.conversions, u.revenue,
               toFloat64(toUnixTimestamp64Milli(f.first_seen)) AS first_seen_ms, u.last_seen_ms,
               toFloat64(count() OVER ()) AS total
         FROM (
           SELECT user_id,
                  toFloat64(uniqMerge(total_sessions_state)) AS sessions,
                  toFloat64(uniqIfMerge(total_tool_calls_state)) AS tool_calls,
                  toFloat64(uniqIfMerge(total_conversions_state)) AS conversions,
                  ${ch.literal(revenuePerCurrencySql("revenue_state"))} AS revenue,
                  toFloat64(toUnixTimestamp64Milli(max(last_seen_max))) AS last_seen_ms
           FROM users_mv
           WHERE workspace_id = ${scope.workspaceId} AND project_id = ${scope.projectId}
             AND user_id IN (SELECT user FROM ${userEvents(scope, filter)})
           GROUP BY user_id
         ) AS u
         INNER JOIN ${firstSeen(scope)} AS f ON f.user = u.user_id
         ORDER BY ${ch.literal(sortColumn)} ${ch.literal(paging.order === "asc" ? "ASC" : "DESC")}, user_id
         LIMIT ${ch.param("UInt32", paging.pageSize)} OFFSET ${ch.param("UInt32", paging.offset)}`,
    ).pipe(
      Effect.flatMap((rows) =>
        rows.length > 0 || paging.page === 1
          ? Effect.succeed({ rows, total: rows[0]?.total ?? 0 })
          : Effect.map(kpis(scope, filter), (k) => ({ rows, total: k.activeUsers })),
      ),
      Effect.map(({ rows, total }) => ({
        rows: rows.map((row) => ({
          userId: row.user_id,
          sessions: row.sessions,
          toolCalls: row.tool_calls,
          conversions: row.conversions,
          revenue: row.revenue,
          firstSeen: iso(row.first_seen_ms),
          lastSeen: iso(row.last_seen_ms),
        })),
        total,
        page: paging.page,
        pageSize: paging.pageSize,
      })),
    )
  }

  /** Distinct active days per user and week (or month), as a distribution (§3.5). */
  const stickiness = (
    scope: ProjectScope,
    filter: AnalyticsFilter,
    per: "week" | "month",
  ): Effect.Effect<ReadonlyArray<StickinessBucket>, AnalyticsQueryError> => {
    const tz = ch.param("String", filter.tz)
    const period = per === "week" ? ch`toMonday(timestamp, ${tz})` : ch`toStartOfMonth(timestamp, ${tz})`
    return runRows(
      "users.stickiness",
      Schema.Struct({ days: num, users: num }),
      ch`SELECT toFloat64(days) AS days, toFloat64(count()) AS users
         FROM (SELECT user, ${period} AS period, uniqExact(toDate(timestamp, ${tz})) AS days
               FROM ${userEvents(scope, filter)} GROUP BY user, period)
         GROUP BY days ORDER BY days`,
    )
  }

  /** One user's header (latest traits, totals) and their stitched timeline, newest session first. */
  const detail = (
    scope: ProjectScope,
    userId: string,
  ): Effect.Effect<UserDetail | undefined, AnalyticsQueryError> =>
    Effect.all(
      [
        runRows(
          "users.detail",
          Schema.Struct({
            traits: Schema.NullOr(Schema.String),
            last_platform: Schema.NullOr(Schema.String),
            last_country: Schema.NullOr(Schema.String),
            sessions: num,
            tool_calls: num,
            conversions: num,
            revenue: Schema.Record({ key: Schema.String, value: num }),
            first_seen_ms: num,
            last_seen_ms: num,
          }),
          ch`SELECT argMaxMerge(latest_traits_state) AS traits,
                    argMaxMerge(last_platform_state) AS last_platform,
                    argMaxMerge(last_country_state) AS last_country,
                    toFloat64(uniqMerge(total_sessions_state)) AS sessions,
                    toFloat64(uniqIfMerge(total_tool_calls_state)) AS tool_calls,
                    toFloat64(uniqIfMerge(total_conversions_state)) AS conversions,
                    ${ch.literal(revenuePerCurrencySql("revenue_state"))} AS revenue,
                    (SELECT toFloat64(toUnixTimestamp64Milli(min(session_start))) FROM ${userSessions(scope)} WHERE user = ${userId}) AS first_seen_ms,
                    toFloat64(toUnixTimestamp64Milli(max(last_seen_max))) AS last_seen_ms
             FROM users_mv
             WHERE workspace_id = ${scope.workspaceId} AND project_id = ${scope.projectId} AND user_id = ${userId}
             GROUP BY user_id`,
        ),
        runRows(
          "users.timeline",
          Schema.Struct({
            session_id: Schema.String,
            ts_ms: num,
            event_type: Schema.String,
            event_name: Schema.NullOr(Schema.String),
            trace_id: Schema.NullOr(Schema.String),
            status: Schema.NullOr(Schema.String),
          }),
          ch`SELECT session_id, toFloat64(toUnixTimestamp64Milli(timestamp)) AS ts_ms, toString(event_type) AS event_type,
                    event_name, trace_id, toNullable(toString(status)) AS status
             FROM events FINAL
             WHERE workspace_id = ${scope.workspaceId} AND project_id = ${scope.projectId}
               AND session_id IN (SELECT session_id FROM ${userSessions(scope)} WHERE user = ${userId})
             ORDER BY max(timestamp) OVER (PARTITION BY session_id) DESC, session_id, timestamp, ifNull(step_sequence, 0)
             LIMIT ${ch.literal(String(USER_TIMELINE_EVENTS))}`,
        ),
      ],
      { concurrency: "unbounded" },
    ).pipe(
      Effect.map(([headers, events]) => {
        const header = headers[0]
        if (header === undefined) return undefined
        let traits: Readonly<Record<string, unknown>> | null = null
        try {
          traits = header.traits === null ? null : (JSON.parse(header.traits) as Record<string, unknown>)
        } catch {
          traits = null
        }
        const sessions: Array<{
          sessionId: string
          events: Array<UserDetail["timeline"][number]["events"][number]>
        }> = []
        for (const row of events) {
          let current = sessions.at(-1)
          if (current?.sessionId !== row.session_id) {
            current = { sessionId: row.session_id, events: [] }
            sessions.push(current)
          }
          current.events.push({
            timestamp: iso(row.ts_ms),
            eventType: row.event_type,
            eventName: row.event_name,
            traceId: row.trace_id,
            status: row.status,
          })
        }
        return {
          userId,
          traits,
          firstSeen: iso(header.first_seen_ms),
          lastSeen: iso(header.last_seen_ms),
          lastPlatform: header.last_platform,
          lastCountry: header.last_country,
          sessions: header.sessions,
          toolCalls: header.tool_calls,
          conversions: header.conversions,
          revenue: header.revenue,
          timeline: sessions,
        }
      }),
    )

  return { kpis, activeUsers, retention, newVsReturning, list, stickiness, detail } as const
})

export class Users extends Context.Tag("@yavio/analytics/Users")<
  Users,
  Effect.Effect.Success<typeof make>
>() {
  static readonly layer: Layer.Layer<Users, never, ClickhouseClient> = Layer.effect(this, make)
}
