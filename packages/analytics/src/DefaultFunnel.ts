/**
 * The default funnel "All steps" (dashboard.md §3.4): the project's distinct `step` names in the
 * range, ordered by their median `step_sequence` (then name, so ties are stable), followed by the
 * most common conversion name; capped at 10 names (a funnel's maximum). Fewer than two names →
 * no default funnel (the view shows its empty state).
 */

import { ClickhouseClient } from "@effect/sql-clickhouse/ClickhouseClient"
import { Context, Effect, Layer, Schema } from "effect"
import type { AnalyticsFilter } from "./AnalyticsFilter.js"
import { type AnalyticsQueryError, runRows } from "./AnalyticsQuery.js"
import { type ProjectScope, scopedEvents } from "./ProjectScope.js"

const Row = Schema.Struct({ name: Schema.String, kind: Schema.String })

const make = Effect.gen(function* () {
  const ch = yield* ClickhouseClient

  const steps = (
    scope: ProjectScope,
    filter: AnalyticsFilter,
  ): Effect.Effect<ReadonlyArray<string>, AnalyticsQueryError> =>
    runRows(
      "funnel.default",
      Row,
      ch`SELECT name, kind FROM (
           SELECT event_name AS name, 'step' AS kind, 0 AS part,
                  quantileExactInclusive(0.5)(toFloat64(ifNull(step_sequence, 0))) AS rank, 0 AS n
           FROM ${scopedEvents(ch, scope, filter)}
           WHERE event_type = 'step' AND event_name IS NOT NULL
           GROUP BY event_name
           UNION ALL
           SELECT name, 'conversion' AS kind, 1 AS part, 0 AS rank, n FROM (
             SELECT event_name AS name, count() AS n
             FROM ${scopedEvents(ch, scope, filter)}
             WHERE event_type = 'conversion' AND event_name IS NOT NULL
             GROUP BY event_name ORDER BY n DESC, name LIMIT 1))
         ORDER BY part, rank, name`,
    ).pipe(
      Effect.map((rows) => {
        const stepNames = rows.filter((r) => r.kind === "step").map((r) => r.name)
        const conversion = rows.find((r) => r.kind === "conversion")?.name
        const names = [...stepNames.slice(0, conversion === undefined ? 10 : 9)]
        if (conversion !== undefined && !names.includes(conversion)) names.push(conversion)
        return names.length >= 2 ? names : []
      }),
    )

  return { steps } as const
})

export class DefaultFunnel extends Context.Tag("@yavio/analytics/DefaultFunnel")<
  DefaultFunnel,
  Effect.Effect.Success<typeof make>
>() {
  static readonly layer: Layer.Layer<DefaultFunnel, never, ClickhouseClient> = Layer.effect(this, make)
}
