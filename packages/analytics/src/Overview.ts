/**
 * The Overview view (dashboard.md §3.2): twelve KPIs with their trend against the previous
 * window of equal length, invocations over time, the platform breakdown and the top tools.
 * Everything is aggregated in ClickHouse over the tenant-scoped rollups: counts and sums of tool
 * calls and conversions over `BucketTotals` (closed buckets' deduplicated totals while they
 * hold, `counted_events_by_bucket FINAL` for the rest), session KPIs over `session_buckets` (or
 * `session_activity` under a source filter), time to first interaction over
 * `counted_events_by_bucket` without FINAL (first times only). All exact.
 */

import { ClickhouseClient } from "@effect/sql-clickhouse/ClickhouseClient"
import { Context, Effect, Layer, Schema } from "effect"
import { type AnalyticsFilter, previousWindow } from "./AnalyticsFilter.js"
import { type AnalyticsQueryError, finiteOrNull, ratio, runRows } from "./AnalyticsQuery.js"
import { BucketTotals, type TotalsPlan } from "./BucketTotals.js"
import { bucketOf, type ProjectScope, type TimeWindow } from "./ProjectScope.js"
import {
  FLAG_CONVERTED,
  FLAG_ENGAGED,
  FLAG_IDENTIFIED,
  FLAG_RENDERED,
  NO_TOOL_CALL_MS,
  sessionActivity,
} from "./SessionActivity.js"
import { NEVER_MS, traceActivity } from "./TraceActivity.js"

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
const CallRow = Schema.Struct({ cur: num, invocations: num, errors: num, avg_latency: Schema.NullOr(num) })
const ConversionRow = Schema.Struct({ cur: num, currency: Schema.String, conversions: num, revenue: num })
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
const ChartRow = Schema.Struct({
  chart: Schema.Literal("time", "platform", "tool", "total"),
  key: Schema.String,
  bucket_ms: num,
  count: num,
  errors: num,
  latency_sum: num,
  latency_count: num,
})

/** The Overview's charts (§3.2): invocations over time, by platform, the top tools. */
export interface OverviewCharts {
  readonly invocationsOverTime: ReadonlyArray<TimePoint>
  readonly platforms: ReadonlyArray<Share>
  readonly topTools: ReadonlyArray<Share>
}

/** The top tools chart's length (§3.2, our decision: ten). */
export const TOP_TOOLS = 10

/** A KPI and its relative change against the previous window (`null` when that is 0 or unknown). */
export const kpi = (value: number | null, previous: number | null): Kpi => ({
  value,
  previous,
  change: value === null || previous === null || previous === 0 ? null : (value - previous) / previous,
})

