/**
 * Closed 15-minute buckets' deduplicated totals (storage migration 0009, `bucket_totals`): what
 * the Overview counts and sums about tool calls and conversions, per bucket, platform, source,
 * name and currency, so that a page reads a few thousand rows instead of every event of the
 * range (4.5M tool calls in a week of 10M events).
 *
 * Exact by construction, not by timing: before reading, `plan` compares each bucket's stored total
 * (newest fill per key; a deduplicated count, D then) with the bucket's stored rows now, duplicates
 * included (R now, `counted_events_by_bucket` without FINAL: no merge of overlapping parts).
 * Events are only ever added, so D then ≤ D now ≤ R now, and R now = D then means nothing was
 * added since: the fill holds. Otherwise (late or out-of-order arrivals, the still-open bucket,
 * a resent event not merged away yet) the bucket is read from the events instead, and the page
 * then refills it in the background. A range's first view reads everything from the events.
 */

import type { Fragment } from "@effect/sql/Statement"
import { ClickhouseClient } from "@effect/sql-clickhouse/ClickhouseClient"
import { Context, Effect, FiberSet, Layer, Schema } from "effect"
import type { AnalyticsFilter } from "./AnalyticsFilter.js"
import { type AnalyticsQueryError, runRows } from "./AnalyticsQuery.js"
import {
  BUCKET_MS,
  bucketParts,
  bucketsIn,
  countedParts,
  flagOf,
  type ProjectScope,
  rollupWhere,
  type TimeWindow,
} from "./ProjectScope.js"

/** The event types kept in `bucket_totals`. */
export type TotalsType = "tool_call" | "conversion"
const TYPES: ReadonlyArray<TotalsType> = ["tool_call", "conversion"]

/** Beyond this many runs of stale buckets a window reads one range of events (SQL stays small). */
const MAX_RUNS = 16

/** Which whole buckets of a page's windows hold, per type (`bucket start ms`). */
export interface TotalsPlan {
  readonly stale: Readonly<Record<TotalsType, ReadonlySet<number>>>
  /** Buckets with events whose fill still holds. */
  readonly fresh: Readonly<Record<TotalsType, ReadonlySet<number>>>
}

const PlanRow = Schema.Struct({
  bucket_ms: Schema.Number,
  calls_now: Schema.Number,
  calls_filled: Schema.Number,
  conversions_now: Schema.Number,
  conversions_filled: Schema.Number,
})

/**
 * Whole-bucket ranges split into the runs read from the totals and the runs read from the
 * events. An empty bucket (neither fresh nor stale) joins whichever run it is in, so a quiet
 * project's range does not shatter into a range per bucket.
 */
export const splitWhole = (
  whole: ReadonlyArray<TimeWindow>,
  stale: ReadonlySet<number>,
  fresh: ReadonlySet<number>,
): { readonly totals: ReadonlyArray<TimeWindow>; readonly events: ReadonlyArray<TimeWindow> } => {
  const totals: TimeWindow[] = []
  const events: TimeWindow[] = []
  for (const { from, to, cur } of whole) {
    const runs: Array<{ start: number; end: number; stale: boolean }> = []
    for (let at = from.getTime(); at < to.getTime(); at += BUCKET_MS) {
      const last = runs[runs.length - 1]
      const isStale = stale.has(at) ? true : fresh.has(at) ? false : undefined
      if (last !== undefined && (isStale === undefined || isStale === last.stale)) last.end = at + BUCKET_MS
      else runs.push({ start: at, end: at + BUCKET_MS, stale: isStale ?? false })
    }
    const staleRuns = runs.filter((run) => run.stale)
    if (staleRuns.length > MAX_RUNS) {
      // One range of events from the first stale bucket to the last; totals around it.
      const first = staleRuns[0]!.start
      const last = staleRuns[staleRuns.length - 1]!.end
      events.push({ from: new Date(first), to: new Date(last), cur })
      if (from.getTime() < first) totals.push({ from, to: new Date(first), cur })
      if (last < to.getTime()) totals.push({ from: new Date(last), to, cur })
      continue
    }
    for (const run of runs) {
      ;(run.stale ? events : totals).push({ from: new Date(run.start), to: new Date(run.end), cur })
    }
  }
  return { totals, events }
}

