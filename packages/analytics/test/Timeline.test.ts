/** Trace/session timeline (dashboard.md §3.9) and the live feed's cursor reads (§3.8), on chDB. */
import { expect, layer } from "@effect/vitest"
import { Effect, Layer } from "effect"
import { Timeline } from "../src/Timeline.js"
import { chdbStore, insertRows, type Row } from "./support/store.js"

const H = 60 * 60 * 1000
const t0 = Math.floor(Date.now() / H) * H - 2 * H
const tenant = { workspace_id: "ws_l", project_id: "prj_l" }
const other = { workspace_id: "ws_other", project_id: "prj_other" }
const scope = { workspaceId: "ws_l", projectId: "prj_l" }

const rows: ReadonlyArray<Row> = [
  {
    session_id: "s1",
    trace_id: "tr_1",
    event_type: "tool_call",
    event_name: "book",
    at: 0,
    latency_ms: 12,
    status: "success",
  },
  {
    session_id: "s1",
    trace_id: "tr_1",
    event_type: "step",
    event_name: "widget_opened",
    at: 1000,
    step_sequence: 1,
    source: "widget",
  },
  {
    session_id: "s1",
    trace_id: "tr_1",
    event_type: "step",
    event_name: "booked",
    at: 1000,
    step_sequence: 2,
    source: "widget",
  },
  { session_id: "s1", trace_id: "tr_1", event_type: "widget_render", at: 500, source: "widget" },
  {
    session_id: "s1",
    trace_id: "tr_2",
    event_type: "tool_call",
    event_name: "cancel",
    at: 5000,
    status: "error",
  },
]

layer(
  Layer.mergeAll(
    Timeline.layer,
    Layer.effectDiscard(
      Effect.all([
        insertRows(t0, tenant, rows),
        insertRows(t0, other, [
          { session_id: "s1", trace_id: "tr_1", event_type: "track", event_name: "secret", at: 0 },
        ]),
      ]),
    ),
  ).pipe(Layer.provideMerge(chdbStore("analytics-timeline"))),
  { timeout: 120_000 },
)("Timeline and live feed [chdb]", (it) => {
  it.effect(
    "a trace's server and widget events in order; a session's traces together; nothing of another project",
    () =>
      Effect.gen(function* () {
        const timeline = yield* Timeline
        const trace = yield* timeline.timeline(scope, { traceId: "tr_1" })
        expect(trace.map((e) => [e.offsetMs, e.source, e.eventType, e.eventName])).toEqual([
          [0, "server", "tool_call", "book"],
          [500, "widget", "widget_render", null],
          [1000, "widget", "step", "widget_opened"],
          [1000, "widget", "step", "booked"],
        ])
        expect(trace[0]).toMatchObject({ latencyMs: 12, status: "success", sessionId: "s1", traceId: "tr_1" })
        const session = yield* timeline.timeline(scope, { sessionId: "s1" })
        expect(session.map((e) => e.traceId)).toEqual(["tr_1", "tr_1", "tr_1", "tr_1", "tr_2"])
      }),
  )

  it.effect("live: the backlog, then only what was ingested after the cursor, by type", () =>
    Effect.gen(function* () {
      const timeline = yield* Timeline
      const start = yield* timeline.latest(scope)
      expect(start.events).toHaveLength(5)
      expect(start.cursor).toBeDefined()
      const cursor = start.cursor!
      expect((yield* timeline.after(scope, cursor)).events).toEqual([])

      yield* insertRows(t0, tenant, [
        {
          session_id: "s2",
          event_type: "tool_call",
          event_name: "late",
          at: -30 * 60 * 1000,
          status: "success",
        },
        {
          session_id: "s2",
          event_type: "conversion",
          event_name: "paid",
          at: 10,
          conversion_value: 5,
          conversion_currency: "EUR",
        },
      ])
      const next = yield* timeline.after(scope, cursor)
      // The late event (an old timestamp, ingested now) is not skipped.
      expect(next.events.map((e) => e.eventName).sort()).toEqual(["late", "paid"])
      expect((yield* timeline.after(scope, next.cursor)).events).toEqual([])
      const conversions = yield* timeline.after(scope, cursor, "conversion")
      expect(conversions.events.map((e) => [e.eventType, e.eventName, e.sessionId])).toEqual([
        ["conversion", "paid", "s2"],
      ])
      const backlog = yield* timeline.latest(scope, undefined, 3)
      expect(backlog.events).toHaveLength(3)
    }),
  )
})
