/**
 * The views read `counted_events` and `session_activity` (storage migration 0005) instead of
 * `events FINAL`. Here each view's numbers are compared with the same definition computed
 * straight from `events FINAL`, over windows whose edges fall inside 15-minute buckets (so the
 * rollup's whole buckets and the raw edges are both used), with sessions that cross bucket
 * edges, a batch resent twice, and again after every table was merged. The last test does it
 * again with the Overview reading closed buckets from `bucket_totals` (migration 0009).
 */
import { ClickhouseClient } from "@effect/sql-clickhouse/ClickhouseClient"
import { expect, layer } from "@effect/vitest"
import { Effect, Layer } from "effect"
import { decodeFilter } from "../src/AnalyticsFilter.js"
import { ratio } from "../src/AnalyticsQuery.js"
import { BucketTotals } from "../src/BucketTotals.js"
import { ERROR_LIST_SORTS, Errors } from "../src/Errors.js"
import { Overview } from "../src/Overview.js"
import { decodePaging } from "../src/Paging.js"
import { TOOL_SORTS, Tools } from "../src/Tools.js"
import { Users } from "../src/Users.js"
import { chdbStore, insertRows, type Row, type RowFields } from "./support/store.js"

const MIN = 60 * 1000
const HOUR = 60 * MIN
// A recent whole hour (events has a retention TTL); the fixture spans [t0 − 1 h, t0 + 1 h).
const t0 = Math.floor(Date.now() / HOUR) * HOUR - 3 * HOUR
const tenant = { workspace_id: "ws_r", project_id: "prj_r" }
const scope = { workspaceId: "ws_r", projectId: "prj_r" }

const call = (session: string, at: number, tool: string, fields: Partial<RowFields> = {}): Row => ({
  session_id: session,
  event_type: "tool_call",
  at,
  event_name: tool,
  status: "success",
  latency_ms: 10 + (at % 997),
  platform: "chatgpt",
  trace_id: `tr_${session}_${Math.floor(at / MIN)}`,
  ...fields,
})
const event = (session: string, at: number, type: string, fields: Partial<RowFields> = {}): Row => ({
  session_id: session,
  event_type: type,
  at,
  platform: "chatgpt",
  ...fields,
})

const sessions: ReadonlyArray<Row> = [
  // s1 crosses the 15-minute edge at t0 + 15 min; identified halfway; converts.
  event("s1", 1 * MIN, "connection"),
  call("s1", 2 * MIN, "search"),
  call("s1", 9 * MIN, "search", { status: "error", error_category: "timeout", error_message: "slow" }),
  event("s1", 10 * MIN, "identify", { user_id: "u1" }),
  call("s1", 16 * MIN, "book", { user_id: "u1", metadata: JSON.stringify({ zero_result: true }) }),
  event("s1", 20 * MIN, "conversion", {
    user_id: "u1",
    event_name: "booking",
    conversion_value: 40,
    conversion_currency: "EUR",
  }),
  // s2 straddles the edge by a millisecond each side, with a widget.
  event("s2", 15 * MIN - 1, "widget_render", { source: "widget", platform: "claude", trace_id: "tr_s2" }),
  event("s2", 15 * MIN, "widget_click", { source: "widget", platform: "claude", trace_id: "tr_s2" }),
  call("s2", 15 * MIN + 1, "search", { platform: "claude" }),
  // s3 lives inside one bucket, identified from the start.
  call("s3", 31 * MIN, "search", { user_id: "u2", platform: "cursor" }),
  call("s3", 33 * MIN, "list", {
    user_id: "u2",
    platform: "cursor",
    status: "error",
    error_category: "auth",
  }),
  event("s3", 34 * MIN, "widget_render", { user_id: "u2", source: "widget", platform: "cursor" }),
  // s4 at both ends of the hour; no platform.
  call("s4", 5 * MIN + 500, "search", { platform: null }),
  call("s4", 58 * MIN, "search", { platform: null, status: "error", error_category: "server" }),
  // s5 in the hour before, for the previous windows; s6 spans the hour's start.
  call("s5", -40 * MIN, "search", { user_id: "u1" }),
  call("s6", -2 * MIN, "book"),
  call("s6", 3 * MIN, "book"),
  event("s6", 4 * MIN, "conversion", { event_name: "tip", conversion_value: 5, conversion_currency: "USD" }),
]

