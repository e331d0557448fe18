/** The default funnel "All steps" (dashboard.md §3.4) on chDB: names, order, the conversion last. */
import { expect, layer } from "@effect/vitest"
import { Effect, Layer } from "effect"
import { decodeFilter } from "../src/AnalyticsFilter.js"
import { DefaultFunnel } from "../src/DefaultFunnel.js"
import { chdbStore, insertRows, type Row } from "./support/store.js"

const HOUR = 60 * 60 * 1000
const t0 = Math.floor(Date.now() / HOUR) * HOUR - 2 * HOUR
const window = { from: new Date(t0).toISOString(), to: new Date(t0 + HOUR).toISOString() }
const scope = { workspaceId: "ws_d", projectId: "prj_d" }
const tenant = { workspace_id: "ws_d", project_id: "prj_d" }

const step = (trace: string, name: string, seq: number, at: number): Row => ({
  session_id: "s",
  trace_id: trace,
  event_type: "step",
  event_name: name,
  step_sequence: seq,
  at,
})
const conversion = (trace: string, name: string, at: number): Row => ({
  session_id: "s",
  trace_id: trace,
  event_type: "conversion",
  event_name: name,
  conversion_value: 10,
  conversion_currency: "USD",
  at,
})

const rows: ReadonlyArray<Row> = [
  // "checkout" has sequence 3 twice and 1 once: median 3, after "room" (median 2).
  step("tr_1", "search", 1, 0),
  step("tr_1", "room", 2, 1000),
  step("tr_1", "checkout", 3, 2000),
  conversion("tr_1", "booking", 3000),
  step("tr_2", "search", 1, 10_000),
  step("tr_2", "room", 2, 11_000),
  step("tr_2", "checkout", 3, 12_000),
  conversion("tr_2", "booking", 13_000),
  step("tr_3", "checkout", 1, 20_000),
  conversion("tr_3", "upsell", 21_000),
  // Another project's steps never show.
  { ...step("tr_x", "secret", 0, 0), workspace_id: "ws_other", project_id: "prj_other" },
  // Outside the range.
  step("tr_4", "late", 0, 2 * HOUR),
]

layer(
  Layer.mergeAll(DefaultFunnel.layer, Layer.effectDiscard(insertRows(t0, tenant, rows))).pipe(
    Layer.provideMerge(chdbStore("analytics-default-funnel")),
  ),
  { timeout: 120_000 },
)("DefaultFunnel [chdb]", (it) => {
  it.effect("step names by median step_sequence, then the most common conversion", () =>
    Effect.gen(function* () {
      const funnel = yield* DefaultFunnel
      expect(yield* funnel.steps(scope, yield* decodeFilter(window))).toEqual([
        "search",
        "room",
        "checkout",
        "booking",
      ])
    }),
  )

  it.effect("no default funnel with fewer than two names", () =>
    Effect.gen(function* () {
      const funnel = yield* DefaultFunnel
      const empty = { from: new Date(t0 - HOUR).toISOString(), to: new Date(t0).toISOString() }
      expect(yield* funnel.steps(scope, yield* decodeFilter(empty))).toEqual([])
    }),
  )
})
