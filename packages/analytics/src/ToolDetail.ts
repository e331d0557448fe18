/**
 * The Tool Explorer's tool page (dashboard.md §3.3): KPIs with latency percentiles, the latency
 * histogram, errors over time and by category, parameter fill rates, top values per parameter,
 * common parameter combinations, content types, zero results by input pattern, and discovery →
 * invocation. Reads the SDK's tool-call fields: `input_keys` (JSON array), `input_values` (JSON
 * object), `metadata.response_size`, `.zero_result`, `.content_types`; and `tool_discovery`'s
 * `metadata.tools_listed`.
 */

import { ClickhouseClient } from "@effect/sql-clickhouse/ClickhouseClient"
import { Context, Effect, Layer, Schema } from "effect"
import type { AnalyticsFilter } from "./AnalyticsFilter.js"
import { type AnalyticsQueryError, finiteOrNull, ratio, runRows } from "./AnalyticsQuery.js"
import { bucketOf, type ProjectScope, scopedEvents } from "./ProjectScope.js"

/** Histogram upper edges in ms (§3.3); the last bucket is "> 10 s". */
export const LATENCY_EDGES_MS = [10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000] as const
export const TOP_VALUES = 10
export const TOP_COMBINATIONS = 10

export interface ToolKpis {
  readonly invocations: number
  readonly errorRate: number | null
  readonly avgLatencyMs: number | null
  readonly p50LatencyMs: number | null
  readonly p95LatencyMs: number | null
  readonly p99LatencyMs: number | null
  readonly avgResponseBytes: number | null
  readonly zeroResultRate: number | null
  /** Invocations ÷ tool listings that offered the tool; `null` without listings. */
  readonly discoveryToInvocation: number | null
}

export interface HistogramBucket {
  /** Lower edge (inclusive), ms. */
  readonly fromMs: number
  /** Upper edge (exclusive), ms; `null` for the open last bucket. */
  readonly toMs: number | null
  readonly count: number
}

export interface ToolDetailView {
  readonly kpis: ToolKpis
  readonly latencyHistogram: ReadonlyArray<HistogramBucket>
  readonly errorsOverTime: ReadonlyArray<{
    readonly bucket: string
    readonly success: number
    readonly error: number
  }>
  readonly errorCategories: ReadonlyArray<{ readonly key: string; readonly count: number }>
  readonly fillRates: ReadonlyArray<{ readonly key: string; readonly rate: number }>
  /** Per parameter, its most frequent values as JSON text (`"Rome"`, `2`). */
  readonly topValues: ReadonlyArray<{ readonly key: string; readonly value: string; readonly count: number }>
  readonly combinations: ReadonlyArray<{ readonly keys: ReadonlyArray<string>; readonly count: number }>
  readonly contentTypes: ReadonlyArray<{ readonly key: string; readonly count: number }>
  readonly zeroResultByPattern: ReadonlyArray<{
    readonly keys: ReadonlyArray<string>
    readonly calls: number
    readonly zeroResultRate: number | null
  }>
}

const num = Schema.Number
const str = Schema.String
const NullNum = Schema.NullOr(num)

