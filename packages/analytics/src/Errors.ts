/**
 * The Errors view (dashboard.md §3.7): KPIs with the previous window, error rate over time,
 * categories, per-tool rates and the grouped error list. Errors are `tool_call` events with
 * `status = 'error'`; widget errors are `widget_error` events (our decision).
 */

import { ClickhouseClient } from "@effect/sql-clickhouse/ClickhouseClient"
import { AnalyticsQueryRejected } from "@yavio/domain"
import { Context, Effect, Layer, Schema } from "effect"
import { type AnalyticsFilter, previousWindow } from "./AnalyticsFilter.js"
import { type AnalyticsQueryError, ratio, runRows } from "./AnalyticsQuery.js"
import { type Kpi, kpi } from "./Overview.js"
import type { Page, Paging } from "./Paging.js"
import { bucketOf, countedWindows, type ProjectScope } from "./ProjectScope.js"

/** The SDK's categories (events.md `error_category`). */
export const ERROR_CATEGORIES = ["auth", "validation", "timeout", "rate_limit", "server", "unknown"] as const
export type ErrorCategory = (typeof ERROR_CATEGORIES)[number]

export interface ErrorKpis {
  readonly totalErrors: Kpi
  readonly errorRate: Kpi
  readonly retrySuccessRate: Kpi
  readonly widgetErrors: Kpi
}

export interface ErrorRatePoint {
  readonly bucket: string
  readonly calls: number
  readonly errors: number
  readonly errorRate: number | null
}

export interface ToolErrorRate {
  readonly tool: string
  readonly calls: number
  readonly errors: number
  readonly errorRate: number | null
}

export interface ErrorGroup {
  readonly tool: string
  readonly category: string
  readonly message: string
  readonly count: number
  readonly firstSeen: string
  readonly lastSeen: string
  readonly lastTraceId: string | null
}

export const ERROR_LIST_SORTS = ["count", "firstSeen", "lastSeen"] as const
export type ErrorListSort = (typeof ERROR_LIST_SORTS)[number]

const num = Schema.Number
const KpiRow = Schema.Struct({
  cur: num,
  calls: num,
  errors: num,
  retries: num,
  retry_successes: num,
  widget_errors: num,
})
const RateRow = Schema.Struct({ bucket_ms: num, calls: num, errors: num })
const CategoryRow = Schema.Struct({ key: Schema.String, count: num })
const ToolRow = Schema.Struct({ tool: Schema.String, calls: num, errors: num })
const GroupRow = Schema.Struct({
  tool: Schema.String,
  category: Schema.String,
  message: Schema.String,
  count: num,
  first_ms: num,
  last_ms: num,
  last_trace: Schema.NullOr(Schema.String),
  total: num,
})

const iso = (ms: number): string => new Date(ms).toISOString()

/** The optional `errorCategory` filter: one of the SDK's categories, else `YAVIO-3407`. */
export const decodeErrorCategory = (
  value: string | undefined,
): Effect.Effect<ErrorCategory | undefined, AnalyticsQueryRejected> =>
  value === undefined || (ERROR_CATEGORIES as ReadonlyArray<string>).includes(value)
    ? Effect.succeed(value as ErrorCategory | undefined)
    : Effect.fail(
        new AnalyticsQueryRejected({
          detail: `errorCategory must be one of ${ERROR_CATEGORIES.join(", ")}; got ${JSON.stringify(value)}`,
        }),
      )

