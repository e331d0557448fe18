/** The Tool Explorer list (dashboard.md §3.3) against a hand-written fixture, on chDB. */
import { ClickhouseClient } from "@effect/sql-clickhouse/ClickhouseClient"
import { expect, layer } from "@effect/vitest"
import { Effect, Layer } from "effect"
import { decodeFilter } from "../src/AnalyticsFilter.js"
import { decodePaging } from "../src/Paging.js"
import { TOOL_SORTS, Tools } from "../src/Tools.js"
import { chdbStore, insertRows, type Row } from "./support/store.js"

const HOUR = 60 * 60 * 1000
const t0 = Math.floor(Date.now() / HOUR) * HOUR - 2 * HOUR
const window = { from: new Date(t0).toISOString(), to: new Date(t0 + HOUR).toISOString() }
const tenant = { workspace_id: "ws_t", project_id: "prj_t" }
const scope = { workspaceId: "ws_t", projectId: "prj_t" }
const resent = "5e5e5e5e-0000-4000-8000-000000000001"

const call = (at: number, tool: string, latency: number, fields: Partial<Row> = {}): Row => ({
  session_id: "s",
  event_type: "tool_call",
  at,
  event_name: tool,
  status: "success",
  latency_ms: latency,
  ...fields,
})
const zero = JSON.stringify({ zero_result: true, result_count: 0 })

// search: 4 calls (latencies 10, 20, 30, 40; one zero result; one error); book: 1 call; the
// resent search call is stored twice and counted once.
const calls: ReadonlyArray<Row> = [
  call(1, "search", 10),
  call(2, "search", 20, { metadata: zero }),
  call(3, "search", 30, { status: "error", error_category: "timeout", event_id: resent }),
  call(4, "search", 40),
  call(5, "book", 100),
]

const registry = Effect.flatMap(ClickhouseClient, (ch) =>
  ch.insertQuery({
    table: "tool_registry",
    format: "JSONEachRow",
    values: ["search", "book", "cancel"].map((tool_name) => ({
      ...tenant,
      tool_name,
      registered_at: new Date(t0).toISOString().replace("T", " ").replace("Z", ""),
    })),
  }),
)

const fixture = Layer.effectDiscard(
  Effect.all([
    insertRows(t0, tenant, calls),
    insertRows(
      t0,
      tenant,
      calls.filter((row) => row.event_id === resent),
    ),
    registry,
  ]),
)

layer(Layer.mergeAll(Tools.layer, fixture).pipe(Layer.provideMerge(chdbStore("analytics-tools"))), {
  timeout: 120_000,
})("Tools [chdb]", (it) => {
  it.effect("one row per tool, registered tools without calls at zero, sorted and paged", () =>
    Effect.gen(function* () {
      const tools = yield* Tools
      const filter = yield* decodeFilter(window)
      const paging = (input: Parameters<typeof decodePaging>[0]) =>
        decodePaging(input, TOOL_SORTS, "invocations")
      const page = yield* tools.list(scope, filter, yield* paging({}))
      expect(page.total).toBe(3)
      expect(page.rows).toEqual([
        {
          tool: "search",
          invocations: 4,
          rank: 1,
          successRate: 0.75,
          errorRate: 0.25,
          avgLatencyMs: 25,
          p95LatencyMs: 38.5,
          zeroResultRate: 0.25,
        },
        {
          tool: "book",
          invocations: 1,
          rank: 2,
          successRate: 1,
          errorRate: 0,
          avgLatencyMs: 100,
          p95LatencyMs: 100,
          zeroResultRate: 0,
        },
        {
          tool: "cancel",
          invocations: 0,
          rank: 3,
          successRate: null,
          errorRate: null,
          avgLatencyMs: null,
          p95LatencyMs: null,
          zeroResultRate: null,
        },
      ])
      const byLatency = yield* tools.list(
        scope,
        filter,
        yield* paging({ sort: "avgLatencyMs", order: "asc" }),
      )
      expect(byLatency.rows.map((row) => row.tool)).toEqual(["search", "book", "cancel"]) // nulls last
      const byName = yield* tools.list(
        scope,
        filter,
        yield* paging({ sort: "tool", order: "asc", pageSize: 2 }),
      )
      expect(byName.rows.map((row) => row.tool)).toEqual(["book", "cancel"])
      const beyond = yield* tools.list(scope, filter, yield* paging({ page: 3, pageSize: 2 }))
      expect(beyond).toEqual({ rows: [], total: 3, page: 3, pageSize: 2 })
    }),
  )
})
