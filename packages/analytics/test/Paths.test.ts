/** The Paths view (dashboard.md §3.6) against a hand-written fixture with exact links, on chDB. */
import { expect, layer } from "@effect/vitest"
import { Effect, Layer } from "effect"
import { decodeFilter } from "../src/AnalyticsFilter.js"
import { Paths } from "../src/Paths.js"
import { chdbStore, insertRows, type Row } from "./support/store.js"

const H = 60 * 60 * 1000
const t0 = Math.floor(Date.now() / H) * H - 2 * H
const window = { from: new Date(t0).toISOString(), to: new Date(t0 + H).toISOString() }
const main = { workspace_id: "ws_p", project_id: "prj_p" }
const traited = { workspace_id: "ws_p", project_id: "prj_traits" }
const many = { workspace_id: "ws_p", project_id: "prj_many" }
const scope = { workspaceId: "ws_p", projectId: "prj_p" }

/** A session's events in order, one second apart; `[type, name, step_sequence?]`. */
const session = (
  id: string,
  events: ReadonlyArray<readonly [string, string, number?]>,
  sameTime = false,
): Row[] =>
  events.map(([event_type, event_name, step_sequence], i) => ({
    session_id: id,
    event_type,
    event_name,
    at: sameTime ? 1000 : 1000 * (i + 1),
    ...(step_sequence === undefined ? {} : { step_sequence }),
  }))

const rows: ReadonlyArray<Row> = [
  ...session("s1", [
    ["tool_call", "search"],
    ["tool_call", "search"],
    ["tool_call", "book"],
    ["conversion", "booking"],
  ]),
  ...session("s2", [
    ["tool_call", "search"],
    ["step", "room_chosen", 0],
  ]),
  ...session("s3", [
    ["tool_call", "search"],
    ["tool_call", "book"],
  ]),
  ...session(
    "s4",
    Array.from({ length: 8 }, (_, i) => ["tool_call", `t${i + 1}`] as const),
  ),
  ...session("s5", [["conversion", "booking"]]),
  // same timestamp: step_sequence decides
  ...session(
    "s6",
    [
      ["step", "a", 1],
      ["step", "b", 0],
    ],
    true,
  ),
]

// 55 sessions with distinct first links + the 5 above would exceed 50 links at depth 1.
const crowd: ReadonlyArray<Row> = Array.from({ length: 55 }, (_, i) =>
  session(`m${String(i).padStart(2, "0")}`, [
    ["tool_call", `m${String(i).padStart(2, "0")}`],
    ["tool_call", "n"],
  ]),
).flat()

/** Two users' sessions; the first identifies after its first call (stitched to its user). */
const traitRows: ReadonlyArray<Row> = [
  ...session("ta", [
    ["tool_call", "search"],
    ["identify", ""],
    ["tool_call", "book"],
  ]).map((row) =>
    row.event_type === "identify" ? { ...row, user_id: "ua", user_traits: '{"plan":"pro"}' } : row,
  ),
  ...session("tb", [
    ["identify", ""],
    ["tool_call", "list"],
    ["tool_call", "search"],
  ]).map((row) => ({
    ...row,
    user_id: "ub",
    ...(row.event_type === "identify" ? { user_traits: '{"plan":"free"}' } : {}),
  })),
]

layer(
  Layer.mergeAll(
    Paths.layer,
    Layer.effectDiscard(
      Effect.all([
        insertRows(t0, main, rows),
        insertRows(t0, many, crowd),
        insertRows(t0, traited, traitRows),
      ]),
    ),
  ).pipe(Layer.provideMerge(chdbStore("analytics-paths"))),
  { timeout: 120_000 },
)("Paths [chdb]", (it) => {
  it.effect("links per depth: order, repeats, depth 6, conversion or drop-off at the end", () =>
    Effect.gen(function* () {
      const paths = yield* Paths
      const links = yield* paths.links(scope, yield* decodeFilter(window))
      expect(links.map((l) => [l.depth, l.from, l.to, l.sessions])).toEqual([
        [1, "b", "a", 1],
        [1, "search", "book", 1],
        [1, "search", "room_chosen", 1],
        [1, "search", "search", 1],
        [1, "t1", "t2", 1],
        [2, "a", "drop-off", 1],
        [2, "book", "drop-off", 1],
        [2, "room_chosen", "drop-off", 1],
        [2, "search", "book", 1],
        [2, "t2", "t3", 1],
        [3, "book", "booking", 1],
        [3, "t3", "t4", 1],
        [4, "t4", "t5", 1],
        [5, "t5", "t6", 1],
        [6, "t6", "drop-off", 1],
      ])
    }),
  )

  it.effect("start and end filters", () =>
    Effect.gen(function* () {
      const paths = yield* Paths
      const filter = yield* decodeFilter(window)
      const fromSearch = yield* paths.links(scope, filter, { startTool: "search" })
      expect(fromSearch.filter((l) => l.depth === 1).map((l) => l.to)).toEqual([
        "book",
        "room_chosen",
        "search",
      ])
      const endingInBook = yield* paths.links(scope, filter, { endTool: "book" })
      expect(endingInBook.filter((l) => l.depth === 1).map((l) => `${l.from}>${l.to}`)).toEqual([
        "search>book",
        "search>search",
      ])
      const converted = yield* paths.links(scope, filter, { endTool: "booking" })
      expect(converted.map((l) => `${l.depth}:${l.from}>${l.to}`)).toEqual([
        "1:search>search",
        "2:search>book",
        "3:book>booking",
      ])
    }),
  )

  it.effect("beyond 50 links at a depth, the lightest merge into one `other` link", () =>
    Effect.gen(function* () {
      const paths = yield* Paths
      const links = yield* paths.links(
        { workspaceId: "ws_p", projectId: "prj_many" },
        yield* decodeFilter(window),
      )
      const first = links.filter((l) => l.depth === 1)
      expect(first).toHaveLength(51)
      expect(first[0]).toEqual({ depth: 1, from: "other", to: "other", sessions: 5 })
      expect(first.slice(1).every((l) => l.sessions === 1 && l.to === "n")).toBe(true)
      expect(links.filter((l) => l.depth === 2)).toEqual([
        { depth: 2, from: "n", to: "drop-off", sessions: 55 },
      ])
    }),
  )

  it.effect("user-trait filter: only sessions whose user's latest traits match", () =>
    Effect.gen(function* () {
      const paths = yield* Paths
      const linksOf = (value: string) =>
        Effect.flatMap(decodeFilter({ ...window, traits: [{ key: "plan", value }] }), (filter) =>
          paths.links({ workspaceId: "ws_p", projectId: "prj_traits" }, filter),
        )
      expect((yield* linksOf("pro")).map((l) => [l.depth, l.from, l.to, l.sessions])).toEqual([
        [1, "search", "book", 1],
        [2, "book", "drop-off", 1],
      ])
      expect((yield* linksOf("free")).map((l) => [l.depth, l.from, l.to, l.sessions])).toEqual([
        [1, "list", "search", 1],
        [2, "search", "drop-off", 1],
      ])
      expect(yield* linksOf("enterprise")).toEqual([])
    }),
  )
})