/** An SDK batch whose answer was lost, sent again: the same rows and event ids, later. */
const resentBatch: ReadonlyArray<Row> = [
  call("s7", 44 * MIN, "search", { event_id: "0a0a0a0a-0000-4000-8000-000000000001", user_id: "u3" }),
  call("s7", 46 * MIN, "book", {
    event_id: "0a0a0a0a-0000-4000-8000-000000000002",
    user_id: "u3",
    status: "error",
    error_category: "timeout",
    error_message: "slow",
  }),
  event("s7", 47 * MIN, "conversion", {
    event_id: "0a0a0a0a-0000-4000-8000-000000000003",
    user_id: "u3",
    event_name: "booking",
    conversion_value: 70,
    conversion_currency: "EUR",
  }),
]

const fixture = Layer.effectDiscard(
  Effect.all([
    insertRows(t0, tenant, sessions),
    insertRows(t0, tenant, resentBatch),
    insertRows(t0, tenant, resentBatch),
  ]),
)

/** Windows with edges inside buckets, on bucket edges, and one shorter than a bucket. */
const windows = [
  { from: t0 + 7 * MIN, to: t0 + 47 * MIN + 30_000 },
  { from: t0, to: t0 + HOUR },
  { from: t0 + 15 * MIN, to: t0 + 30 * MIN },
  { from: t0 + 15 * MIN - 500, to: t0 + 15 * MIN + 500 },
  { from: t0 + 3 * MIN, to: t0 + 61 * MIN },
].map(({ from, to }) => ({ from: new Date(from).toISOString(), to: new Date(to).toISOString() }))

const num = (value: unknown): number | null => (value === null ? null : Number(value))

/** The Overview KPIs of one window, straight from `events FINAL` (the definitions of §3.2). */
const fromEvents = (
  from: Date,
  to: Date,
  platforms: ReadonlyArray<string>,
  sources: ReadonlyArray<string> = [],
) =>
  Effect.gen(function* () {
    const ch = yield* ClickhouseClient
    const where = ch.and([
      ch`workspace_id = ${scope.workspaceId}`,
      ch`project_id = ${scope.projectId}`,
      ch`timestamp >= fromUnixTimestamp64Milli(toInt64(${ch.param("Float64", from.getTime())}), 'UTC')`,
      ch`timestamp < fromUnixTimestamp64Milli(toInt64(${ch.param("Float64", to.getTime())}), 'UTC')`,
      ...(platforms.length === 0
        ? []
        : [ch`ifNull(platform, 'unknown') IN ${ch.param("Array(String)", platforms)}`]),
      ...(sources.length === 0 ? [] : [ch`source IN ${ch.param("Array(String)", sources)}`]),
    ])
    const [e] = yield* ch<{
      readonly invocations: unknown
      readonly errors: unknown
      readonly avg_latency: unknown
      readonly conversions: unknown
    }>`
      SELECT toFloat64(countIf(event_type = 'tool_call')) AS invocations,
             toFloat64(countIf(event_type = 'tool_call' AND status = 'error')) AS errors,
             avgIf(latency_ms, event_type = 'tool_call') AS avg_latency,
             toFloat64(countIf(event_type = 'conversion')) AS conversions
      FROM events FINAL WHERE ${where}`
    const [s] = yield* ch<{
      readonly sessions: unknown
      readonly converted_sessions: unknown
      readonly rendered_sessions: unknown
      readonly engaged_sessions: unknown
      readonly identified_sessions: unknown
      readonly avg_duration: unknown
      readonly median_ttftc: unknown
    }>`
      SELECT toFloat64(count()) AS sessions,
             toFloat64(countIf(conversions > 0)) AS converted_sessions,
             toFloat64(countIf(rendered = 1)) AS rendered_sessions,
             toFloat64(countIf(rendered = 1 AND engaged = 1)) AS engaged_sessions,
             toFloat64(countIf(identified = 1)) AS identified_sessions,
             avg(end_ms - start_ms) AS avg_duration,
             quantileExactInclusiveIf(0.5)(first_tool_ms - start_ms, tool_calls > 0) AS median_ttftc
      FROM (
        SELECT session_id,
               countIf(event_type = 'conversion') AS conversions,
               max(event_type = 'widget_render') AS rendered,
               max(event_type IN ('widget_click', 'widget_form_field')) AS engaged,
               max(user_id IS NOT NULL) AS identified,
               toFloat64(toUnixTimestamp64Milli(min(timestamp))) AS start_ms,
               toFloat64(toUnixTimestamp64Milli(max(timestamp))) AS end_ms,
               countIf(event_type = 'tool_call') AS tool_calls,
               toFloat64(toUnixTimestamp64Milli(minIf(timestamp, event_type = 'tool_call'))) AS first_tool_ms
        FROM events FINAL WHERE ${where}
        GROUP BY session_id)`
    // Time to first interaction (§3.2 #9): per trace, first click minus first render.
    const [t] = yield* ch<{ readonly median_ttfi: unknown }>`
      SELECT quantileExactInclusive(0.5)(click_ms - render_ms) AS median_ttfi
      FROM (
        SELECT trace_id,
               toFloat64(toUnixTimestamp64Milli(minIf(timestamp, event_type = 'widget_render'))) AS render_ms,
               toFloat64(toUnixTimestamp64Milli(minIf(timestamp, event_type = 'widget_click'))) AS click_ms
        FROM events FINAL
        WHERE ${where} AND trace_id IS NOT NULL AND event_type IN ('widget_render', 'widget_click')
        GROUP BY trace_id
        HAVING countIf(event_type = 'widget_render') > 0 AND countIf(event_type = 'widget_click') > 0
          AND click_ms >= render_ms)`
    const sessionCount = num(s?.sessions) ?? 0
    const finite = (v: unknown) => {
      const n = num(v)
      return n === null || !Number.isFinite(n) ? null : n
    }
    return {
      invocations: num(e?.invocations),
      errorRate: ratio(num(e?.errors) ?? 0, num(e?.invocations) ?? 0),
      avgLatencyMs: finite(e?.avg_latency),
      conversions: num(e?.conversions),
      sessions: sessionCount,
      sessionConversionRate: ratio(num(s?.converted_sessions) ?? 0, sessionCount),
      widgetEngagementRate: ratio(num(s?.engaged_sessions) ?? 0, num(s?.rendered_sessions) ?? 0),
      identifiedSessionShare: ratio(num(s?.identified_sessions) ?? 0, sessionCount),
      avgSessionDurationMs: sessionCount === 0 ? null : finite(s?.avg_duration),
      medianTimeToFirstToolCallMs: finite(s?.median_ttftc),
      medianTimeToFirstInteractionMs: finite(t?.median_ttfi),
    }
  })

