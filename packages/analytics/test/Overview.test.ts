/**
 * Every Overview metric (dashboard.md §3.2) against a hand-written fixture with exact expected
 * numbers, on the real ClickHouse engine (chDB): retries and a resent batch (same event_id
 * twice) counted once, identify-after-events, widget events joined by trace, the previous
 * window for trends, the half-open range, and another project's events never counted.
 */
import { expect, layer } from "@effect/vitest"
import { Effect, Layer } from "effect"
import { decodeFilter } from "../src/AnalyticsFilter.js"
import { Overview } from "../src/Overview.js"
import { chdbStore, insertRows, type Row, type RowFields } from "./support/store.js"

const HOUR = 60 * 60 * 1000
// A recent whole hour (events has a retention TTL): the window is [t0, t0 + 1 h).
const t0 = Math.floor(Date.now() / HOUR) * HOUR - 2 * HOUR
const window = { from: new Date(t0).toISOString(), to: new Date(t0 + HOUR).toISOString() }
const p1 = { workspace_id: "ws_1", project_id: "prj_1" }
const p2 = { workspace_id: "ws_1", project_id: "prj_2" }
const scope1 = { workspaceId: "ws_1", projectId: "prj_1" }
const S = 1000

const resentConversion = "7d3c1b2e-0000-4000-8000-000000000001"
const resentToolCall = "7d3c1b2e-0000-4000-8000-000000000002"

const A = (row: RowFields): Row => ({ session_id: "ses_A", platform: "chatgpt", ...row })
const B = (row: RowFields): Row => ({ session_id: "ses_B", platform: "claude", ...row })
const C = (row: RowFields): Row => ({ session_id: "ses_C", source: "widget", ...row })

const firstInsert: ReadonlyArray<Row> = [
  A({ event_type: "connection", at: 0 }),
  A({ event_type: "tool_call", at: 10 * S, event_name: "search", status: "success", latency_ms: 100 }),
  A({
    event_id: resentToolCall,
    event_type: "tool_call",
    at: 20 * S,
    event_name: "search",
    status: "success",
    latency_ms: 300,
    is_retry: 1,
  }),
  A({ event_type: "identify", at: 30 * S, user_id: "u1" }),
  A({
    event_type: "tool_call",
    at: 40 * S,
    event_name: "book",
    status: "error",
    latency_ms: 200,
    user_id: "u1",
  }),
  A({ event_type: "widget_render", at: 45 * S, trace_id: "tr_A", source: "widget", user_id: "u1" }),
  A({ event_type: "widget_click", at: 47 * S, trace_id: "tr_A", source: "widget", user_id: "u1" }),
  A({
    event_id: resentConversion,
    event_type: "conversion",
    at: 60 * S,
    event_name: "booking",
    conversion_value: 100,
    conversion_currency: "EUR",
    user_id: "u1",
  }),
  B({ event_type: "tool_call", at: 100 * S, event_name: "search", status: "success", latency_ms: 50 }),
  B({ event_type: "tool_call", at: 130 * S, event_name: "search", status: "success", latency_ms: 150 }),
  B({ event_type: "widget_render", at: 140 * S, trace_id: "tr_B", source: "widget" }),
  B({
    event_type: "conversion",
    at: 150 * S,
    event_name: "tip",
    conversion_value: 20,
    conversion_currency: "USD",
  }),
  B({
    event_type: "conversion",
    at: 160 * S,
    event_name: "booking",
    conversion_value: 30,
    conversion_currency: "EUR",
  }),
  C({ event_type: "widget_render", at: 200 * S, trace_id: "tr_C" }),
  C({ event_type: "widget_click", at: 205 * S, trace_id: "tr_C" }),
  C({ event_type: "widget_form_field", at: 206 * S, trace_id: "tr_C", field_name: "email" }),
]

/** The SDK resent a batch whose answer was lost: the same event ids again, in a later insert. */
const resent: ReadonlyArray<Row> = firstInsert.filter(
  (row) => row.event_id === resentConversion || row.event_id === resentToolCall,
)

const elsewhere: ReadonlyArray<Row> = [
  // previous window [t0 − 1 h, t0): one session, one call; the last millisecond belongs to it
  {
    session_id: "ses_D",
    platform: "chatgpt",
    event_type: "tool_call",
    at: -1,
    event_name: "search",
    status: "success",
    latency_ms: 400,
  },
  // `to` is excluded
  {
    session_id: "ses_E",
    platform: "chatgpt",
    event_type: "tool_call",
    at: HOUR,
    event_name: "late",
    status: "success",
    latency_ms: 1,
  },
]
const otherProject: ReadonlyArray<Row> = [
  {
    session_id: "ses_X",
    platform: "chatgpt",
    event_type: "tool_call",
    at: 5 * S,
    event_name: "secret",
    status: "error",
    latency_ms: 9,
  },
]

const store = chdbStore("analytics-overview")
const fixture = Layer.effectDiscard(
  Effect.all([
    insertRows(t0, p1, firstInsert),
    insertRows(t0, p1, resent),
    insertRows(t0, p1, elsewhere),
    insertRows(t0, p2, otherProject),
  ]),
)

