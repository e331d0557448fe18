/**
 * The Overview view (dashboard.md §3.2): twelve KPIs with their trend against the previous
 * window of equal length, invocations over time, the platform breakdown and the top tools.
 * Everything is aggregated in ClickHouse over the tenant-scoped events: counts and sums over
 * `counted_events` (deduplicated, narrow), session KPIs over the `session_activity` rollup, time
 * to first interaction over `counted_events` without FINAL (first times only). All exact.
 */

import { ClickhouseClient } from "@effect/sql-clickhouse/ClickhouseClient"
import { Context, Effect, Layer, Schema } from "effect"
import { type AnalyticsFilter, previousWindow } from "./AnalyticsFilter.js"
import { type AnalyticsQueryError, finiteOrNull, ratio, runRows } from "./AnalyticsQuery.js"
import { bucketOf, countedEvents, instant, type ProjectScope } from "./ProjectScope.js"
import { sessionActivity } from "./SessionActivity.js"

/** A KPI now and in the previous window; `change` is relative (0.1 = +10 %), `null` when undefined. */
export interface Kpi {
  readonly value: number | null
  readonly previous: number | null
  readonly change: number | null
}

export interface RevenueKpi extends Kpi {
  /** The most frequent currency of the window's conversions; `value` is in it. No FX (§3.2 #6). */
  readonly currency: string | null
  readonly byCurrency: Readonly<Record<string, number>>
}

export interface OverviewKpis {
  readonly invocations: Kpi
  readonly sessions: Kpi
  readonly errorRate: Kpi
  readonly avgLatencyMs: Kpi
  readonly conversions: Kpi
  readonly revenue: RevenueKpi
  readonly sessionConversionRate: Kpi
  readonly widgetEngagementRate: Kpi
  readonly medianTimeToFirstInteractionMs: Kpi
  readonly medianTimeToFirstToolCallMs: Kpi
  readonly avgSessionDurationMs: Kpi
  readonly identifiedSessionShare: Kpi
}

export interface TimePoint {
  /** Bucket start, ISO-8601 UTC. */
  readonly bucket: string
  readonly count: number
}

export interface Share {
  readonly key: string
  readonly count: number
}

const num = Schema.Number
const EventRow = Schema.Struct({
  cur: num,
  invocations: num,
  errors: num,
  avg_latency: Schema.NullOr(num),
  conversions: num,
  revenue: Schema.Record({ key: Schema.String, value: num }),
  conversion_currencies: Schema.Record({ key: Schema.String, value: num }),
})
const SessionRow = Schema.Struct({
  cur: num,
  sessions: num,
  converted_sessions: num,
  rendered_sessions: num,
  engaged_sessions: num,
  identified_sessions: num,
  avg_duration: Schema.NullOr(num),
  median_ttftc: Schema.NullOr(num),
})
const TraceRow = Schema.Struct({ cur: num, median_ttfi: Schema.NullOr(num) })
const PointRow = Schema.Struct({ bucket_ms: num, count: num })
const ShareRow = Schema.Struct({ key: Schema.String, count: num })

/** A KPI and its relative change against the previous window (`null` when that is 0 or unknown). */
export const kpi = (value: number | null, previous: number | null): Kpi => ({
  value,
  previous,
  change: value === null || previous === null || previous === 0 ? null : (value - previous) / previous,
})

