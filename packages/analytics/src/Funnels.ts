/**
 * The Funnel view (dashboard.md §3.4). The unit is the trace (server and widget events sharing
 * `trace_id`); a step is a `step` or `conversion` event by name. A trace reaches step k only
 * after steps 1…k−1, in that order, within the selected range (ClickHouse `windowFunnel` over
 * the range's length; other events may come in between — our reading of "strict order").
 */

import { ClickhouseClient } from "@effect/sql-clickhouse/ClickhouseClient"
import { AnalyticsQueryRejected } from "@yavio/domain"
import { Context, Effect, Layer, Schema } from "effect"
import type { AnalyticsFilter } from "./AnalyticsFilter.js"
import { type AnalyticsQueryError, finiteOrNull, ratio, runRows } from "./AnalyticsQuery.js"
import { countedWindows, type ProjectScope } from "./ProjectScope.js"

export interface FunnelStep {
  readonly name: string
  /** Traces that reached this step in order. */
  readonly traces: number
  /** Share of step 1's traces; `null` when none reached step 1. */
  readonly ofFirst: number | null
  /** Traces reaching the next step ÷ traces reaching this one (`null` for the last step). */
  readonly toNext: number | null
  /** Median ms from this step's first time to the next one's, over traces reaching the next. */
  readonly medianMsToNext: number | null
}

export interface FunnelInput {
  /** 2–10 step or conversion names, in order. */
  readonly steps: ReadonlyArray<string>
  /** Only traces opened by this tool (their `tool_call`'s name). */
  readonly tool?: string
}

/** Up to this many example traces per gap (§3.4, our decision: 20). */
export const EXAMPLE_TRACES = 20

const num = Schema.Number

export const decodeFunnelSteps = (
  steps: ReadonlyArray<string>,
): Effect.Effect<ReadonlyArray<string>, AnalyticsQueryRejected> =>
  steps.length >= 2 && steps.length <= 10 && steps.every((step) => step !== "")
    ? Effect.succeed(steps)
    : Effect.fail(
        new AnalyticsQueryRejected({ detail: `a funnel has 2 to 10 non-empty steps; got ${steps.length}` }),
      )

