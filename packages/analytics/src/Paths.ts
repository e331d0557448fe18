/**
 * The Paths view (dashboard.md §3.6). A session's path is its `tool_call` and `step` names in
 * order (timestamp, then step_sequence), repeats kept, cut at depth 6, ending in the session's
 * last conversion name when it converted and in `drop-off` otherwise. The Sankey's links are
 * (depth, from, to) weighted by sessions; per depth the 50 heaviest are kept and the rest merged
 * into one `other` link (our decisions, from the spec).
 *
 * Read without FINAL: a resent event appears twice in the session's array with the same id
 * hash and `arrayDistinct` drops it (two distinct events never share id, time and name); the
 * conversion terminal is a max. Only the three event types a path uses are scanned.
 */

import { ClickhouseClient } from "@effect/sql-clickhouse/ClickhouseClient"
import { Context, Effect, Layer, Schema } from "effect"
import type { AnalyticsFilter } from "./AnalyticsFilter.js"
import { type AnalyticsQueryError, runRows } from "./AnalyticsQuery.js"
import { type ProjectScope, unmergedEvents } from "./ProjectScope.js"
import { traitSessions } from "./UserTraits.js"

export const MAX_DEPTH = 6
export const LINKS_PER_DEPTH = 50
export const DROP_OFF = "drop-off"
export const OTHER = "other"

export interface PathLink {
  /** 1 = from the first node to the second. */
  readonly depth: number
  readonly from: string
  readonly to: string
  readonly sessions: number
}

export interface PathsInput {
  /** Only paths starting with this tool. */
  readonly startTool?: string
  /** Only paths whose last node before the end is this tool, or that end in this conversion. */
  readonly endTool?: string
}

const make = Effect.gen(function* () {
  const ch = yield* ClickhouseClient

  const links = (
    scope: ProjectScope,
    filter: AnalyticsFilter,
    input: PathsInput = {},
  ): Effect.Effect<ReadonlyArray<PathLink>, AnalyticsQueryError> => {
    const start = input.startTool === undefined ? ch`1` : ch`nodes[1] = ${input.startTool}`
    const end =
      input.endTool === undefined
        ? ch`1`
        : ch`(nodes[length(nodes)] = ${input.endTool} OR terminal = ${input.endTool})`
    return runRows(
      "paths.links",
      Schema.Struct({
        depth: Schema.Number,
        from: Schema.String,
        to: Schema.String,
        sessions: Schema.Number,
      }),
      ch`SELECT depth, from, to, toFloat64(sum(sessions)) AS sessions
         FROM (
           SELECT depth,
                  if(rank <= ${ch.literal(String(LINKS_PER_DEPTH))}, from, ${OTHER}) AS from,
                  if(rank <= ${ch.literal(String(LINKS_PER_DEPTH))}, to, ${OTHER}) AS to,
                  sessions
           FROM (
             SELECT depth, from, to, sessions,
                    row_number() OVER (PARTITION BY depth ORDER BY sessions DESC, from, to) AS rank
             FROM (
               SELECT link.1 AS depth, link.2 AS from, link.3 AS to, count() AS sessions
               FROM (
                 SELECT arrayJoin(arrayMap(i -> (toUInt32(i), path[i], path[i + 1]), range(1, length(path)))) AS link
                 FROM (
                   SELECT arrayPushBack(nodes, terminal) AS path
                   FROM (
                     SELECT
                       arraySlice(
                         arrayMap(x -> x.3, arraySort(x -> (x.1, x.2, x.4), arrayDistinct(
                           groupArrayIf((timestamp, ifNull(step_sequence, 0), ifNull(event_name, ''), cityHash64(event_id)),
                                        event_type IN ('tool_call', 'step'))))),
                         1, ${ch.literal(String(MAX_DEPTH))}) AS nodes,
                       if(countIf(event_type = 'conversion') > 0,
                          ifNull(argMaxIf(event_name, timestamp, event_type = 'conversion'), ''),
                          ${DROP_OFF}) AS terminal
                     FROM ${unmergedEvents(ch, scope, filter)}
                     WHERE event_type IN ('tool_call', 'step', 'conversion')${
                       filter.traits.length === 0
                         ? ch``
                         : ch` AND session_id IN ${traitSessions(ch, scope, filter.traits)}`
                     }
                     GROUP BY session_id
                     HAVING length(nodes) > 0 AND ${start} AND ${end}
                   )
                 )
               )
               GROUP BY depth, from, to
             )
           )
         )
         GROUP BY depth, from, to
         ORDER BY depth, sessions DESC, from, to`,
    )
  }

  return { links } as const
})

export class Paths extends Context.Tag("@yavio/analytics/Paths")<
  Paths,
  Effect.Effect.Success<typeof make>
>() {
  static readonly layer: Layer.Layer<Paths, never, ClickhouseClient> = Layer.effect(this, make)
}