const make = Effect.gen(function* () {
  const ch = yield* ClickhouseClient

  const detail = (
    scope: ProjectScope,
    filter: AnalyticsFilter,
    tool: string,
  ): Effect.Effect<ToolDetailView, AnalyticsQueryError> => {
    const calls = ch`(SELECT * FROM ${scopedEvents(ch, scope, filter)} WHERE event_type = 'tool_call' AND event_name = ${tool})`
    const keysOf = ch.literal("arraySort(JSONExtract(ifNull(input_keys, '[]'), 'Array(String)'))")
    const edges = ch.literal(`[${LATENCY_EDGES_MS.join(", ")}]`)
    return Effect.all(
      {
        kpis: runRows(
          "tool.kpis",
          Schema.Struct({
            invocations: num,
            errors: num,
            avg_latency: NullNum,
            p: Schema.Array(NullNum),
            avg_size: NullNum,
            zero: num,
            listings: num,
          }),
          ch`SELECT
               toFloat64(count()) AS invocations,
               toFloat64(countIf(status = 'error')) AS errors,
               if(countIf(latency_ms IS NOT NULL) = 0, NULL, avgIf(latency_ms, latency_ms IS NOT NULL)) AS avg_latency,
               if(countIf(latency_ms IS NOT NULL) = 0, [NULL, NULL, NULL],
                  arrayMap(x -> toNullable(x), quantilesExactInclusiveIf(0.5, 0.95, 0.99)(latency_ms, latency_ms IS NOT NULL))) AS p,
               if(countIf(JSONHas(ifNull(metadata, '{}'), 'response_size')) = 0, NULL,
                  avgIf(JSONExtractFloat(ifNull(metadata, '{}'), 'response_size'), JSONHas(ifNull(metadata, '{}'), 'response_size'))) AS avg_size,
               toFloat64(countIf(JSONExtractBool(ifNull(metadata, '{}'), 'zero_result'))) AS zero,
               (SELECT toFloat64(count()) FROM ${scopedEvents(ch, scope, filter)}
                WHERE event_type = 'tool_discovery'
                  AND has(JSONExtract(ifNull(metadata, '{}'), 'tools_listed', 'Array(String)'), ${tool})) AS listings
             FROM ${calls}`,
        ),
        histogram: runRows(
          "tool.histogram",
          Schema.Struct({ bucket: num, count: num }),
          ch`SELECT toFloat64(arrayFirstIndex(e -> latency_ms < e, ${edges})) AS bucket, toFloat64(count()) AS count
             FROM ${calls} WHERE latency_ms IS NOT NULL GROUP BY bucket`,
        ),
        overTime: runRows(
          "tool.errorsOverTime",
          Schema.Struct({ bucket_ms: num, success: num, error: num }),
          ch`SELECT toFloat64(toUnixTimestamp64Milli(toDateTime64(${bucketOf(ch, filter)}, 3))) AS bucket_ms,
                    toFloat64(countIf(status != 'error' OR status IS NULL)) AS success,
                    toFloat64(countIf(status = 'error')) AS error
             FROM ${calls} GROUP BY bucket_ms ORDER BY bucket_ms`,
        ),
        categories: runRows(
          "tool.categories",
          Schema.Struct({ key: str, count: num }),
          ch`SELECT toString(ifNull(error_category, 'unknown')) AS key, toFloat64(count()) AS count
             FROM ${calls} WHERE status = 'error' GROUP BY key ORDER BY count DESC, key`,
        ),
        fill: runRows(
          "tool.fillRates",
          Schema.Struct({ key: str, rate: num }),
          ch`SELECT key, toFloat64(count()) / (SELECT count() FROM ${calls}) AS rate
             FROM (SELECT arrayJoin(arrayDistinct(JSONExtract(ifNull(input_keys, '[]'), 'Array(String)'))) AS key FROM ${calls})
             GROUP BY key ORDER BY rate DESC, key`,
        ),
        values: runRows(
          "tool.topValues",
          Schema.Struct({ key: str, value: str, count: num }),
          ch`SELECT kv.1 AS key, kv.2 AS value, toFloat64(count()) AS count
             FROM (SELECT arrayJoin(JSONExtractKeysAndValuesRaw(ifNull(input_values, '{}'))) AS kv FROM ${calls})
             GROUP BY key, value
             ORDER BY key, count DESC, value
             LIMIT ${ch.literal(String(TOP_VALUES))} BY key`,
        ),
        combinations: runRows(
          "tool.combinations",
          Schema.Struct({ keys: Schema.Array(str), count: num }),
          ch`SELECT ${keysOf} AS keys, toFloat64(count()) AS count
             FROM ${calls} GROUP BY keys ORDER BY count DESC, toString(keys)
             LIMIT ${ch.literal(String(TOP_COMBINATIONS))}`,
        ),
        contentTypes: runRows(
          "tool.contentTypes",
          Schema.Struct({ key: str, count: num }),
          ch`SELECT kv.1 AS key, sum(kv.2) AS count
             FROM (SELECT arrayJoin(JSONExtractKeysAndValues(ifNull(metadata, '{}'), 'content_types', 'Float64')) AS kv FROM ${calls})
             GROUP BY key ORDER BY count DESC, key`,
        ),
        zeroByPattern: runRows(
          "tool.zeroByPattern",
          Schema.Struct({ keys: Schema.Array(str), calls: num, zero: num }),
          ch`SELECT ${keysOf} AS keys, toFloat64(count()) AS calls,
                    toFloat64(countIf(JSONExtractBool(ifNull(metadata, '{}'), 'zero_result'))) AS zero
             FROM ${calls} GROUP BY keys HAVING zero > 0 ORDER BY zero / calls DESC, calls DESC, toString(keys)`,
        ),
      },
      { concurrency: "unbounded" },
    ).pipe(
      Effect.map((r) => {
        const k = r.kpis[0]
        const invocations = k?.invocations ?? 0
        const counts = new Map(r.histogram.map((row) => [row.bucket, row.count]))
        const lower = [0, ...LATENCY_EDGES_MS]
        return {
          kpis: {
            invocations,
            errorRate: ratio(k?.errors ?? 0, invocations),
            avgLatencyMs: finiteOrNull(k?.avg_latency),
            p50LatencyMs: finiteOrNull(k?.p[0]),
            p95LatencyMs: finiteOrNull(k?.p[1]),
            p99LatencyMs: finiteOrNull(k?.p[2]),
            avgResponseBytes: finiteOrNull(k?.avg_size),
            zeroResultRate: ratio(k?.zero ?? 0, invocations),
            discoveryToInvocation: ratio(invocations, k?.listings ?? 0),
          },
          // arrayFirstIndex is 1-based; 0 means "not below any edge": the open last bucket.
          latencyHistogram: lower.map((fromMs, i) => ({
            fromMs,
            toMs: LATENCY_EDGES_MS[i] ?? null,
            count: counts.get(i === LATENCY_EDGES_MS.length ? 0 : i + 1) ?? 0,
          })),
          errorsOverTime: r.overTime.map((row) => ({
            bucket: new Date(row.bucket_ms).toISOString(),
            success: row.success,
            error: row.error,
          })),
          errorCategories: r.categories,
          fillRates: r.fill,
          topValues: r.values,
          combinations: r.combinations,
          contentTypes: r.contentTypes,
          zeroResultByPattern: r.zeroByPattern.map((row) => ({
            keys: row.keys,
            calls: row.calls,
            zeroResultRate: ratio(row.zero, row.calls),
          })),
        }
      }),
      Effect.withSpan("ToolDetail.detail"),
    )
  }

  return { detail } as const
})

export class ToolDetail extends Context.Tag("@yavio/analytics/ToolDetail")<
  ToolDetail,
  Effect.Effect.Success<typeof make>
>() {
  static readonly layer: Layer.Layer<ToolDetail, never, ClickhouseClient> = Layer.effect(this, make)
}