const make = Effect.gen(function* () {
  const ch = yield* ClickhouseClient
  const totals = yield* BucketTotals

  /** The selected window (`cur` 1) and the previous one of equal length (`cur` 0). */
  const bothWindows = (filter: AnalyticsFilter) =>
    [
      { from: previousWindow(filter).from, to: filter.from, cur: 0 },
      { from: filter.from, to: filter.to, cur: 1 },
    ] as const

  /** Tool-call KPIs per window: invocations, errors, mean latency. */
  const calls = (
    scope: ProjectScope,
    filter: AnalyticsFilter,
    windows: ReadonlyArray<TimeWindow>,
    totalsPlan: TotalsPlan,
  ): Effect.Effect<ReadonlyArray<typeof CallRow.Type>, AnalyticsQueryError> =>
    runRows(
      "overview.calls",
      CallRow,
      ch`SELECT
           cur,
           toFloat64(sum(events)) AS invocations,
           toFloat64(sum(errors)) AS errors,
           if(sum(latency_count) = 0, NULL, sum(latency_sum) / sum(latency_count)) AS avg_latency
         FROM ${totals.rows(scope, filter, windows, "tool_call", totalsPlan)}
         GROUP BY cur`,
    )

  /** Conversions and revenue per window: a few rows per window, one per currency ('' for none), no FX (§3.2 #6). */
  const conversions = (
    scope: ProjectScope,
    filter: AnalyticsFilter,
    totalsPlan: TotalsPlan,
  ): Effect.Effect<ReadonlyArray<typeof ConversionRow.Type>, AnalyticsQueryError> =>
    runRows(
      "overview.conversions",
      ConversionRow,
      ch`SELECT
           cur,
           currency,
           toFloat64(sum(events)) AS conversions,
           toFloat64(sum(value_sum)) AS revenue
         FROM ${totals.rows(scope, filter, bothWindows(filter), "conversion", totalsPlan)}
         GROUP BY cur, currency`,
    )

  /** Per window (`cur` 0 and 1), the session KPIs: counts by flag, duration, time to first tool call. */
  const sessionRows = (
    scope: ProjectScope,
    filter: AnalyticsFilter,
  ): Effect.Effect<ReadonlyArray<typeof SessionRow.Type>, AnalyticsQueryError> => {
    const noToolCall = ch.literal(String(NO_TOOL_CALL_MS))
    const activity = sessionActivity(ch, scope, filter, bothWindows(filter), { perBucket: false })
    return runRows(
      "overview.sessions",
      SessionRow,
      // Per session: the activity rows merged (min, max and bit-or: resent events count once).
      // Keyed by one UInt64, the window flag in the low bit of the session hash (63 bits of
      // it stay: a collision needs two sessions agreeing in those), not by (cur, session):
      // 80 against 98 ms on 10M events.
      ch`SELECT
           toUInt8(bitAnd(key, 1)) AS cur,
           toFloat64(count()) AS sessions,
           toFloat64(countIf(bitAnd(flags, ${ch.literal(String(FLAG_CONVERTED))}) != 0)) AS converted_sessions,
           toFloat64(countIf(bitAnd(flags, ${ch.literal(String(FLAG_RENDERED))}) != 0)) AS rendered_sessions,
           toFloat64(countIf(bitAnd(flags, ${ch.literal(String(FLAG_RENDERED | FLAG_ENGAGED))}) = ${ch.literal(String(FLAG_RENDERED | FLAG_ENGAGED))})) AS engaged_sessions,
           toFloat64(countIf(bitAnd(flags, ${ch.literal(String(FLAG_IDENTIFIED))}) != 0)) AS identified_sessions,
           avg(end_ms - start_ms) AS avg_duration,
           if(countIf(first_tool_ms != ${noToolCall}) = 0, NULL,
              quantileExactInclusiveIf(0.5)(first_tool_ms - start_ms, first_tool_ms != ${noToolCall})) AS median_ttftc
         FROM (
           SELECT
             bitOr(bitShiftLeft(session_key, 1), cur) AS key,
             groupBitOr(flags) AS flags,
             toUnixTimestamp64Milli(min(first_at)) AS start_ms,
             toUnixTimestamp64Milli(max(last_at)) AS end_ms,
             toUnixTimestamp64Milli(min(first_tool_call_at)) AS first_tool_ms
           FROM ${activity}
           GROUP BY key
         )
         GROUP BY cur
         -- The engine sizes a hash table from the last run's statistics by default; for
         -- this one (a row per session) that preallocation cost more page faults than it
         -- saved: 96-124 against 148-171 ms on 10M events, after the page's other queries.
         SETTINGS collect_hash_table_stats_during_aggregation = 0`,
    )
  }

  /**
   * The share of sessions with a user (§3.5's identified-session KPI, with its trend) without the
   * rest of the page: the Users view shows it beside its own KPIs.
   */
  const identifiedShare = (
    scope: ProjectScope,
    filter: AnalyticsFilter,
  ): Effect.Effect<Kpi, AnalyticsQueryError> =>
    Effect.map(sessionRows(scope, filter), (rows) => {
      const share = (cur: 0 | 1) => {
        const row = rows.find((r) => r.cur === cur)
        return ratio(row?.identified_sessions ?? 0, row?.sessions ?? 0)
      }
      return kpi(share(1), share(0))
    }).pipe(Effect.withSpan("Overview.identifiedShare"))

  /** The twelve KPIs, the tool-call and conversion ones (`cur` 0 and 1) from the given rows. */
  const kpisWith = (
    scope: ProjectScope,
    filter: AnalyticsFilter,
    callRowsOf: Effect.Effect<ReadonlyArray<typeof CallRow.Type>, AnalyticsQueryError>,
    conversionRowsOf: Effect.Effect<ReadonlyArray<typeof ConversionRow.Type>, AnalyticsQueryError>,
  ): Effect.Effect<OverviewKpis, AnalyticsQueryError> =>
    Effect.gen(function* () {
      const windows = bothWindows(filter)
      const never = ch.literal(String(NEVER_MS))
      const [callRows, conversionRows, sessionStats, traceRows] = yield* Effect.all(
        [
          callRowsOf,
          conversionRowsOf,
          sessionRows(scope, filter),
          runRows(
            "overview.traces",
            TraceRow,
            // Time to first interaction per trace: its first click after its first render (§3.2 #9;
            // a trace whose first click came before its first render, which a real widget cannot
            // send, is left out). Per window, traces by `trace_key` (a fixed-width hash groups
            // much faster than the id). First times only: a resent event changes nothing.
            ch`SELECT cur, if(count() = 0, NULL, quantileExactInclusive(0.5)(click_ms - render_ms)) AS median_ttfi
               FROM (
                 SELECT
                   cur,
                   trace_key,
                   toFloat64(toUnixTimestamp64Milli(min(first_render_at))) AS render_ms,
                   toFloat64(toUnixTimestamp64Milli(min(first_click_at))) AS click_ms
                 FROM ${traceActivity(ch, scope, filter, windows)}
                 GROUP BY cur, trace_key
                 HAVING render_ms != ${never} AND click_ms != ${never} AND click_ms >= render_ms
               )
               GROUP BY cur`,
          ),
        ],
        { concurrency: "unbounded" },
      )
      const pick = <R extends { readonly cur: number }>(rows: ReadonlyArray<R>, cur: 0 | 1) =>
        rows.find((row) => row.cur === cur)
      const sides = ([1, 0] as const).map((cur) => {
        const c = pick(callRows, cur)
        const s = pick(sessionStats, cur)
        const t = pick(traceRows, cur)
        const conversions = conversionRows.filter((row) => row.cur === cur)
        const invocations = c?.invocations ?? 0
        const sessions = s?.sessions ?? 0
        return {
          invocations,
          sessions,
          errorRate: ratio(c?.errors ?? 0, invocations),
          avgLatencyMs: finiteOrNull(c?.avg_latency),
          conversions: conversions.reduce((sum, row) => sum + row.conversions, 0),
          revenue: Object.fromEntries(conversions.map((row) => [row.currency, row.revenue])),
          currencies: Object.fromEntries(conversions.map((row) => [row.currency, row.conversions])),
          sessionConversionRate: ratio(s?.converted_sessions ?? 0, sessions),
          widgetEngagementRate: ratio(s?.engaged_sessions ?? 0, s?.rendered_sessions ?? 0),
          medianTimeToFirstInteractionMs: finiteOrNull(t?.median_ttfi),
          medianTimeToFirstToolCallMs: finiteOrNull(s?.median_ttftc),
          avgSessionDurationMs: sessions === 0 ? null : finiteOrNull(s?.avg_duration),
          identifiedSessionShare: ratio(s?.identified_sessions ?? 0, sessions),
        }
      })
      const [now, before] = sides as [(typeof sides)[0], (typeof sides)[0]]
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

  const kpis = (
    scope: ProjectScope,
    filter: AnalyticsFilter,
  ): Effect.Effect<OverviewKpis, AnalyticsQueryError> =>
    Effect.flatMap(totals.plan(scope, bothWindows(filter)), (totalsPlan) =>
      kpisWith(
        scope,
        filter,
        calls(scope, filter, bothWindows(filter), totalsPlan),
        conversions(scope, filter, totalsPlan),
      ),
    )

  /**
   * The three charts from one scan of the window's tool calls (GROUPING SETS: one aggregation per
   * chart, each keyed by a single column): per 15-minute bucket, converted afterwards to the
   * filter's granularity in its time zone (a 15-minute bucket lies within one hour, day, week or
   * month of every zone); per platform (`unknown` for none); per tool, the ten most invoked.
   * The empty set adds the window's totals (invocations, errors, latency sum and count), which
   * `page` takes for the selected window's tool-call KPIs instead of scanning the calls again.
   * Sums of deduplicated totals: a resent call counts once.
   */
  const chartRows = (scope: ProjectScope, filter: AnalyticsFilter, totalsPlan: TotalsPlan) =>
    runRows(
      "overview.charts",
      ChartRow,
      ch`SELECT chart, key, bucket_ms, count, errors, latency_sum, latency_count
         FROM (
           SELECT chart, key, bucket_ms, toFloat64(sum(n)) AS count, toFloat64(sum(e)) AS errors,
                  sum(ls) AS latency_sum, toFloat64(sum(ln)) AS latency_count,
                  row_number() OVER (PARTITION BY chart ORDER BY sum(n) DESC, key) AS rank
           FROM (
             SELECT
               multiIf(grouping(bucket, platform, event_name) = 3, 'time',
                       grouping(bucket, platform, event_name) = 5, 'platform',
                       grouping(bucket, platform, event_name) = 6, 'tool', 'total') AS chart,
               multiIf(chart = 'platform', toString(platform),
                       chart = 'tool', toString(ifNull(event_name, '')), '') AS key,
               if(chart = 'time', toFloat64(toUnixTimestamp64Milli(toDateTime64(${bucketOf(ch, filter, "bucket")}, 3))), 0)
                 AS bucket_ms,
               sum(events) AS n,
               sum(errors) AS e,
               sum(latency_sum) AS ls,
               sum(latency_count) AS ln
             FROM ${totals.rows(scope, filter, [{ from: filter.from, to: filter.to, cur: 1 }], "tool_call", totalsPlan)}
             GROUP BY GROUPING SETS ((bucket), (platform), (event_name), ())
           )
           GROUP BY chart, key, bucket_ms
         )
         WHERE chart != 'tool' OR rank <= ${ch.literal(String(TOP_TOOLS))}
         ORDER BY chart, bucket_ms, count DESC, key`,
    )

  const shapeCharts = (rows: ReadonlyArray<typeof ChartRow.Type>): OverviewCharts => {
    const of = (chart: (typeof rows)[number]["chart"]) => rows.filter((row) => row.chart === chart)
    return {
      invocationsOverTime: of("time").map((row) => ({
        bucket: new Date(row.bucket_ms).toISOString(),
        count: row.count,
      })),
      platforms: of("platform").map(({ key, count }) => ({ key, count })),
      topTools: of("tool").map(({ key, count }) => ({ key, count })),
    }
  }

  const charts = (
    scope: ProjectScope,
    filter: AnalyticsFilter,
  ): Effect.Effect<OverviewCharts, AnalyticsQueryError> =>
    Effect.flatMap(totals.plan(scope, [{ from: filter.from, to: filter.to, cur: 1 }]), (totalsPlan) =>
      chartRows(scope, filter, totalsPlan),
    ).pipe(Effect.map(shapeCharts), Effect.withSpan("Overview.charts"))

  /**
   * The whole Overview page, its queries concurrently: the session and interaction queries at
   * once, the counted ones after the one plan saying which buckets' totals hold. The charts'
   * scan also gives the selected window's tool-call KPIs (its totals row), so only the previous
   * window's calls are read for them. Buckets the plan found stale are refilled afterwards, in
   * the background, so the next view reads them from their totals.
   */
  const page = (
    scope: ProjectScope,
    filter: AnalyticsFilter,
  ): Effect.Effect<OverviewCharts & { readonly kpis: OverviewKpis }, AnalyticsQueryError> =>
    Effect.gen(function* () {
      const planOnce = yield* Effect.cached(totals.plan(scope, bothWindows(filter)))
      const rowsOnce = yield* Effect.cached(Effect.flatMap(planOnce, (p) => chartRows(scope, filter, p)))
      const previous = [{ from: previousWindow(filter).from, to: filter.from, cur: 0 }] as const
      const callRows = Effect.all(
        [Effect.flatMap(planOnce, (p) => calls(scope, filter, previous, p)), rowsOnce],
        {
          concurrency: "unbounded",
        },
      ).pipe(
        Effect.map(([before, rows]) => {
          const total = rows.find((row) => row.chart === "total")
          return [
            ...before,
            {
              cur: 1,
              invocations: total?.count ?? 0,
              errors: total?.errors ?? 0,
              avg_latency:
                total === undefined || total.latency_count === 0
                  ? null
                  : total.latency_sum / total.latency_count,
            },
          ]
        }),
      )
      const conversionRows = Effect.flatMap(planOnce, (p) => conversions(scope, filter, p))
      const [k, rows] = yield* Effect.all([kpisWith(scope, filter, callRows, conversionRows), rowsOnce], {
        concurrency: "unbounded",
      })
      yield* Effect.flatMap(planOnce, (p) => totals.fillInBackground(scope, p))
      return { kpis: k, ...shapeCharts(rows) }
    }).pipe(Effect.withSpan("Overview.page"))

  return { kpis, charts, page, identifiedShare } as const
})

export class Overview extends Context.Tag("@yavio/analytics/Overview")<
  Overview,
  Effect.Effect.Success<typeof make>
>() {
  /** With the `BucketTotals` it reads through (tests and benchmarks fill them with `refresh`). */
  static readonly layer: Layer.Layer<Overview | BucketTotals, never, ClickhouseClient> = Layer.effect(
    this,
    make,
  ).pipe(Layer.provideMerge(BucketTotals.layer))
}
