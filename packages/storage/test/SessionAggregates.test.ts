import { ClickhouseClient } from "@effect/sql-clickhouse/ClickhouseClient"
import { expect, layer } from "@effect/vitest"
import { Effect, Layer } from "effect"
import { ClickhouseMigrator } from "../src/ClickhouseMigrator.js"
import { SessionAggregates } from "../src/SessionAggregates.js"
import { UserAggregates } from "../src/UserAggregates.js"
import { clickhouseBackends, resetDatabase } from "./support/clickhouseBackends.js"
import { clockFrom, countOf, type EventRow, insertEvents, makeEvent } from "./support/events.js"

const tenant = { workspace_id: "ws_agg", project_id: "prj_agg" }
const session = { ...tenant, session_id: "ses_1" }
const clock = clockFrom()
const { at, t0 } = clock
const e = (fields: Parameters<typeof makeEvent>[1]) => makeEvent(session, fields)

/**
 * One session's events, written the way ingest writes them: in separate inserts, so
 * `sessions_agg` first holds one partial row per insert and only a merge combines them.
 */
const inserts: ReadonlyArray<ReadonlyArray<EventRow>> = [
  [
    e({
      event_type: "connection",
      timestamp: at(0),
      platform: "chatgpt",
      country_code: "FR",
      client_name: "ChatGPT",
    }),
    e({
      event_type: "tool_call",
      timestamp: at(1_000),
      event_name: "search_hotels",
      latency_ms: 120,
      status: "success",
    }),
    e({
      event_type: "tool_call",
      timestamp: at(2_000),
      event_name: "search_hotels",
      user_id: "early_user",
      status: "success",
    }),
  ],
  [
    e({
      event_type: "tool_call",
      timestamp: at(5_000),
      event_name: "book_room",
      status: "error",
      platform: "chatgpt",
    }),
    e({ event_type: "widget_render", timestamp: at(6_000), source: "widget", viewport_width: 390 }),
    e({
      event_type: "widget_click",
      timestamp: at(6_750),
      source: "widget",
      event_name: "book",
      click_count: 1,
    }),
    e({
      event_type: "widget_click",
      timestamp: at(8_000),
      source: "widget",
      event_name: "confirm",
      click_count: 1,
    }),
  ],
  [
    e({
      event_type: "conversion",
      timestamp: at(10_000),
      event_name: "booking",
      conversion_value: 49.5,
      conversion_currency: "USD",
    }),
    e({
      event_type: "conversion",
      timestamp: at(12_000),
      event_name: "upsell",
      conversion_value: 20,
      conversion_currency: "EUR",
    }),
    e({
      event_type: "conversion",
      timestamp: at(13_000),
      event_name: "extra",
      conversion_value: 10.5,
      conversion_currency: "USD",
      user_id: "user_42",
      user_traits: '{"plan":"free"}',
      platform: "chatgpt",
      country_code: "DE",
    }),
  ],
  [
    e({
      event_type: "identify",
      timestamp: at(14_000),
      user_id: "user_42",
      user_traits: '{"plan":"pro"}',
      platform: "chatgpt",
      country_code: "DE",
    }),
    // A later anonymous event: the session's user stays the last non-null one.
    e({ event_type: "track", timestamp: at(16_000), event_name: "left_page" }),
  ],
]

// Noise the filters must keep out: another session of the project, another project.
const noise = [
  makeEvent(
    { ...tenant, session_id: "ses_2" },
    { event_type: "tool_call", timestamp: at(3_000), event_name: "x" },
  ),
  makeEvent(
    { workspace_id: "ws_agg", project_id: "prj_other", session_id: "ses_1" },
    { event_type: "tool_call", timestamp: at(3_000), event_name: "y" },
  ),
]

const expectedSession = {
  workspaceId: "ws_agg",
  projectId: "prj_agg",
  sessionId: "ses_1",
  userId: "user_42",
  sessionStart: new Date(t0),
  sessionEnd: new Date(t0 + 16_000),
  durationMs: 16_000,
  platform: "chatgpt",
  countryCode: "DE",
  toolCount: 2,
  invocationCount: 3,
  eventCount: 12,
  conversionCount: 3,
  revenue: { USD: 60, EUR: 20 },
  hasWidget: true,
  ttfiMs: 750,
}

