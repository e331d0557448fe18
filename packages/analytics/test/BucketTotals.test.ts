/** How a page's whole buckets split between stored totals and events (`splitWhole`). */
import { describe, expect, it } from "@effect/vitest"
import { splitWhole } from "../src/BucketTotals.js"

const Q = 15 * 60 * 1000
const t0 = Date.UTC(2026, 11, 1)
const at = (n: number) => t0 + n * Q
const range = (from: number, to: number, cur: 0 | 1 = 1) => ({
  from: new Date(at(from)),
  to: new Date(at(to)),
  cur,
})
const shown = (split: ReturnType<typeof splitWhole>) => ({
  totals: split.totals.map((r) => [(r.from.getTime() - t0) / Q, (r.to.getTime() - t0) / Q, r.cur]),
  events: split.events.map((r) => [(r.from.getTime() - t0) / Q, (r.to.getTime() - t0) / Q, r.cur]),
})

describe("splitWhole", () => {
  it("stale buckets are read from events, holding ones from totals, empty ones join the run they are in", () => {
    // Buckets 0–9: 1 and 2 stale, 5 holds, the rest empty (3 and 4 cost nothing from events).
    const split = splitWhole([range(0, 10)], new Set([at(1), at(2)]), new Set([at(5)]))
    expect(shown(split)).toEqual({
      totals: [
        [0, 1, 1],
        [5, 10, 1],
      ],
      events: [[1, 5, 1]],
    })
  })

  it("keeps each window's flag", () => {
    const split = splitWhole([range(0, 4, 0), range(4, 8, 1)], new Set([at(3), at(4)]), new Set())
    expect(shown(split)).toEqual({
      totals: [[0, 3, 0]],
      events: [
        [3, 4, 0],
        [4, 8, 1],
      ],
    })
  })

  it("beyond 16 runs of stale buckets, one range of events from the first to the last", () => {
    // Every other bucket stale: 20 runs of one.
    const stale = new Set(Array.from({ length: 20 }, (_, i) => at(2 + 2 * i)))
    const fresh = new Set(Array.from({ length: 20 }, (_, i) => at(3 + 2 * i)))
    const split = splitWhole([range(0, 50)], stale, fresh)
    expect(shown(split)).toEqual({
      totals: [
        [0, 2, 1],
        [41, 50, 1],
      ],
      events: [[2, 41, 1]],
    })
  })
})
