import { ClickhouseClient } from "@effect/sql-clickhouse/ClickhouseClient"
import { expect, layer } from "@effect/vitest"
import { Effect, Layer } from "effect"
import { ClickhouseMigrator } from "../src/ClickhouseMigrator.js"
import { SessionAggregates } from "../src/SessionAggregates.js"
import { UserAggregates } from "../src/UserAggregates.js"
import { clickhouseBackends, resetDatabase } from "./support/clickhouseBackends.js"
import { clockFrom, countOf, insertEvents, makeEvent } from "./support/events.js"

const { at } = clockFrom()
const session = { workspace_id: "ws_dup", project_id: "prj_dup", session_id: "ses_dup" }

/** One SDK batch; a retry sends exactly these rows again, event_ids included. */
const batch = [
  makeEvent(session, { event_type: "tool_call", timestamp: at(0), event_name: "search", user_id: "u1" }),
  makeEvent(session, { event_type: "tool_call", timestamp: at(1_000), event_name: "search", user_id: "u1" }),
  makeEvent(session, { event_type: "tool_call", timestamp: at(2_000), event_name: "book", user_id: "u1" }),
  makeEvent(session, {
    event_type: "conversion",
    timestamp: at(3_000),
    event_name: "booking",
    conversion_value: 99,
    conversion_currency: "USD",
    user_id: "u1",
  }),
  makeEvent(session, { event_type: "widget_render", timestamp: at(4_000), source: "widget", user_id: "u1" }),
]

const where = "workspace_id = 'ws_dup' AND project_id = 'prj_dup'"

/** The shapes the dashboard's queries take: FINAL for row counts and sums, uniqExact for distinct events. */
const dashboardQueries = Effect.gen(function* () {
  const ch = yield* ClickhouseClient
  const [totals] = yield* ch.unsafe<{
    events: number
    invocations: number
    sessions: number
    distinct: number
  }>(`
    SELECT
      toUInt32(count()) AS events,
      toUInt32(countIf(event_type = 'tool_call')) AS invocations,
      toUInt32(uniqExact(session_id)) AS sessions,
      toUInt32((SELECT uniqExact(event_id) FROM events WHERE ${where})) AS distinct
    FROM events FINAL WHERE ${where}`)
  const revenue = yield* ch.unsafe<{ currency: string; total: number }>(`
    SELECT conversion_currency AS currency, sum(conversion_value) AS total
    FROM events FINAL WHERE ${where} AND event_type = 'conversion' GROUP BY currency`)
  const [session] = yield* (yield* SessionAggregates).list({ workspaceId: "ws_dup", projectId: "prj_dup" })
  const [user] = yield* (yield* UserAggregates).list({ workspaceId: "ws_dup", projectId: "prj_dup" })
  return { totals, revenue, session, user }
})

const expected = {
  totals: { events: 5, invocations: 3, sessions: 1, distinct: 5 },
  revenue: [{ currency: "USD", total: 99 }],
  session: expect.objectContaining({
    eventCount: 5,
    invocationCount: 3,
    toolCount: 2,
    conversionCount: 1,
    revenue: { USD: 99 },
  }),
  user: expect.objectContaining({
    totalEvents: 5,
    totalToolCalls: 3,
    totalConversions: 1,
    revenue: { USD: 99 },
  }),
}

for (const backend of clickhouseBackends("ch-dedup")) {
  const label = backend.label
  const readers = Layer.mergeAll(SessionAggregates.layer, UserAggregates.layer, ClickhouseMigrator.layer)
  layer(readers.pipe(Layer.provideMerge(backend.layer)), {
    timeout: "60 seconds",
    excludeTestServices: true,
  })(`event deduplication [${label}]`, (it) => {
    it.effect(`the same batch inserted three times counts once [${label}]`, () =>
      Effect.gen(function* () {
        yield* resetDatabase
        yield* Effect.flatMap(ClickhouseMigrator, (m) => m.run)
        const ch = yield* ClickhouseClient
        // Hold merges so the duplicates are certainly on disk while the queries run.
        yield* ch.asCommand(ch.unsafe("SYSTEM STOP MERGES events"))
        for (let attempt = 0; attempt < 3; attempt++) yield* insertEvents(batch)

        expect(yield* countOf(`SELECT count() FROM events WHERE ${where}`)).toBe(15)
        expect(yield* dashboardQueries).toEqual(expected)

        yield* ch.asCommand(ch.unsafe("SYSTEM START MERGES events"))
        yield* ch.asCommand(ch.unsafe("OPTIMIZE TABLE events FINAL"))
        expect(yield* countOf(`SELECT count() FROM events WHERE ${where}`)).toBe(5)
        expect(yield* dashboardQueries).toEqual(expected)
      }),
    )
  })
}
