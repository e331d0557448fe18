/** The shared filters of dashboard.md §3.1: defaults, auto granularity, and each bad input's code. */
import { describe, expect, it } from "@effect/vitest"
import { Effect, Either } from "effect"
import { decodeFilter, previousWindow } from "../src/AnalyticsFilter.js"

const now = new Date("2026-11-25T12:00:00.000Z")
const codeOf = (input: Parameters<typeof decodeFilter>[0]) =>
  Effect.runSync(
    decodeFilter(input, now).pipe(
      Effect.either,
      Effect.map((result) => (Either.isLeft(result) ? result.left.code : "ok")),
    ),
  )

describe("analytics filters", () => {
  it("defaults: the last 7 days up to now, day buckets, every platform and source, UTC", () => {
    const filter = Effect.runSync(decodeFilter({}, now))
    expect(filter).toEqual({
      from: new Date("2026-11-18T12:00:00.000Z"),
      to: now,
      platforms: [],
      granularity: "day",
      sources: [],
      tz: "UTC",
      traits: [],
    })
  })

  it.each([
    [{ from: "2026-11-25T00:00:00Z", to: "2026-11-25T12:00:00Z" }, "hour"],
    [{ from: "2026-11-01T00:00:00Z", to: "2026-11-25T00:00:00Z" }, "day"],
    [{ from: "2026-08-01T00:00:00Z", to: "2026-11-25T00:00:00Z" }, "week"],
    [{ from: "2026-08-01T00:00:00Z", to: "2026-11-25T00:00:00Z", granularity: "month" }, "month"],
  ])("granularity for %j is %s", (input, granularity) => {
    expect(Effect.runSync(decodeFilter(input, now)).granularity).toBe(granularity)
  })

  it.each([
    [{ from: "last week" }, "YAVIO-3400"],
    [{ from: "2026" }, "YAVIO-3400"],
    [{ from: "2026-11-25T12:00:00Z", to: "2026-11-25T12:00:00Z" }, "YAVIO-3400"],
    [{ from: "2026-11-26T00:00:00Z", to: "2026-11-25T00:00:00Z" }, "YAVIO-3400"],
    [{ tz: "Mars/Olympus" }, "YAVIO-3400"],
    [{ granularity: "minute" }, "YAVIO-3401"],
    [{ platforms: ["chatgpt", "myspace"] }, "YAVIO-3402"],
    [{ sources: ["browser"] }, "YAVIO-3402"],
    [{ platforms: ["chatgpt", "claude"], sources: ["widget"], tz: "Europe/Rome" }, "ok"],
    [{ traits: [{ key: " ", value: "pro" }] }, "YAVIO-3407"],
    [{ traits: [{ key: "k".repeat(129), value: "pro" }] }, "YAVIO-3407"],
    [{ traits: [{ key: "plan", value: "v".repeat(513) }] }, "YAVIO-3407"],
    [{ traits: Array.from({ length: 6 }, (_, i) => ({ key: `k${i}`, value: "x" })) }, "YAVIO-3407"],
    [
      {
        traits: [
          { key: "plan", value: "" },
          { key: "seats", value: "3" },
        ],
      },
      "ok",
    ],
  ])("%j → %s", (input, code) => {
    expect(codeOf(input)).toBe(code)
  })

  it("the previous window has the same length and ends where this one starts", () => {
    const filter = Effect.runSync(
      decodeFilter({ from: "2026-11-20T00:00:00Z", to: "2026-11-25T00:00:00Z" }, now),
    )
    const previous = previousWindow(filter)
    expect(previous.from.toISOString()).toBe("2026-11-15T00:00:00.000Z")
    expect(previous.to.toISOString()).toBe("2026-11-20T00:00:00.000Z")
  })
})