const make = Effect.gen(function* () {
  const ch = yield* ClickhouseClient
  const fills = yield* FiberSet.make()
  /** Projects with a fill running: a second page view does not start another. */
  const filling = new Set<string>()

  const scoped = (scope: ProjectScope) =>
    ch`workspace_id = ${scope.workspaceId} AND project_id = ${scope.projectId}`

  /**
   * For every bucket with events (or with totals) among the windows' whole buckets: do its
   * stored totals still hold? Its total against the stored rows now (see the top). Platform and
   * source filters do not matter here: a fill covers every platform and source of its bucket.
   */
  const plan = (
    scope: ProjectScope,
    windows: ReadonlyArray<TimeWindow>,
  ): Effect.Effect<TotalsPlan, AnalyticsQueryError> =>
    Effect.gen(function* () {
      const { whole } = bucketParts(windows)
      const stale = { tool_call: new Set<number>(), conversion: new Set<number>() }
      const fresh = { tool_call: new Set<number>(), conversion: new Set<number>() }
      if (whole.length === 0) return { stale, fresh }
      const types = ch`event_type IN ${ch.param("Array(String)", TYPES)}`
      const rows = yield* runRows(
        "totals.plan",
        PlanRow,
        ch`SELECT
             toFloat64(toUnixTimestamp(bucket)) * 1000 AS bucket_ms,
             toFloat64(counted.calls) AS calls_now,
             toFloat64(filled.calls) AS calls_filled,
             toFloat64(counted.conversions) AS conversions_now,
             toFloat64(filled.conversions) AS conversions_filled
           FROM (
             SELECT bucket, countIf(event_type = 'tool_call') AS calls, countIf(event_type = 'conversion') AS conversions
             FROM counted_events_by_bucket
             WHERE ${scoped(scope)} AND ${types} AND ${bucketsIn(ch, whole)}
             GROUP BY bucket
           ) AS counted
           FULL OUTER JOIN (
             SELECT
               bucket,
               sumIf(events, event_type = 'tool_call') AS calls,
               sumIf(events, event_type = 'conversion') AS conversions
             FROM bucket_totals FINAL
             WHERE ${scoped(scope)} AND ${types} AND ${bucketsIn(ch, whole)}
             GROUP BY bucket
           ) AS filled
           USING (bucket)`,
      )
      const classify = (type: TotalsType, now: number, filled: number, at: number) => {
        if (now !== filled) stale[type].add(at)
        else if (now > 0) fresh[type].add(at)
      }
      for (const row of rows) {
        classify("tool_call", row.calls_now, row.calls_filled, row.bucket_ms)
        classify("conversion", row.conversions_now, row.conversions_filled, row.bucket_ms)
      }
      return { stale, fresh }
    }).pipe(Effect.withSpan("BucketTotals.plan"))

  /**
   * `(… UNION ALL …)`: one type's rows in the windows, under the filter, as totals: `cur`,
   * `bucket`, `platform`, `source`, `event_name` and `currency` ('' for none), `events`,
   * `errors`, `latency_sum`, `latency_count`, `value_sum`. Holding buckets from their stored
   * totals, the rest (stale buckets, ragged edges) from `counted_events_by_bucket FINAL`, one row
   * per event. Readers sum every measure.
   */
  const rows = (
    scope: ProjectScope,
    filter: AnalyticsFilter,
    windows: ReadonlyArray<TimeWindow>,
    type: TotalsType,
    totalsPlan: TotalsPlan,
  ): Fragment => {
    const { whole, edges } = bucketParts(windows)
    const split = splitWhole(whole, totalsPlan.stale[type], totalsPlan.fresh[type])

    const fromTotals =
      split.totals.length === 0
        ? []
        : [
            ch`SELECT ${flagOf(ch, "bucket", split.totals)} AS cur, bucket, platform, source, event_name, currency,
                 events, errors, latency_sum, latency_count, value_sum
               FROM bucket_totals FINAL
               WHERE ${rollupWhere(ch, scope, filter, ch`event_type = ${type} AND ${bucketsIn(ch, split.totals)}`)}`,
          ]
    const fromEvents =
      split.events.length === 0 && edges.length === 0
        ? []
        : [
            ch`SELECT cur, bucket, platform, source,
                 toString(ifNull(event_name, '')) AS event_name,
                 toString(ifNull(conversion_currency, '')) AS currency,
                 toUInt64(1) AS events,
                 toUInt64(ifNull(status = 'error', 0)) AS errors,
                 ifNull(latency_ms, 0) AS latency_sum,
                 toUInt64(latency_ms IS NOT NULL) AS latency_count,
                 ifNull(conversion_value, 0) AS value_sum
               FROM ${countedParts(ch, scope, filter, { whole: split.events, edges }, { eventTypes: [type] })}`,
          ]
    const parts = [...fromTotals, ...fromEvents]
    // No window at all: an empty relation of the same shape.
    if (parts.length === 0) {
      return ch`(SELECT toUInt8(1) AS cur, bucket, platform, source, event_name, currency, events, errors,
                        latency_sum, latency_count, value_sum
                 FROM bucket_totals WHERE 0)`
    }
    return ch`(${ch.join(" UNION ALL ", false)(parts)})`
  }

  /**
   * Writes the totals of the plan's stale buckets that have ended (the open one would be stale
   * again at once), one fill: all rows share its `filled_at`. Grouped from the deduplicated rows.
   */
  const fill = (scope: ProjectScope, totalsPlan: TotalsPlan): Effect.Effect<void, AnalyticsQueryError> =>
    Effect.gen(function* () {
      const closedBefore = Date.now() - BUCKET_MS
      const buckets = [...new Set([...totalsPlan.stale.tool_call, ...totalsPlan.stale.conversion])].filter(
        (at) => at <= closedBefore,
      )
      if (buckets.length === 0) return
      // One range per bucket: `bucketsIn` joins adjacent ones into runs the primary key narrows to.
      const ranges = buckets.map((at) => ({ from: new Date(at), to: new Date(at + BUCKET_MS) }))
      yield* runRows(
        "totals.fill",
        Schema.Unknown,
        ch.asCommand(
          ch`INSERT INTO bucket_totals (workspace_id, project_id, event_type, bucket, platform, source, event_name,
               currency, events, errors, latency_sum, latency_count, value_sum, filled_at)
             SELECT workspace_id, project_id, event_type, bucket, platform, source,
               toString(ifNull(event_name, '')) AS name,
               toString(ifNull(conversion_currency, '')) AS currency_code,
               count(), countIf(status = 'error'), sum(ifNull(latency_ms, 0)), count(latency_ms),
               sum(ifNull(conversion_value, 0)), now64(3, 'UTC')
             FROM counted_events_by_bucket FINAL
             WHERE ${scoped(scope)} AND event_type IN ${ch.param("Array(String)", TYPES)} AND ${bucketsIn(ch, ranges)}
             GROUP BY workspace_id, project_id, event_type, bucket, platform, source, name, currency_code`,
        ),
      )
    }).pipe(Effect.withSpan("BucketTotals.fill"))

  /** `fill` in the background, at most one per project at a time; a failure is only logged. */
  const fillInBackground = (scope: ProjectScope, totalsPlan: TotalsPlan): Effect.Effect<void> => {
    const key = `${scope.workspaceId}/${scope.projectId}`
    if (filling.has(key)) return Effect.void
    filling.add(key)
    return FiberSet.run(
      fills,
      fill(scope, totalsPlan).pipe(
        Effect.catchAllCause((cause) => Effect.logWarning("bucket totals fill failed", cause)),
        Effect.ensuring(Effect.sync(() => filling.delete(key))),
      ),
    ).pipe(Effect.asVoid)
  }

  /** Plans and fills the windows' stale closed buckets, and waits for it (tests, benchmarks). */
  const refresh = (scope: ProjectScope, windows: ReadonlyArray<TimeWindow>) =>
    Effect.flatMap(plan(scope, windows), (totalsPlan) => fill(scope, totalsPlan))

  /** Waits until no background fill runs. */
  const settled = FiberSet.awaitEmpty(fills)

  return { plan, rows, fill, fillInBackground, refresh, settled } as const
})

export class BucketTotals extends Context.Tag("@yavio/analytics/BucketTotals")<
  BucketTotals,
  Effect.Effect.Success<typeof make>
>() {
  static readonly layer: Layer.Layer<BucketTotals, never, ClickhouseClient> = Layer.scoped(this, make)
}