const make = Effect.gen(function* () {
  const ch = yield* ClickhouseClient

  /** Counted events (tool calls, conversions) of the window and the previous one, `cur` = 1 in the window. */
  const bothWindows = (scope: ProjectScope, filter: AnalyticsFilter) => {
    const previous = previousWindow(filter)
    return ch`(SELECT *, toUInt8(timestamp >= ${instant(ch, filter.from)}) AS cur
      FROM ${countedEvents(ch, scope, filter, { from: previous.from, to: filter.to })}
      WHERE event_type IN ('tool_call', 'conversion'))`
  }

  const kpis = (
    scope: ProjectScope,
    filter: AnalyticsFilter,
  ): Effect.Effect<OverviewKpis, AnalyticsQueryError> =>
    Effect.gen(function* () {
      const previous = previousWindow(filter)
      const events = bothWindows(scope, filter)
      const activity = sessionActivity(ch, scope, filter, [
        { from: previous.from, to: filter.from, cur: 0 },
        { from: filter.from, to: filter.to, cur: 1 },
      ])
      const [eventRows, sessionRows, traceRows] = yield* Effect.all(
        [
          runRows(
            "overview.events",
            EventRow,
            ch`SELECT
                 cur,
                 toFloat64(countIf(event_type = 'tool_call')) AS invocations,
                 toFloat64(countIf(event_type = 'tool_call' AND status = 'error')) AS errors,
                 if(countIf(event_type = 'tool_call' AND latency_ms IS NOT NULL) = 0, NULL,
                    avgIf(latency_ms, event_type = 'tool_call' AND latency_ms IS NOT NULL)) AS avg_latency,
                 toFloat64(countIf(event_type = 'conversion')) AS conversions,
                 CAST(sumMapIf(map(ifNull(conversion_currency, ''), ifNull(conversion_value, 0)),
                      event_type = 'conversion'), 'Map(String, Float64)') AS revenue,
                 CAST(sumMapIf(map(ifNull(conversion_currency, ''), toFloat64(1)),
                      event_type = 'conversion'), 'Map(String, Float64)') AS conversion_currencies
               FROM ${events}
               GROUP BY cur`,
          ),
          runRows(
            "overview.sessions",
            SessionRow,
            // Per session: the activity rows merged (all min/max, so resent events count once).
            ch`SELECT
                 cur,
                 toFloat64(count()) AS sessions,
                 toFloat64(countIf(has_conversion = 1)) AS converted_sessions,
                 toFloat64(countIf(has_render = 1)) AS rendered_sessions,
                 toFloat64(countIf(has_render = 1 AND has_engagement = 1)) AS engaged_sessions,
                 toFloat64(countIf(has_user = 1)) AS identified_sessions,
                 avg(end_ms - start_ms) AS avg_duration,
                 if(countIf(first_tool_ms IS NOT NULL) = 0, NULL,
                    quantileExactInclusiveIf(0.5)(first_tool_ms - start_ms, first_tool_ms IS NOT NULL)) AS median_ttftc
               FROM (
                 SELECT
                   cur,
                   session_key,
                   max(converted) AS has_conversion,
                   max(rendered) AS has_render,
                   max(engaged) AS has_engagement,
                   max(identified) AS has_user,
                   toFloat64(toUnixTimestamp64Milli(min(first_at))) AS start_ms,
                   toFloat64(toUnixTimestamp64Milli(max(last_at))) AS end_ms,
                   toFloat64(toUnixTimestamp64Milli(min(first_tool_call_at))) AS first_tool_ms
                 FROM ${activity}
                 GROUP BY cur, session_key
               )
               GROUP BY cur`,
          ),
          runRows(
            "overview.traces",
            TraceRow,
            // Time to first interaction per trace: first click after the first render (§3.2 #9).
            // First times and "any click after": a resent event changes nothing, so no FINAL.
            // Traces by `trace_key`, a 64-bit hash of the id: fixed-width keys group much faster.
            ch`SELECT cur, if(count() = 0, NULL, quantileExactInclusive(0.5)(click_ms - render_ms)) AS median_ttfi
               FROM (
                 SELECT
                   toUInt8(timestamp >= ${instant(ch, filter.from)}) AS cur,
                   trace_key,
                   toFloat64(toUnixTimestamp64Milli(minIf(timestamp, event_type = 'widget_render'))) AS render_ms,
                   arrayMin(arrayFilter(t -> t >= render_ms,
                     groupArrayIf(toFloat64(toUnixTimestamp64Milli(timestamp)), event_type = 'widget_click'))) AS click_ms
                 FROM ${countedEvents(ch, scope, filter, { from: previous.from, to: filter.to }, false)}
                 WHERE trace_key != 0 AND event_type IN ('widget_render', 'widget_click')
                 GROUP BY cur, trace_key
                 HAVING countIf(event_type = 'widget_render') > 0
                   AND arrayExists(t -> t >= render_ms,
                     groupArrayIf(toFloat64(toUnixTimestamp64Milli(timestamp)), event_type = 'widget_click'))
               )
               GROUP BY cur`,
          ),
        ],
        { concurrency: "unbounded" },
      )
      const pick = <R extends { readonly cur: number }>(rows: ReadonlyArray<R>, cur: 0 | 1) =>
        rows.find((row) => row.cur === cur)
      const windows = ([1, 0] as const).map((cur) => {
        const e = pick(eventRows, cur)
        const s = pick(sessionRows, cur)
        const t = pick(traceRows, cur)
        const invocations = e?.invocations ?? 0
        const sessions = s?.sessions ?? 0
        return {
          invocations,
          sessions,
          errorRate: ratio(e?.errors ?? 0, invocations),
          avgLatencyMs: finiteOrNull(e?.avg_latency),
          conversions: e?.conversions ?? 0,
          revenue: e?.revenue ?? {},
          currencies: e?.conversion_currencies ?? {},
          sessionConversionRate: ratio(s?.converted_sessions ?? 0, sessions),
          widgetEngagementRate: ratio(s?.engaged_sessions ?? 0, s?.rendered_sessions ?? 0),
          medianTimeToFirstInteractionMs: finiteOrNull(t?.median_ttfi),
          medianTimeToFirstToolCallMs: finiteOrNull(s?.median_ttftc),
          avgSessionDurationMs: sessions === 0 ? null : finiteOrNull(s?.avg_duration),
          identifiedSessionShare: ratio(s?.identified_sessions ?? 0, sessions),
        }
      })
      const [now, before] = windows as [(typeof windows)[0], (typeof windows)[0]]
      // The card's currency: the one most conversions used (ties: alphabetical, for stability).
      const currency =
        Object.entries(now.currencies).sort(([a, x], [b, y]) => y - x || a.localeCompare(b))[0]?.[0] ?? null
      return {
        invocations: kpi(now.invocations, before.invocations),
        sessions: kpi(now.sessions, before.sessions),
        errorRate: kpi(now.errorRate, before.errorRate),
        avgLatencyMs: kpi(now.avgLatencyMs, before.avgLatencyMs),
        conversions: kpi(now.conversions, before.conversions),
        revenue: {
          ...kpi(
            currency === null ? null : (now.revenue[currency] ?? 0),
            currency === null ? null : (before.revenue[currency] ?? 0),
          ),
          currency,
          byCurrency: now.revenue,
        },
        sessionConversionRate: kpi(now.sessionConversionRate, before.sessionConversionRate),
        widgetEngagementRate: kpi(now.widgetEngagementRate, before.widgetEngagementRate),
        medianTimeToFirstInteractionMs: kpi(
          now.medianTimeToFirstInteractionMs,
          before.medianTimeToFirstInteractionMs,
        ),
        medianTimeToFirstToolCallMs: kpi(now.medianTimeToFirstToolCallMs, before.medianTimeToFirstToolCallMs),
        avgSessionDurationMs: kpi(now.avgSessionDurationMs, before.avgSessionDurationMs),
        identifiedSessionShare: kpi(now.identifiedSessionShare, before.identifiedSessionShare),
      }
    }).pipe(Effect.withSpan("Overview.kpis"))

  /** `tool_call` events per bucket of the filter's granularity, in its time zone. */
  const invocationsOverTime = (
    scope: ProjectScope,
    filter: AnalyticsFilter,
  ): Effect.Effect<ReadonlyArray<TimePoint>, AnalyticsQueryError> =>
    runRows(
      "overview.invocationsOverTime",
      PointRow,
      ch`SELECT toFloat64(toUnixTimestamp64Milli(toDateTime64(${bucketOf(ch, filter)}, 3))) AS bucket_ms,
               toFloat64(count()) AS count
         FROM ${countedEvents(ch, scope, filter)}
         WHERE event_type = 'tool_call'
         GROUP BY bucket_ms
         ORDER BY bucket_ms`,
    ).pipe(
      Effect.map((rows) =>
        rows.map((row) => ({ bucket: new Date(row.bucket_ms).toISOString(), count: row.count })),
      ),
    )

  /** `tool_call` events per platform (`unknown` for none). */
  const platformBreakdown = (
    scope: ProjectScope,
    filter: AnalyticsFilter,
  ): Effect.Effect<ReadonlyArray<Share>, AnalyticsQueryError> =>
    runRows(
      "overview.platforms",
      ShareRow,
      ch`SELECT toString(platform) AS key, toFloat64(count()) AS count
         FROM ${countedEvents(ch, scope, filter)}
         WHERE event_type = 'tool_call'
         GROUP BY key
         ORDER BY count DESC, key`,
    )

  /** The ten most invoked tools (§3.2, our decision: ten). */
  const topTools = (
    scope: ProjectScope,
    filter: AnalyticsFilter,
    limit = 10,
  ): Effect.Effect<ReadonlyArray<Share>, AnalyticsQueryError> =>
    runRows(
      "overview.topTools",
      ShareRow,
      ch`SELECT toString(ifNull(event_name, '')) AS key, toFloat64(count()) AS count
         FROM ${countedEvents(ch, scope, filter)}
         WHERE event_type = 'tool_call'
         GROUP BY key
         ORDER BY count DESC, key
         LIMIT ${ch.param("UInt32", limit)}`,
    )

  return { kpis, invocationsOverTime, platformBreakdown, topTools } as const
})

export class Overview extends Context.Tag("@yavio/analytics/Overview")<
  Overview,
  Effect.Effect.Success<typeof make>
>() {
  static readonly layer: Layer.Layer<Overview, never, ClickhouseClient> = Layer.effect(this, make)
}