/** The same fields from the Overview service, now and for the previous window. */
const fromService = (
  window: { from: string; to: string },
  platforms: ReadonlyArray<string>,
  sources: ReadonlyArray<string> = [],
) =>
  Effect.gen(function* () {
    // The page, as the RPC handler answers it: its selected-window call KPIs come from the charts scan.
    const { kpis: k } = yield* (yield* Overview).page(
      scope,
      yield* decodeFilter({ ...window, platforms, sources }),
    )
    const pick = (side: "value" | "previous") => ({
      invocations: k.invocations[side],
      errorRate: k.errorRate[side],
      avgLatencyMs: k.avgLatencyMs[side],
      conversions: k.conversions[side],
      sessions: k.sessions[side],
      sessionConversionRate: k.sessionConversionRate[side],
      widgetEngagementRate: k.widgetEngagementRate[side],
      identifiedSessionShare: k.identifiedSessionShare[side],
      avgSessionDurationMs: k.avgSessionDurationMs[side],
      medianTimeToFirstToolCallMs: k.medianTimeToFirstToolCallMs[side],
      medianTimeToFirstInteractionMs: k.medianTimeToFirstInteractionMs[side],
    })
    return { now: pick("value"), before: pick("previous") }
  })

/**
 * Every window (and its previous one), a platform filter and a source filter (which reads
 * `session_activity` instead of `session_buckets`): the service equals `events FINAL`.
 */
const compareAll = Effect.gen(function* () {
  const filters: ReadonlyArray<readonly [ReadonlyArray<string>, ReadonlyArray<string>]> = [
    [[], []],
    [["chatgpt", "unknown"], []],
    [[], ["widget"]],
    [["chatgpt"], ["server"]],
  ]
  for (const window of windows) {
    for (const [platforms, sources] of filters) {
      const from = new Date(window.from)
      const to = new Date(window.to)
      const before = new Date(from.getTime() - (to.getTime() - from.getTime()))
      const service = yield* fromService(window, platforms, sources)
      const label = `${window.from}…${window.to} ${platforms.join(",")} ${sources.join(",")}`
      expect({ label, ...service.now }).toEqual({
        label,
        ...(yield* fromEvents(from, to, platforms, sources)),
      })
      expect({ label, ...service.before }).toEqual({
        label,
        ...(yield* fromEvents(before, from, platforms, sources)),
      })
    }
  }
})

