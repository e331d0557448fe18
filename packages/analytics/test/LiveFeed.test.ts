/**
 * The live stream's frames (dashboard.md §3.8) on chDB, time moved by the TestClock: a new event
 * arrives within a poll, an idle stream sends a heartbeat after 15 s and not before, a failed
 * poll ends the stream with one `YAVIO-3501` error frame.
 */
import { ClickhouseClient } from "@effect/sql-clickhouse/ClickhouseClient"
import { expect, layer } from "@effect/vitest"
import { Clock, Effect, Fiber, Layer, Option, Queue, Stream, TestClock, TestServices } from "effect"
import { LIVE_HEARTBEAT_MS, LIVE_POLL_MS, liveFrames } from "../src/LiveFeedHttp.js"
import { Timeline } from "../src/Timeline.js"
import { chdbStore, insertRows } from "./support/store.js"

const tenant = { workspace_id: "ws_live", project_id: "prj_live" }
const scope = { workspaceId: "ws_live", projectId: "prj_live" }
const decoder = new TextDecoder()

/** The stream's frames as text, in a queue the test takes from; the fiber runs until interrupted. */
const open = Effect.gen(function* () {
  const timeline = yield* Timeline
  const frames = yield* Queue.unbounded<string>()
  const fiber = yield* Effect.fork(
    Stream.runForEach(liveFrames(scope, timeline, undefined, undefined), (frame) =>
      Queue.offer(frames, decoder.decode(frame)),
    ),
  )
  return { frames, fiber }
})

/**
 * Moves the clock a step at a time until a frame matching `match` arrives (others are skipped):
 * each poll is a real query, so after each step the test waits for a frame on the live clock, a
 * little while, before the next step. Fails after 200 steps instead of hanging.
 */
const until = (frames: Queue.Queue<string>, step: number, match: (frame: string) => boolean) =>
  Effect.gen(function* () {
    for (let i = 0; i < 200; i++) {
      yield* TestClock.adjust(step)
      while (true) {
        const got = yield* TestServices.provideLive(Effect.timeoutOption(Queue.take(frames), "150 millis"))
        if (Option.isNone(got)) break
        if (match(got.value)) return got.value
      }
    }
    return yield* Effect.dieMessage("no matching frame in 200 steps")
  })

const dataOf = (frame: string): Record<string, unknown> => JSON.parse(frame.split("data: ")[1]!)

layer(Timeline.layer.pipe(Layer.provideMerge(chdbStore("analytics-live"))), { timeout: 60_000 })(
  "live frames [chdb]",
  (it) => {
    it.effect("an event sent after the stream opened arrives with a poll", () =>
      Effect.gen(function* () {
        const { frames, fiber } = yield* open
        yield* insertRows(Date.now(), tenant, [
          { session_id: "s1", event_type: "tool_call", event_name: "search", at: 0 },
        ])
        const frame = yield* until(frames, LIVE_POLL_MS, (f) => f.includes("event: event"))
        expect(frame).toMatch(/^id: \d+_[\w-]+\nevent: event\n/)
        expect(dataOf(frame)).toMatchObject({ eventType: "tool_call", eventName: "search", sessionId: "s1" })
        yield* Fiber.interrupt(fiber)
      }),
    )

    it.effect("an idle stream sends a heartbeat 15 s after its last frame, not before", () =>
      Effect.gen(function* () {
        const { frames, fiber } = yield* open
        const started = Date.parse(new Date(yield* Clock.currentTimeMillis).toISOString())
        const frame = yield* until(frames, 1_000, (f) => f.startsWith("event: heartbeat"))
        const at = Date.parse(String(dataOf(frame).timestamp))
        expect(at - started).toBeGreaterThanOrEqual(LIVE_HEARTBEAT_MS)
        // The next one 15 s later again, with nothing in between.
        const again = yield* until(frames, 1_000, (f) => !f.startsWith("retry:"))
        expect(again).toMatch(/^event: heartbeat\n/)
        expect(Date.parse(String(dataOf(again).timestamp)) - at).toBeGreaterThanOrEqual(LIVE_HEARTBEAT_MS)
        yield* Fiber.interrupt(fiber)
      }),
    )

    it.effect("a failed poll sends one YAVIO-3501 error frame and ends the stream", () =>
      Effect.gen(function* () {
        const ch = yield* ClickhouseClient
        const { frames, fiber } = yield* open
        // The store loses the table the poll reads (a real failure, no stand-in).
        yield* ch.asCommand(ch`RENAME TABLE events TO events_gone`)
        const frame = yield* until(frames, LIVE_POLL_MS, (f) => f.startsWith("event: error"))
        expect(dataOf(frame)).toMatchObject({ code: "YAVIO-3501" })
        yield* Fiber.join(fiber)
        yield* ch.asCommand(ch`RENAME TABLE events_gone TO events`)
      }),
    )
  },
)
