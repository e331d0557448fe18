/** The tool page of the Tool Explorer (dashboard.md §3.3) against a hand-written fixture, on chDB. */
import { expect, layer } from "@effect/vitest"
import { Effect, Layer } from "effect"
import { decodeFilter } from "../src/AnalyticsFilter.js"
import { ToolDetail } from "../src/ToolDetail.js"
import { chdbStore, insertRows, type Row } from "./support/store.js"

const H = 60 * 60 * 1000
const t0 = Math.floor(Date.now() / H) * H - 2 * H
const window = { from: new Date(t0).toISOString(), to: new Date(t0 + H).toISOString(), granularity: "hour" }
const tenant = { workspace_id: "ws_d", project_id: "prj_d" }
const scope = { workspaceId: "ws_d", projectId: "prj_d" }

const call = (
  at: number,
  latency: number,
  keys: string[],
  values: object,
  meta: object | null,
  error?: string,
): Row => ({
  session_id: "s",
  event_type: "tool_call",
  event_name: "search",
  at,
  latency_ms: latency,
  status: error === undefined ? "success" : "error",
  error_category: error ?? null,
  input_keys: JSON.stringify(keys),
  input_values: JSON.stringify(values),
  metadata: meta === null ? null : JSON.stringify(meta),
})
const listing = (at: number, tools: string[]): Row => ({
  session_id: "s",
  event_type: "tool_discovery",
  at,
  metadata: JSON.stringify({ tools_listed: tools, tools_count: tools.length }),
})

const rows: ReadonlyArray<Row> = [
  call(
    1000,
    5,
    ["city"],
    { city: "Rome" },
    { response_size: 100, zero_result: false, content_types: { text: 1 } },
  ),
  call(
    2000,
    30,
    ["city", "guests"],
    { city: "Rome", guests: 2 },
    {
      response_size: 300,
      zero_result: true,
      content_types: { text: 1, structured: 1 },
    },
  ),
  call(3000, 700, ["guests", "city"], { city: "Oslo", guests: 2 }, null, "timeout"),
  call(4000, 12_000, [], {}, { zero_result: true }, "auth"),
  { ...call(5000, 1, ["id"], { id: "x" }, null), event_name: "book" },
  listing(0, ["search", "book"]),
  listing(10, ["search", "book"]),
  listing(20, ["book"]),
]

layer(
  Layer.mergeAll(ToolDetail.layer, Layer.effectDiscard(insertRows(t0, tenant, rows))).pipe(
    Layer.provideMerge(chdbStore("analytics-tool-detail")),
  ),
  { timeout: 120_000 },
)("Tool detail [chdb]", (it) => {
  it.effect("every element of the tool page with exact numbers", () =>
    Effect.gen(function* () {
      const tools = yield* ToolDetail
      const view = yield* tools.detail(scope, yield* decodeFilter(window), "search")
      const { p95LatencyMs, p99LatencyMs, ...kpis } = view.kpis
      // interpolated percentiles of [5, 30, 700, 12000]
      expect(p95LatencyMs).toBeCloseTo(10_305, 6)
      expect(p99LatencyMs).toBeCloseTo(11_661, 6)
      expect(kpis).toEqual({
        invocations: 4,
        errorRate: 0.5,
        avgLatencyMs: 3183.75,
        p50LatencyMs: 365,
        avgResponseBytes: 200,
        zeroResultRate: 0.5,
        discoveryToInvocation: 2,
      })
      expect(view.latencyHistogram.filter((b) => b.count > 0)).toEqual([
        { fromMs: 0, toMs: 10, count: 1 },
        { fromMs: 25, toMs: 50, count: 1 },
        { fromMs: 500, toMs: 1000, count: 1 },
        { fromMs: 10_000, toMs: null, count: 1 },
      ])
      expect(view.latencyHistogram).toHaveLength(11)
      expect(view.errorsOverTime).toEqual([{ bucket: new Date(t0).toISOString(), success: 2, error: 2 }])
      expect(view.errorCategories).toEqual([
        { key: "auth", count: 1 },
        { key: "timeout", count: 1 },
      ])
      expect(view.fillRates).toEqual([
        { key: "city", rate: 0.75 },
        { key: "guests", rate: 0.5 },
      ])
      expect(view.topValues).toEqual([
        { key: "city", value: '"Rome"', count: 2 },
        { key: "city", value: '"Oslo"', count: 1 },
        { key: "guests", value: "2", count: 2 },
      ])
      expect(view.combinations).toEqual([
        { keys: ["city", "guests"], count: 2 },
        { keys: ["city"], count: 1 },
        { keys: [], count: 1 },
      ])
      expect(view.contentTypes).toEqual([
        { key: "text", count: 2 },
        { key: "structured", count: 1 },
      ])
      expect(view.zeroResultByPattern).toEqual([
        { keys: [], calls: 1, zeroResultRate: 1 },
        { keys: ["city", "guests"], calls: 2, zeroResultRate: 0.5 },
      ])
    }),
  )
})