layer(Layer.mergeAll(Overview.layer, fixture).pipe(Layer.provideMerge(store)), { timeout: 120_000 })(
  "Overview [chdb]",
  (it) => {
    it.effect("every KPI of §3.2 with its previous window", () =>
      Effect.gen(function* () {
        const overview = yield* Overview
        const filter = yield* decodeFilter(window)
        const k = yield* overview.kpis(scope1, filter)

        expect(k.invocations).toEqual({ value: 5, previous: 1, change: 4 })
        expect(k.sessions).toEqual({ value: 3, previous: 1, change: 2 })
        expect(k.errorRate).toEqual({ value: 0.2, previous: 0, change: null })
        expect(k.avgLatencyMs).toEqual({ value: 160, previous: 400, change: -0.6 })
        expect(k.conversions).toEqual({ value: 3, previous: 0, change: null })
        expect(k.revenue).toEqual({
          value: 130,
          previous: 0,
          change: null,
          currency: "EUR",
          byCurrency: { EUR: 130, USD: 20 },
        })
        expect(k.sessionConversionRate.value).toBeCloseTo(2 / 3, 12)
        expect(k.sessionConversionRate.previous).toBe(0)
        expect(k.widgetEngagementRate.value).toBeCloseTo(2 / 3, 12)
        expect(k.widgetEngagementRate.previous).toBeNull()
        expect(k.medianTimeToFirstInteractionMs).toEqual({ value: 3500, previous: null, change: null })
        expect(k.medianTimeToFirstToolCallMs).toEqual({ value: 5000, previous: 0, change: null })
        expect(k.avgSessionDurationMs).toEqual({ value: 42_000, previous: 0, change: null })
        expect(k.identifiedSessionShare.value).toBeCloseTo(1 / 3, 12)
        expect(k.identifiedSessionShare.previous).toBe(0)
      }),
    )

    it.effect("charts: invocations per hour, platforms, top tools", () =>
      Effect.gen(function* () {
        const overview = yield* Overview
        const filter = yield* decodeFilter({ ...window, granularity: "hour" })
        const charts = yield* overview.charts(scope1, filter)
        expect(charts.invocationsOverTime).toEqual([{ bucket: new Date(t0).toISOString(), count: 5 }])
        expect(charts.platforms).toEqual([
          { key: "chatgpt", count: 3 },
          { key: "claude", count: 2 },
        ])
        expect(charts.topTools).toEqual([
          { key: "search", count: 4 },
          { key: "book", count: 1 },
        ])
        // The page is the KPIs and the charts, as the RPC handler answers them.
        expect(yield* overview.page(scope1, filter)).toEqual({
          kpis: yield* overview.kpis(scope1, filter),
          ...charts,
        })
        // The Users view's call for the identified share answers the same KPI alone.
        expect(yield* overview.identifiedShare(scope1, filter)).toEqual(
          (yield* overview.kpis(scope1, filter)).identifiedSessionShare,
        )
        const wider = yield* decodeFilter({
          from: new Date(t0 - HOUR).toISOString(),
          to: new Date(t0 + 2 * HOUR).toISOString(),
          granularity: "hour",
        })
        expect((yield* overview.charts(scope1, wider)).invocationsOverTime).toEqual([
          { bucket: new Date(t0 - HOUR).toISOString(), count: 1 },
          { bucket: new Date(t0).toISOString(), count: 5 },
          { bucket: new Date(t0 + HOUR).toISOString(), count: 1 },
        ])
      }),
    )

    it.effect("platform and source filters; another project sees only its own events", () =>
      Effect.gen(function* () {
        const overview = yield* Overview
        const claude = yield* overview.kpis(scope1, yield* decodeFilter({ ...window, platforms: ["claude"] }))
        expect(claude.invocations.value).toBe(2)
        expect(claude.sessions.value).toBe(1)
        expect(claude.revenue.byCurrency).toEqual({ EUR: 30, USD: 20 })
        const unknown = yield* overview.kpis(
          scope1,
          yield* decodeFilter({ ...window, platforms: ["unknown"] }),
        )
        expect(unknown.sessions.value).toBe(1) // session C sent no platform
        const widget = yield* overview.kpis(scope1, yield* decodeFilter({ ...window, sources: ["widget"] }))
        expect(widget.invocations.value).toBe(0)
        expect(widget.sessions.value).toBe(3)
        expect(widget.widgetEngagementRate.value).toBeCloseTo(2 / 3, 12)

        const other = yield* overview.kpis(
          { workspaceId: "ws_1", projectId: "prj_2" },
          yield* decodeFilter(window),
        )
        expect(other.invocations.value).toBe(1)
        expect(other.errorRate.value).toBe(1)
        expect(
          (yield* overview.charts({ workspaceId: "ws_1", projectId: "prj_2" }, yield* decodeFilter(window)))
            .topTools,
        ).toEqual([{ key: "secret", count: 1 }])
      }),
    )
  },
)
