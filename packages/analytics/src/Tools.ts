/**
 * The Tool Explorer list (dashboard.md §3.3): one row per tool with invocations, popularity
 * rank, success and error rates, average and p95 latency and the zero-result rate. Tools in
 * `tool_registry` that were never called in the range appear with zeros (our decision).
 */

import { ClickhouseClient } from "@effect/sql-clickhouse/ClickhouseClient"
import { Context, Effect, Layer, Schema } from "effect"
import type { AnalyticsFilter } from "./AnalyticsFilter.js"
import { type AnalyticsQueryError, finiteOrNull, ratio, runRows } from "./AnalyticsQuery.js"
import type { Page, Paging } from "./Paging.js"
import { countedWindows, type ProjectScope } from "./ProjectScope.js"

export interface ToolRow {
  readonly tool: string
  readonly invocations: number
  /** 1 = most invoked; tools with equal counts share a rank. */
  readonly rank: number
  readonly successRate: number | null
  readonly errorRate: number | null
  readonly avgLatencyMs: number | null
  readonly p95LatencyMs: number | null
  readonly zeroResultRate: number | null
}

export const TOOL_SORTS = [
  "invocations",
  "tool",
  "successRate",
  "errorRate",
  "avgLatencyMs",
  "p95LatencyMs",
  "zeroResultRate",
] as const
export type ToolSort = (typeof TOOL_SORTS)[number]

const num = Schema.Number
const Row = Schema.Struct({
  tool: Schema.String,
  invocations: num,
  rank: num,
  successes: num,
  errors: num,
  avg_latency: Schema.NullOr(num),
  p95_latency: Schema.NullOr(num),
  zero_results: num,
  total: num,
})

const SORT_SQL: Record<ToolSort, string> = {
  invocations: "invocations",
  tool: "tool",
  successRate: "if(invocations = 0, NULL, successes / invocations)",
  errorRate: "if(invocations = 0, NULL, errors / invocations)",
  avgLatencyMs: "avg_latency",
  p95LatencyMs: "p95_latency",
  zeroResultRate: "if(invocations = 0, NULL, zero_results / invocations)",
}

const make = Effect.gen(function* () {
  const ch = yield* ClickhouseClient

  /** The window's tool calls, deduplicated; whole 15-minute buckets without timestamp comparisons. */
  const calls = (scope: ProjectScope, filter: AnalyticsFilter) =>
    countedWindows(ch, scope, filter, [{ from: filter.from, to: filter.to, cur: 1 }], {
      eventTypes: ["tool_call"],
    })

  const list = (
    scope: ProjectScope,
    filter: AnalyticsFilter,
    paging: Paging<ToolSort>,
  ): Effect.Effect<Page<ToolRow>, AnalyticsQueryError> =>
    runRows(
      "tools.list",
      Row,
      // Registered tools join as rows of zeros; the outer GROUP BY merges them with the calls
      // (aggregates skip their NULLs), so the calls are scanned once.
      ch`SELECT *, toFloat64(rank() OVER (ORDER BY invocations DESC)) AS rank, toFloat64(count() OVER ()) AS total
         FROM (
           SELECT tool,
                  sum(calls) AS invocations,
                  sum(ok) AS successes,
                  sum(failed) AS errors,
                  max(avg_ms) AS avg_latency,
                  max(p95_ms) AS p95_latency,
                  sum(zeros) AS zero_results
           FROM (
             SELECT
               toString(ifNull(event_name, '')) AS tool,
               toFloat64(count()) AS calls,
               toFloat64(countIf(status = 'success')) AS ok,
               toFloat64(countIf(status = 'error')) AS failed,
               if(countIf(latency_ms IS NOT NULL) = 0, NULL, avgIf(latency_ms, latency_ms IS NOT NULL)) AS avg_ms,
               if(countIf(latency_ms IS NOT NULL) = 0, NULL,
                  quantileExactInclusiveIf(0.95)(latency_ms, latency_ms IS NOT NULL)) AS p95_ms,
               toFloat64(countIf(zero_result = 1)) AS zeros
             FROM ${calls(scope, filter)}
             GROUP BY tool
             UNION ALL
             SELECT tool_name, 0, 0, 0, NULL, NULL, 0
             FROM tool_registry FINAL
             WHERE workspace_id = ${scope.workspaceId} AND project_id = ${scope.projectId}
           )
           GROUP BY tool
         )
         ORDER BY ${ch.literal(SORT_SQL[paging.sort])} ${ch.literal(paging.order === "asc" ? "ASC" : "DESC")} NULLS LAST, tool
         LIMIT ${ch.param("UInt32", paging.pageSize)} OFFSET ${ch.param("UInt32", paging.offset)}`,
    ).pipe(
      Effect.flatMap((rows) =>
        rows.length > 0 || paging.page === 1
          ? Effect.succeed({ rows, total: rows[0]?.total ?? 0 })
          : // Past the end: no rows, but the total still counts (§3.1).
            runRows(
              "tools.total",
              Schema.Struct({ total: num }),
              ch`SELECT toFloat64(count()) AS total FROM (
                   SELECT DISTINCT toString(ifNull(event_name, '')) AS tool
                   FROM ${calls(scope, filter)}
                   UNION DISTINCT
                   SELECT tool_name AS tool FROM tool_registry FINAL
                   WHERE workspace_id = ${scope.workspaceId} AND project_id = ${scope.projectId})`,
            ).pipe(Effect.map((totals) => ({ rows, total: totals[0]?.total ?? 0 }))),
      ),
      Effect.map(({ rows, total }) => ({
        rows: rows.map((row) => ({
          tool: row.tool,
          invocations: row.invocations,
          rank: row.rank,
          successRate: ratio(row.successes, row.invocations),
          errorRate: ratio(row.errors, row.invocations),
          avgLatencyMs: finiteOrNull(row.avg_latency),
          p95LatencyMs: finiteOrNull(row.p95_latency),
          zeroResultRate: ratio(row.zero_results, row.invocations),
        })),
        total,
        page: paging.page,
        pageSize: paging.pageSize,
      })),
    )

  return { list } as const
})

export class Tools extends Context.Tag("@yavio/analytics/Tools")<
  Tools,
  Effect.Effect.Success<typeof make>
>() {
  static readonly layer: Layer.Layer<Tools, never, ClickhouseClient> = Layer.effect(this, make)
}
