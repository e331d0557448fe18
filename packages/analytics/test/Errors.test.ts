/** The Errors view (dashboard.md §3.7) against a hand-written fixture with exact numbers, on chDB. */
import { expect, layer } from "@effect/vitest"
import { Effect, Either, Layer } from "effect"
import { decodeFilter } from "../src/AnalyticsFilter.js"
import { decodeErrorCategory, ERROR_LIST_SORTS, Errors } from "../src/Errors.js"
import { decodePaging } from "../src/Paging.js"
import { chdbStore, insertRows, type Row } from "./support/store.js"

const HOUR = 60 * 60 * 1000
const t0 = Math.floor(Date.now() / HOUR) * HOUR - 2 * HOUR
const window = {
  from: new Date(t0).toISOString(),
  to: new Date(t0 + HOUR).toISOString(),
  granularity: "hour",
}
const tenant = { workspace_id: "ws_e", project_id: "prj_e" }
const scope = { workspaceId: "ws_e", projectId: "prj_e" }
const S = 1000
const resentAuthError = "9a1b2c3d-0000-4000-8000-00000000000a"

const call = (session_id: string, at: number, event_name: string, fields: Partial<Row> = {}): Row => ({
  session_id,
  event_type: "tool_call",
  at,
  event_name,
  status: "success",
  ...fields,
})
const error = (category: string | null, message: string | null, trace_id: string | null) => ({
  status: "error",
  error_category: category,
  error_message: message,
  trace_id,
})

const current: ReadonlyArray<Row> = [
  call("s1", 1 * S, "search"),
  call("s1", 2 * S, "book", error("timeout", "upstream timed out", "tr_1")),
  call("s1", 3 * S, "book", { ...error("timeout", "upstream timed out", "tr_2"), is_retry: 1 }),
  call("s1", 4 * S, "book", { is_retry: 1 }),
  call("s2", 5 * S, "pay", { ...error("auth", "token expired", "tr_3"), event_id: resentAuthError }),
  call("s2", 6 * S, "pay", error(null, null, null)),
  { session_id: "s2", event_type: "widget_error", at: 7 * S, source: "widget" },
]
const previous: ReadonlyArray<Row> = [
  call("s0", -10 * S, "book", error("timeout", "x", "tr_0")),
  call("s0", -9 * S, "search"),
]

const fixture = Layer.effectDiscard(
  Effect.all([
    insertRows(t0, tenant, current),
    insertRows(
      t0,
      tenant,
      current.filter((row) => row.event_id === resentAuthError),
    ),
    insertRows(t0, tenant, previous),
  ]),
)

layer(Layer.mergeAll(Errors.layer, fixture).pipe(Layer.provideMerge(chdbStore("analytics-errors"))), {
  timeout: 120_000,
})("Errors [chdb]", (it) => {
  it.effect("KPIs with the previous window: totals, rate, retry success, widget errors", () =>
    Effect.gen(function* () {
      const errors = yield* Errors
      const k = yield* errors.kpis(scope, yield* decodeFilter(window))
      expect(k.totalErrors).toEqual({ value: 4, previous: 1, change: 3 })
      expect(k.errorRate.value).toBeCloseTo(4 / 6, 12)
      expect(k.errorRate.previous).toBe(0.5)
      expect(k.errorRate.change).toBeCloseTo((4 / 6 - 0.5) / 0.5, 12)
      expect(k.retrySuccessRate).toEqual({ value: 0.5, previous: null, change: null })
      expect(k.widgetErrors).toEqual({ value: 1, previous: 0, change: null })
    }),
  )

  it.effect("rate over time, categories, per-tool rates", () =>
    Effect.gen(function* () {
      const errors = yield* Errors
      const filter = yield* decodeFilter(window)
      expect(yield* errors.rateOverTime(scope, filter)).toEqual([
        { bucket: new Date(t0).toISOString(), calls: 6, errors: 4, errorRate: 4 / 6 },
      ])
      expect(yield* errors.categories(scope, filter)).toEqual([
        { key: "timeout", count: 2 },
        { key: "auth", count: 1 },
        { key: "unknown", count: 1 },
      ])
      expect(yield* errors.perTool(scope, filter)).toEqual([
        { tool: "book", calls: 3, errors: 2, errorRate: 2 / 3 },
        { tool: "pay", calls: 2, errors: 2, errorRate: 1 },
      ])
      expect(yield* errors.perTool(scope, filter, "auth")).toEqual([
        { tool: "pay", calls: 2, errors: 1, errorRate: 0.5 },
      ])
    }),
  )

  it.effect("the grouped error list: sorted, paged, past the end, filtered by category", () =>
    Effect.gen(function* () {
      const errors = yield* Errors
      const filter = yield* decodeFilter(window)
      const paging = (input: Parameters<typeof decodePaging>[0]) =>
        decodePaging(input, ERROR_LIST_SORTS, "count")
      const first = yield* errors.list(scope, filter, yield* paging({}))
      expect(first.total).toBe(3)
      expect(first.rows).toEqual([
        {
          tool: "book",
          category: "timeout",
          message: "upstream timed out",
          count: 2,
          firstSeen: new Date(t0 + 2 * S).toISOString(),
          lastSeen: new Date(t0 + 3 * S).toISOString(),
          lastTraceId: "tr_2",
        },
        expect.objectContaining({ tool: "pay", category: "auth", message: "token expired", count: 1 }),
        expect.objectContaining({
          tool: "pay",
          category: "unknown",
          message: "",
          count: 1,
          lastTraceId: null,
        }),
      ])
      const second = yield* errors.list(scope, filter, yield* paging({ page: 2, pageSize: 1 }))
      expect(second.rows.map((row) => row.category)).toEqual(["auth"])
      expect(second.total).toBe(3)
      const beyond = yield* errors.list(scope, filter, yield* paging({ page: 5, pageSize: 1 }))
      expect(beyond).toEqual({ rows: [], total: 3, page: 5, pageSize: 1 })
      const oldestLast = yield* errors.list(scope, filter, yield* paging({ sort: "lastSeen", order: "asc" }))
      expect(oldestLast.rows.map((row) => row.category)).toEqual(["timeout", "auth", "unknown"])
      const auth = yield* errors.list(scope, filter, yield* paging({}), "auth")
      expect(auth.rows.map((row) => row.message)).toEqual(["token expired"])
      expect(auth.total).toBe(1)
    }),
  )

  it.effect("bad paging, sort and category inputs carry their codes", () =>
    Effect.gen(function* () {
      const code = <E extends { readonly code: string }>(effect: Effect.Effect<unknown, E>) =>
        Effect.map(Effect.either(effect), (result) => (Either.isLeft(result) ? result.left.code : "ok"))
      expect(yield* code(decodePaging({ page: 0 }, ERROR_LIST_SORTS, "count"))).toBe("YAVIO-3403")
      expect(yield* code(decodePaging({ pageSize: 101 }, ERROR_LIST_SORTS, "count"))).toBe("YAVIO-3403")
      expect(yield* code(decodePaging({ pageSize: 2.5 }, ERROR_LIST_SORTS, "count"))).toBe("YAVIO-3403")
      expect(yield* code(decodePaging({ sort: "message" }, ERROR_LIST_SORTS, "count"))).toBe("YAVIO-3404")
      expect(yield* code(decodePaging({ order: "sideways" }, ERROR_LIST_SORTS, "count"))).toBe("YAVIO-3404")
      expect(yield* code(decodeErrorCategory("cosmic_rays"))).toBe("YAVIO-3407")
      expect(yield* code(decodeErrorCategory("rate_limit"))).toBe("ok")
    }),
  )
})
