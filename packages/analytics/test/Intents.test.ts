/** The Intents view on chDB: coverage per tool and the most frequent intent texts. */
import { expect, layer } from "@effect/vitest"
import { Effect, Layer } from "effect"
import { decodeFilter } from "../src/AnalyticsFilter.js"
import { Intents } from "../src/Intents.js"
import { chdbStore, insertRows, type Row } from "./support/store.js"

const HOUR = 60 * 60 * 1000
const t0 = Math.floor(Date.now() / HOUR) * HOUR - 2 * HOUR
const window = { from: new Date(t0).toISOString(), to: new Date(t0 + HOUR).toISOString() }
const scope = { workspaceId: "ws_i", projectId: "prj_i" }
const tenant = { workspace_id: "ws_i", project_id: "prj_i" }

const call = (tool: string, at: number, intent?: string, source = "context_parameter"): Row => ({
  session_id: "s",
  event_type: "tool_call",
  event_name: tool,
  status: "success",
  at,
  ...(intent === undefined ? {} : { intent_signals: JSON.stringify([{ source, text: intent }]) }),
})

const rows: ReadonlyArray<Row> = [
  call("search_rooms", 0, "find a cheap room in Lisbon"),
  call("search_rooms", 1000, "find a cheap room in Lisbon"),
  call("search_rooms", 2000, "compare hotels", "inferred"),
  call("search_rooms", 3000),
  call("get_weather", 4000),
  { ...call("search_rooms", 5000, "secret"), workspace_id: "ws_other", project_id: "prj_other" },
]

layer(
  Layer.mergeAll(Intents.layer, Layer.effectDiscard(insertRows(t0, tenant, rows))).pipe(
    Layer.provideMerge(chdbStore("analytics-intents")),
  ),
  { timeout: 120_000 },
)("Intents [chdb]", (it) => {
  it.effect("coverage per tool and the most frequent texts with their source", () =>
    Effect.gen(function* () {
      const intents = yield* Intents
      const filter = yield* decodeFilter(window)
      expect(yield* intents.coverage(scope, filter)).toEqual([
        { tool: "search_rooms", calls: 4, withIntent: 3, share: 0.75 },
        { tool: "get_weather", calls: 1, withIntent: 0, share: 0 },
      ])
      const top = yield* intents.top(scope, filter)
      expect(top.map(({ lastSeen: _, ...r }) => r)).toEqual([
        { tool: "search_rooms", text: "find a cheap room in Lisbon", source: "context_parameter", count: 2 },
        { tool: "search_rooms", text: "compare hotels", source: "inferred", count: 1 },
      ])
      expect(top[0]?.lastSeen).toBe(new Date(t0 + 1000).toISOString())
      expect(yield* intents.top(scope, filter, "get_weather")).toEqual([])
    }),
  )
})
