/** The Funnel view (dashboard.md §3.4) against a hand-written fixture with exact numbers, on chDB. */
import { expect, layer } from "@effect/vitest"
import { Effect, Either, Layer } from "effect"
import { decodeFilter } from "../src/AnalyticsFilter.js"
import { decodeFunnelSteps, Funnels } from "../src/Funnels.js"
import { chdbStore, insertRows, type Row } from "./support/store.js"

const HOUR = 60 * 60 * 1000
const t0 = Math.floor(Date.now() / HOUR) * HOUR - 2 * HOUR
const window = { from: new Date(t0).toISOString(), to: new Date(t0 + HOUR).toISOString() }
const tenant = { workspace_id: "ws_f", project_id: "prj_f" }
const scope = { workspaceId: "ws_f", projectId: "prj_f" }
const S = 1000
const steps = ["search_done", "room_chosen", "booking"]
const resent = "f0f0f0f0-0000-4000-8000-000000000001"

/** A trace opened by `tool` at `start`, then its steps at offsets (a conversion for "booking"). */
const trace = (
  id: string,
  tool: string,
  start: number,
  marks: ReadonlyArray<readonly [string, number]>,
): Row[] => [
  { session_id: "s", trace_id: id, event_type: "tool_call", at: start, event_name: tool, status: "success" },
  ...marks.map(
    ([name, offset], i): Row => ({
      session_id: "s",
      trace_id: id,
      event_type: name === "booking" ? "conversion" : "step",
      at: start + offset,
      event_name: name,
      source: i % 2 === 0 ? "server" : "widget", // a trace spans server and widget
      ...(name === "booking" ? { conversion_value: 90, conversion_currency: "EUR", event_id: resent } : {}),
    }),
  ),
]

const rows: ReadonlyArray<Row> = [
  ...trace("tr_1", "search", 0, [
    ["search_done", 0],
    ["room_chosen", 10 * S],
    ["booking", 30 * S],
  ]),
  ...trace("tr_2", "search", 60 * S, [
    ["search_done", 0],
    ["room_chosen", 4 * S],
  ]),
  ...trace("tr_3", "search", 120 * S, [["search_done", 0]]),
  ...trace("tr_4", "search", 180 * S, [
    ["room_chosen", 0],
    ["search_done", 5 * S],
  ]),
  ...trace("tr_5", "search", 240 * S, [["booking", 0]]).map((row) => ({ ...row, event_id: undefined })),
  ...trace("tr_6", "other", 300 * S, [
    ["search_done", 0],
    ["room_chosen", 2 * S],
  ]),
].map(({ event_id, ...row }) => (event_id === undefined ? row : { ...row, event_id }))

const fixture = Layer.effectDiscard(
  Effect.all([
    insertRows(t0, tenant, rows),
    insertRows(
      t0,
      tenant,
      rows.filter((row) => row.event_id === resent),
    ),
  ]),
)

layer(Layer.mergeAll(Funnels.layer, fixture).pipe(Layer.provideMerge(chdbStore("analytics-funnels"))), {
  timeout: 120_000,
})("Funnels [chdb]", (it) => {
  it.effect("traces reaching each step in order, conversion rates, median time between steps", () =>
    Effect.gen(function* () {
      const funnels = yield* Funnels
      const filter = yield* decodeFilter(window)
      const all = yield* funnels.steps(scope, filter, { steps })
      expect(all).toEqual([
        { name: "search_done", traces: 5, ofFirst: 1, toNext: 0.6, medianMsToNext: 4000 },
        { name: "room_chosen", traces: 3, ofFirst: 0.6, toNext: 1 / 3, medianMsToNext: 20_000 },
        { name: "booking", traces: 1, ofFirst: 0.2, toNext: null, medianMsToNext: null },
      ])
      const search = yield* funnels.steps(scope, filter, { steps, tool: "search" })
      expect(search.map((step) => step.traces)).toEqual([4, 2, 1])
      expect(search[0]?.medianMsToNext).toBe(7000)
    }),
  )

  it.effect("example traces of a drop-off, and the funnel's own input codes", () =>
    Effect.gen(function* () {
      const funnels = yield* Funnels
      const filter = yield* decodeFilter(window)
      expect(yield* funnels.examples(scope, filter, { steps }, 1)).toEqual(["tr_3", "tr_4"])
      expect(yield* funnels.examples(scope, filter, { steps }, 2)).toEqual(["tr_2", "tr_6"])
      const code = (effect: Effect.Effect<unknown, { readonly code: string }>) =>
        Effect.map(Effect.either(effect), (result) => (Either.isLeft(result) ? result.left.code : "ok"))
      expect(yield* code(funnels.examples(scope, filter, { steps }, 3))).toBe("YAVIO-3407")
      expect(yield* code(decodeFunnelSteps(["only_one"]))).toBe("YAVIO-3407")
      expect(yield* code(decodeFunnelSteps(Array.from({ length: 11 }, (_, i) => `s${i}`)))).toBe("YAVIO-3407")
      expect(yield* code(decodeFunnelSteps(steps))).toBe("ok")
    }),
  )
})