const expectedUsers = [
  {
    workspaceId: "ws_agg",
    projectId: "prj_agg",
    userId: "user_42",
    firstSeen: new Date(t0 + 13_000),
    lastSeen: new Date(t0 + 14_000),
    totalEvents: 2,
    totalSessions: 1,
    totalToolCalls: 0,
    totalConversions: 1,
    revenue: { USD: 10.5 },
    latestTraits: { plan: "pro" },
    lastPlatform: "chatgpt",
    lastCountry: "DE",
  },
  {
    workspaceId: "ws_agg",
    projectId: "prj_agg",
    userId: "early_user",
    firstSeen: new Date(t0 + 2_000),
    lastSeen: new Date(t0 + 2_000),
    totalEvents: 1,
    totalSessions: 1,
    totalToolCalls: 1,
    totalConversions: 0,
    revenue: {},
    latestTraits: null,
    lastPlatform: null,
    lastCountry: null,
  },
]

const readAll = Effect.gen(function* () {
  const sessions = yield* (yield* SessionAggregates).list({ workspaceId: "ws_agg", projectId: "prj_agg" })
  const users = yield* (yield* UserAggregates).list({ workspaceId: "ws_agg", projectId: "prj_agg" })
  return { sessions, users }
})

for (const backend of clickhouseBackends("ch-aggregates")) {
  const label = backend.label
  const readers = Layer.mergeAll(SessionAggregates.layer, UserAggregates.layer, ClickhouseMigrator.layer)
  layer(readers.pipe(Layer.provideMerge(backend.layer)), {
    timeout: "60 seconds",
    excludeTestServices: true,
  })(`session aggregates [${label}]`, (it) => {
    it.effect(`every sessions_mv and users_mv column is right across inserts and merges [${label}]`, () =>
      Effect.gen(function* () {
        yield* resetDatabase
        yield* Effect.flatMap(ClickhouseMigrator, (m) => m.run)
        const ch = yield* ClickhouseClient
        const tables = ["events", "sessions_agg", "users_agg"]
        const partialRows = countOf(
          "SELECT count() FROM sessions_agg WHERE session_id = 'ses_1' AND project_id = 'prj_agg'",
        )
        // Merges held, so the reads below certainly see one partial row per insert.
        for (const table of tables) yield* ch.asCommand(ch.unsafe(`SYSTEM STOP MERGES ${table}`))
        for (const rows of inserts) yield* insertEvents(rows)
        yield* insertEvents(noise)
        expect(yield* partialRows).toBe(inserts.length)
        const beforeMerge = yield* readAll

        for (const table of tables) {
          yield* ch.asCommand(ch.unsafe(`SYSTEM START MERGES ${table}`))
          yield* ch.asCommand(ch.unsafe(`OPTIMIZE TABLE ${table} FINAL`))
        }
        expect(yield* partialRows).toBe(1)
        const afterMerge = yield* readAll

        for (const { sessions, users } of [beforeMerge, afterMerge]) {
          expect(sessions.map((s) => s.sessionId)).toEqual(["ses_1", "ses_2"])
          expect(sessions[0]).toEqual(expectedSession)
          expect(sessions[1]).toMatchObject({
            eventCount: 1,
            hasWidget: false,
            ttfiMs: null,
            userId: null,
            revenue: {},
          })
          expect(users).toEqual(expectedUsers)
        }

        const one = yield* (yield* SessionAggregates).list({
          workspaceId: "ws_agg",
          projectId: "prj_agg",
          sessionIds: ["ses_2"],
        })
        expect(one.map((s) => s.sessionId)).toEqual(["ses_2"])
        const window = yield* (yield* SessionAggregates).list({
          workspaceId: "ws_agg",
          projectId: "prj_agg",
          startedFrom: new Date(t0 + 1),
        })
        expect(window.map((s) => s.sessionId)).toEqual(["ses_2"])
      }),
    )
  })
}