const make = Effect.gen(function* () {
  const ch = yield* ClickhouseClient

  const isStep = (step: string) => ch`(event_type IN ('step', 'conversion') AND event_name = ${step})`

  /** The funnel's own step events (the only ones a level depends on) under the tool filter. */
  const stepEvents = (scope: ProjectScope, filter: AnalyticsFilter, input: FunnelInput) => {
    const window = [{ from: filter.from, to: filter.to, cur: 1 }] as const
    const tool =
      input.tool === undefined
        ? ch`1`
        : ch`trace_key IN (SELECT trace_key FROM ${countedWindows(ch, scope, filter, window, {
            eventTypes: ["tool_call"],
            dedup: false,
          })}
                           WHERE event_name = ${input.tool} AND trace_key != 0)`
    return ch`(SELECT * FROM ${countedWindows(ch, scope, filter, window, { eventTypes: ["step", "conversion"], dedup: false })}
      WHERE trace_key != 0
        AND event_name IN ${ch.param("Array(String)", [...new Set(input.steps)])} AND ${tool})`
  }

  /**
   * Per trace: the funnel level reached and the first time of each step (ms), from
   * `counted_events_by_bucket` without FINAL (a resent step event cannot change a level or a
   * first time), traces grouped by `trace_key` (a 64-bit hash of the id: grouping a million
   * traces by their id strings costs several times more; two traces would merge only on a hash
   * collision). One pass over the step events: level ≥ 1 is "has step 1", so every count comes
   * from here. (Pre-selecting the traces with step 1 and another step, as before, paid off only
   * while the seed put each step in a trace of its own; with journeys in one trace it tripled
   * the cost: 1,390 ms against 290 ms on the 10M bench store.) `trace` (the id) only when asked:
   * carrying the string through the aggregation is expensive too.
   */
  const perTrace = (
    scope: ProjectScope,
    filter: AnalyticsFilter,
    input: FunnelInput,
    options: { readonly withId: boolean },
  ) => {
    // Millisecond timestamps (windowFunnel takes no DateTime64), so the window is in ms too.
    const windowMs = Math.max(1, filter.to.getTime() - filter.from.getTime())
    return ch`(
      SELECT
        ${options.withId ? ch`any(trace_id) AS trace,` : ch.literal("")}
        windowFunnel(${ch.literal(String(windowMs))})(toUInt64(toUnixTimestamp64Milli(timestamp)), ${ch.csv(input.steps.map(isStep))}) AS level,
        [${ch.csv(input.steps.map((step) => ch`toFloat64(toUnixTimestamp64Milli(minIf(timestamp, ${isStep(step)})))`))}] AS firsts
      FROM ${stepEvents(scope, filter, input)}
      GROUP BY trace_key)`
  }

  const steps = (
    scope: ProjectScope,
    filter: AnalyticsFilter,
    input: FunnelInput,
  ): Effect.Effect<ReadonlyArray<FunnelStep>, AnalyticsQueryError> => {
    const n = input.steps.length
    const reached = ch.csv(
      input.steps.map((_, i) => ch`toFloat64(countIf(level >= ${ch.literal(String(i + 1))}))`),
    )
    const medians = ch.csv(
      input.steps
        .slice(1)
        .map(
          (_, i) =>
            ch`quantileExactInclusiveIf(0.5)(firsts[${ch.literal(String(i + 2))}] - firsts[${ch.literal(String(i + 1))}], level >= ${ch.literal(String(i + 2))})`,
        ),
    )
    return runRows(
      "funnels.steps",
      Schema.Struct({ reached: Schema.Array(num), medians: Schema.Array(Schema.NullOr(num)) }),
      ch`SELECT [${reached}] AS reached, [${medians}] AS medians FROM ${perTrace(scope, filter, input, { withId: false })}`,
    ).pipe(
      Effect.map((rows) => {
        const reachedCounts = rows[0]?.reached ?? input.steps.map(() => 0)
        const first = reachedCounts[0] ?? 0
        return input.steps.map((name, i) => {
          const traces = reachedCounts[i] ?? 0
          const next = i + 1 < n ? (reachedCounts[i + 1] ?? 0) : undefined
          return {
            name,
            traces,
            ofFirst: ratio(traces, first),
            toNext: next === undefined ? null : ratio(next, traces),
            medianMsToNext: next === undefined || next === 0 ? null : finiteOrNull(rows[0]?.medians[i]),
          }
        })
      }),
    )
  }

  /** Traces that reached step `gap` (1-based) but not the next one: the drop-off's examples. */
  const examples = (
    scope: ProjectScope,
    filter: AnalyticsFilter,
    input: FunnelInput,
    gap: number,
  ): Effect.Effect<ReadonlyArray<string>, AnalyticsQueryError | AnalyticsQueryRejected> =>
    Number.isInteger(gap) && gap >= 1 && gap < input.steps.length
      ? runRows(
          "funnels.examples",
          Schema.Struct({ trace_id: Schema.String }),
          ch`SELECT toString(trace) AS trace_id FROM ${perTrace(scope, filter, input, { withId: true })}
             WHERE level = ${ch.literal(String(gap))}
             ORDER BY trace_id
             LIMIT ${ch.literal(String(EXAMPLE_TRACES))}`,
        ).pipe(Effect.map((rows) => rows.map((row) => row.trace_id)))
      : Effect.fail(
          new AnalyticsQueryRejected({
            detail: `gap must be a step number from 1 to ${input.steps.length - 1}`,
          }),
        )

  return { steps, examples } as const
})

export class Funnels extends Context.Tag("@yavio/analytics/Funnels")<
  Funnels,
  Effect.Effect.Success<typeof make>
>() {
  static readonly layer: Layer.Layer<Funnels, never, ClickhouseClient> = Layer.effect(this, make)
}