/**
 * The charts of every window in several granularities and zones (Kathmandu: +5:45, so its hours
 * start at a quarter past), against `tool_call` rows of `events FINAL` grouped by their own
 * timestamp: the service groups by 15-minute bucket first.
 */
const compareCharts = Effect.gen(function* () {
  const ch = yield* ClickhouseClient
  for (const window of windows) {
    for (const [granularity, tz] of [
      ["hour", "UTC"],
      ["hour", "Asia/Kathmandu"],
      ["day", "America/St_Johns"],
      ["week", "Asia/Kathmandu"],
    ] as const) {
      const filter = yield* decodeFilter({ ...window, granularity, tz })
      const bucket =
        granularity === "hour"
          ? ch`toStartOfHour(timestamp, ${tz})`
          : granularity === "day"
            ? ch`toStartOfDay(timestamp, ${tz})`
            : ch`toStartOfWeek(timestamp, 1, ${tz})`
      const where = ch`workspace_id = ${scope.workspaceId} AND project_id = ${scope.projectId}
        AND event_type = 'tool_call'
        AND timestamp >= fromUnixTimestamp64Milli(toInt64(${ch.param("Float64", filter.from.getTime())}), 'UTC')
        AND timestamp < fromUnixTimestamp64Milli(toInt64(${ch.param("Float64", filter.to.getTime())}), 'UTC')`
      const time = yield* ch<{ bucket_ms: string; count: string }>`
        SELECT toString(toUnixTimestamp64Milli(toDateTime64(${bucket}, 3))) AS bucket_ms, toString(count()) AS count
        FROM events FINAL WHERE ${where} GROUP BY bucket_ms ORDER BY bucket_ms`
      const tools = yield* ch<{ key: string; count: string }>`
        SELECT toString(ifNull(event_name, '')) AS key, toString(count()) AS count
        FROM events FINAL WHERE ${where} GROUP BY key ORDER BY count() DESC, key`
      const charts = yield* (yield* Overview).charts(scope, filter)
      const label = `${window.from}…${window.to} ${granularity} ${tz}`
      expect({ label, time: charts.invocationsOverTime, tools: charts.topTools }).toEqual({
        label,
        time: time.map((row) => ({
          bucket: new Date(Number(row.bucket_ms)).toISOString(),
          count: Number(row.count),
        })),
        tools: tools.map((row) => ({ key: row.key, count: Number(row.count) })),
      })
    }
  }
})

const mergeEverything = Effect.gen(function* () {
  const ch = yield* ClickhouseClient
  for (const table of [
    "events",
    "counted_events_by_bucket",
    "session_activity",
    "session_buckets",
    "bucket_totals",
  ]) {
    yield* ch.asCommand(ch.unsafe(`OPTIMIZE TABLE ${table} FINAL`))
  }
})

