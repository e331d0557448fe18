/**
 * The Intents view (our decision, from the SDK's intent capture, sdk.md §2.5): what callers said
 * they wanted when they called each tool. The SDK stores `intent_signals` on `tool_call` as a JSON
 * array of `{ source, text }` (`context_parameter` or `inferred`). Per tool: calls, calls with an
 * intent and their share; and the most frequent intent texts (200 at most, our decision) with
 * their source, count and last time.
 */

import { ClickhouseClient } from "@effect/sql-clickhouse/ClickhouseClient"
import { Context, Effect, Layer, Schema } from "effect"
import type { AnalyticsFilter } from "./AnalyticsFilter.js"
import { type AnalyticsQueryError, ratio, runRows } from "./AnalyticsQuery.js"
import { type ProjectScope, scopedEvents } from "./ProjectScope.js"

export const MAX_INTENTS = 200

export interface IntentCoverage {
  readonly tool: string
  readonly calls: number
  readonly withIntent: number
  /** `withIntent / calls`. */
  readonly share: number | null
}

export interface IntentRow {
  readonly tool: string
  readonly text: string
  readonly source: string
  readonly count: number
  readonly lastSeen: string
}

const num = Schema.Number

const make = Effect.gen(function* () {
  const ch = yield* ClickhouseClient

  const coverage = (
    scope: ProjectScope,
    filter: AnalyticsFilter,
  ): Effect.Effect<ReadonlyArray<IntentCoverage>, AnalyticsQueryError> =>
    runRows(
      "intents.coverage",
      Schema.Struct({ tool: Schema.String, calls: num, with_intent: num }),
      ch`SELECT ifNull(event_name, '') AS tool, toFloat64(count()) AS calls,
                toFloat64(countIf(length(JSONExtractArrayRaw(ifNull(intent_signals, '[]'))) > 0)) AS with_intent
         FROM ${scopedEvents(ch, scope, filter)}
         WHERE event_type = 'tool_call'
         GROUP BY tool
         ORDER BY with_intent DESC, calls DESC, tool`,
    ).pipe(
      Effect.map((rows) =>
        rows.map((r) => ({
          tool: r.tool,
          calls: r.calls,
          withIntent: r.with_intent,
          share: ratio(r.with_intent, r.calls),
        })),
      ),
    )

  const top = (
    scope: ProjectScope,
    filter: AnalyticsFilter,
    tool?: string,
  ): Effect.Effect<ReadonlyArray<IntentRow>, AnalyticsQueryError> =>
    runRows(
      "intents.top",
      Schema.Struct({
        tool: Schema.String,
        text: Schema.String,
        source: Schema.String,
        n: num,
        last_ms: num,
      }),
      ch`SELECT ifNull(event_name, '') AS tool, JSONExtractString(item, 'text') AS text,
                JSONExtractString(item, 'source') AS source, toFloat64(count()) AS n,
                toFloat64(toUnixTimestamp64Milli(max(timestamp))) AS last_ms
         FROM ${scopedEvents(ch, scope, filter)}
         ARRAY JOIN JSONExtractArrayRaw(ifNull(intent_signals, '[]')) AS item
         WHERE event_type = 'tool_call' AND ${tool === undefined ? ch`1` : ch`event_name = ${tool}`}
         GROUP BY tool, text, source
         HAVING text != ''
         ORDER BY n DESC, last_ms DESC, tool, text
         LIMIT ${ch.literal(String(MAX_INTENTS))}`,
    ).pipe(
      Effect.map((rows) =>
        rows.map((r) => ({
          tool: r.tool,
          text: r.text,
          source: r.source,
          count: r.n,
          lastSeen: new Date(r.last_ms).toISOString(),
        })),
      ),
    )

  return { coverage, top } as const
})

export class Intents extends Context.Tag("@yavio/analytics/Intents")<
  Intents,
  Effect.Effect.Success<typeof make>
>() {
  static readonly layer: Layer.Layer<Intents, never, ClickhouseClient> = Layer.effect(this, make)
}