const make = Effect.gen(function* () {
  const ch = yield* ClickhouseClient
  const category = (value: ErrorCategory | undefined) =>
    value === undefined ? ch`1` : ch`ifNull(error_category, 'unknown') = ${value}`

  /** The window's tool calls, deduplicated; whole 15-minute buckets without timestamp comparisons. */
  const calls = (scope: ProjectScope, filter: AnalyticsFilter) =>
    countedWindows(ch, scope, filter, [{ from: filter.from, to: filter.to, cur: 1 }], {
      eventTypes: ["tool_call"],
    })

  const kpis = (
    scope: ProjectScope,
    filter: AnalyticsFilter,
  ): Effect.Effect<ErrorKpis, AnalyticsQueryError> => {
    const previous = previousWindow(filter)
    return runRows(
      "errors.kpis",
      KpiRow,
      ch`SELECT
           cur,
           toFloat64(countIf(event_type = 'tool_call')) AS calls,
           toFloat64(countIf(event_type = 'tool_call' AND status = 'error')) AS errors,
           toFloat64(countIf(event_type = 'tool_call' AND is_retry = 1)) AS retries,
           toFloat64(countIf(event_type = 'tool_call' AND is_retry = 1 AND status = 'success')) AS retry_successes,
           toFloat64(countIf(event_type = 'widget_error')) AS widget_errors
         FROM ${countedWindows(
           ch,
           scope,
           filter,
           [
             { from: previous.from, to: filter.from, cur: 0 },
             { from: filter.from, to: filter.to, cur: 1 },
           ],
           { eventTypes: ["tool_call", "widget_error"] },
         )}
         GROUP BY cur`,
    ).pipe(
      Effect.map((rows) => {
        const of = (cur: number) => {
          const row = rows.find((r) => r.cur === cur)
          return {
            errors: row?.errors ?? 0,
            errorRate: ratio(row?.errors ?? 0, row?.calls ?? 0),
            retrySuccessRate: ratio(row?.retry_successes ?? 0, row?.retries ?? 0),
            widgetErrors: row?.widget_errors ?? 0,
          }
        }
        const now = of(1)
        const before = of(0)
        return {
          totalErrors: kpi(now.errors, before.errors),
          errorRate: kpi(now.errorRate, before.errorRate),
          retrySuccessRate: kpi(now.retrySuccessRate, before.retrySuccessRate),
          widgetErrors: kpi(now.widgetErrors, before.widgetErrors),
        }
      }),
    )
  }

  const rateOverTime = (
    scope: ProjectScope,
    filter: AnalyticsFilter,
  ): Effect.Effect<ReadonlyArray<ErrorRatePoint>, AnalyticsQueryError> =>
    runRows(
      "errors.rateOverTime",
      RateRow,
      ch`SELECT toFloat64(toUnixTimestamp64Milli(toDateTime64(${bucketOf(ch, filter, "bucket")}, 3))) AS bucket_ms,
               toFloat64(count()) AS calls,
               toFloat64(countIf(status = 'error')) AS errors
         FROM ${calls(scope, filter)}
         GROUP BY bucket_ms
         ORDER BY bucket_ms`,
    ).pipe(
      Effect.map((rows) =>
        rows.map((row) => ({
          bucket: iso(row.bucket_ms),
          calls: row.calls,
          errors: row.errors,
          errorRate: ratio(row.errors, row.calls),
        })),
      ),
    )

  const categories = (
    scope: ProjectScope,
    filter: AnalyticsFilter,
  ): Effect.Effect<ReadonlyArray<{ readonly key: string; readonly count: number }>, AnalyticsQueryError> =>
    runRows(
      "errors.categories",
      CategoryRow,
      ch`SELECT toString(ifNull(error_category, 'unknown')) AS key, toFloat64(count()) AS count
         FROM ${calls(scope, filter)}
         WHERE status = 'error'
         GROUP BY key
         ORDER BY count DESC, key`,
    )

  const perTool = (
    scope: ProjectScope,
    filter: AnalyticsFilter,
    errorCategory?: ErrorCategory,
  ): Effect.Effect<ReadonlyArray<ToolErrorRate>, AnalyticsQueryError> =>
    runRows(
      "errors.perTool",
      ToolRow,
      ch`SELECT toString(ifNull(event_name, '')) AS tool,
               toFloat64(count()) AS calls,
               toFloat64(countIf(status = 'error' AND ${category(errorCategory)})) AS errors
         FROM ${calls(scope, filter)}
         GROUP BY tool
         HAVING errors > 0
         ORDER BY errors DESC, tool`,
    ).pipe(Effect.map((rows) => rows.map((row) => ({ ...row, errorRate: ratio(row.errors, row.calls) }))))

  const list = (
    scope: ProjectScope,
    filter: AnalyticsFilter,
    paging: Paging<ErrorListSort>,
    errorCategory?: ErrorCategory,
  ): Effect.Effect<Page<ErrorGroup>, AnalyticsQueryError> => {
    const sortColumn = { count: "count", firstSeen: "first_ms", lastSeen: "last_ms" }[paging.sort]
    return runRows(
      "errors.list",
      GroupRow,
      ch`SELECT
           toString(ifNull(event_name, '')) AS tool,
           toString(ifNull(error_category, 'unknown')) AS category,
           toString(ifNull(error_message, '')) AS message,
           toFloat64(count()) AS count,
           toFloat64(toUnixTimestamp64Milli(min(timestamp))) AS first_ms,
           toFloat64(toUnixTimestamp64Milli(max(timestamp))) AS last_ms,
           argMax(trace_id, timestamp) AS last_trace,
           toFloat64(count() OVER ()) AS total
         FROM ${calls(scope, filter)}
         WHERE status = 'error' AND ${category(errorCategory)}
         GROUP BY tool, category, message
         ORDER BY ${ch.literal(sortColumn)} ${ch.literal(paging.order === "asc" ? "ASC" : "DESC")}, tool, category, message
         LIMIT ${ch.param("UInt32", paging.pageSize)} OFFSET ${ch.param("UInt32", paging.offset)}`,
    ).pipe(
      Effect.flatMap((rows) =>
        rows.length > 0 || paging.page === 1
          ? Effect.succeed({ rows, total: rows[0]?.total ?? 0 })
          : // Past the end: no rows, but the total still counts (§3.1).
            runRows(
              "errors.listTotal",
              Schema.Struct({ total: num }),
              ch`SELECT toFloat64(count()) AS total FROM (
                   SELECT 1 FROM ${calls(scope, filter)}
                   WHERE status = 'error' AND ${category(errorCategory)}
                   GROUP BY ifNull(event_name, ''), ifNull(error_category, 'unknown'), ifNull(error_message, ''))`,
            ).pipe(Effect.map((totals) => ({ rows, total: totals[0]?.total ?? 0 }))),
      ),
      Effect.map(({ rows, total }) => ({
        rows: rows.map((row) => ({
          tool: row.tool,
          category: row.category,
          message: row.message,
          count: row.count,
          firstSeen: iso(row.first_ms),
          lastSeen: iso(row.last_ms),
          lastTraceId: row.last_trace,
        })),
        total,
        page: paging.page,
        pageSize: paging.pageSize,
      })),
    )
  }

  return { kpis, rateOverTime, categories, perTool, list } as const
})

export class Errors extends Context.Tag("@yavio/analytics/Errors")<
  Errors,
  Effect.Effect.Success<typeof make>
>() {
  static readonly layer: Layer.Layer<Errors, never, ClickhouseClient> = Layer.effect(this, make)
}