layer(
  Layer.mergeAll(Overview.layer, Tools.layer, Errors.layer, Users.layer, fixture).pipe(
    Layer.provideMerge(chdbStore("analytics-rollups")),
  ),
  { timeout: 120_000 },
)("Rollups [chdb]", (it) => {
  it.effect("the rollups hold what events holds: both tables filled, the resent batch once", () =>
    Effect.gen(function* () {
      const ch = yield* ClickhouseClient
      const [row] = yield* ch<{ counted: string; events: string; keys: string; bucket_keys: string }>`
        SELECT (SELECT count() FROM counted_events_by_bucket FINAL WHERE project_id = 'prj_r') AS counted,
               (SELECT count() FROM events FINAL WHERE project_id = 'prj_r'
                 AND event_type IN ('tool_call', 'conversion', 'widget_error', 'step', 'widget_render',
                   'widget_click')) AS events,
               (SELECT uniqExact(session_key) FROM session_activity WHERE project_id = 'prj_r') AS keys,
               (SELECT uniqExact(session_key) FROM session_buckets WHERE project_id = 'prj_r') AS bucket_keys`
      expect(row).toEqual({ counted: "19", events: "19", keys: "7", bucket_keys: "7" })
    }),
  )

  it.effect("Overview KPIs equal the same definitions over events FINAL, before and after merges", () =>
    Effect.gen(function* () {
      yield* compareAll
      yield* mergeEverything
      yield* compareAll
    }),
  )

  it.effect(
    "Overview charts equal tool calls of events FINAL grouped by their own time, before and after merges",
    () =>
      Effect.gen(function* () {
        yield* compareCharts
        yield* mergeEverything
        yield* compareCharts
      }),
  )

  it.effect("a window with ragged edges: exact numbers from rollup and edges together", () =>
    Effect.gen(function* () {
      // [t0 + 7 min, t0 + 47.5 min): s1 from its 9-min call (error) to its conversion, s2, s3,
      // s7 (resent, counted once); not s4 (5.5 and 58 min) nor s6.
      const k = yield* (yield* Overview).kpis(scope, yield* decodeFilter(windows[0]!))
      expect(k.invocations.value).toBe(7)
      expect(k.errorRate.value).toBeCloseTo(3 / 7, 12)
      expect(k.conversions.value).toBe(2)
      expect(k.revenue.byCurrency).toEqual({ EUR: 110 })
      expect(k.sessions.value).toBe(4)
      expect(k.sessionConversionRate.value).toBe(0.5)
      expect(k.widgetEngagementRate.value).toBe(0.5)
      expect(k.identifiedSessionShare.value).toBe(0.75)
      const users = yield* (yield* Users).kpis(scope, yield* decodeFilter(windows[0]!))
      expect(users.activeUsers).toBe(3)
    }),
  )

  it.effect("Tools and the error list count the resent calls once", () =>
    Effect.gen(function* () {
      const filter = yield* decodeFilter(windows[0]!)
      const tools = yield* (yield* Tools).list(
        scope,
        filter,
        yield* decodePaging({ sort: "tool", order: "asc" }, TOOL_SORTS, "invocations"),
      )
      expect(tools.rows.map((row) => [row.tool, row.invocations, row.errorRate, row.zeroResultRate])).toEqual(
        [
          ["book", 2, 0.5, 0.5],
          ["list", 1, 1, 0],
          ["search", 4, 0.25, 0],
        ],
      )
      const list = yield* (yield* Errors).list(
        scope,
        filter,
        yield* decodePaging({}, ERROR_LIST_SORTS, "count"),
      )
      expect(list.rows.map((row) => [row.tool, row.category, row.message, row.count])).toEqual([
        ["book", "timeout", "slow", 1],
        ["list", "auth", "", 1],
        ["search", "timeout", "slow", 1],
      ])
    }),
  )

  // Last: it adds an event, which the exact figures of the tests above do not count.
  it.effect(
    "Overview from bucket totals: equal to events FINAL; a late event counts at once, a resend once",
    () =>
      Effect.gen(function* () {
        const totals = yield* BucketTotals
        const everything = [{ from: new Date(t0 - 2 * HOUR), to: new Date(t0 + 2 * HOUR), cur: 1 as const }]
        const staleOf = Effect.map(totals.plan(scope, everything), (plan) => ({
          calls: [...plan.stale.tool_call].sort(),
          conversions: [...plan.stale.conversion].sort(),
        }))
        // The pages above filled some buckets in the background; now every closed one.
        yield* totals.settled
        yield* totals.refresh(scope, everything)
        expect(yield* staleOf).toEqual({ calls: [], conversions: [] })
        const plan = yield* totals.plan(scope, everything)
        // Buckets with calls: t0 − 45 min, t0 − 15, t0, t0 + 15, t0 + 30, t0 + 45.
        expect(plan.fresh.tool_call.size).toBe(6)
        yield* compareAll
        yield* compareCharts

        // A call arriving late into a filled bucket, and the resent batch once more: its buckets
        // (calls at 44 and 46 min, the conversion at 47) hold a duplicate until parts merge, and
        // are read from the events until then.
        yield* totals.settled
        yield* insertRows(t0, tenant, [call("s9", 20 * MIN, "search", { platform: "vscode" })])
        yield* insertRows(t0, tenant, resentBatch)
        const resent = { calls: [t0 + 30 * MIN, t0 + 45 * MIN], conversions: [t0 + 45 * MIN] }
        expect(yield* staleOf).toEqual({ ...resent, calls: [t0 + 15 * MIN, ...resent.calls] })
        yield* compareAll
        yield* compareCharts

        yield* totals.settled
        yield* totals.refresh(scope, everything)
        expect(yield* staleOf).toEqual(resent)
        yield* compareAll
        yield* mergeEverything
        expect(yield* staleOf).toEqual({ calls: [], conversions: [] })
        yield* compareAll
        yield* compareCharts
      }),
  )
})
