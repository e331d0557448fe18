/** The number and date formats of dashboard.md §5.7, and the URL filters of §3.1. */
import { describe, expect, it, vi } from "vitest"
import { fromLocalInput, toLocalInput } from "../src/components/views/FilterBar"
import { eventKind } from "../src/lib/views/eventKind"
import {
  DASH,
  formatAxisDate,
  formatBytes,
  formatCount,
  formatDuration,
  formatLatency,
  formatPercent,
  formatRevenue,
  formatTimestamp,
  formatTooltipDate,
  formatTrend,
  heatOpacity,
  trendTone,
} from "../src/lib/views/format"
import { parseSseChunk } from "../src/lib/views/liveStream"
import {
  FILTER_DEBOUNCE_MS,
  fillBuckets,
  filterOf,
  granularityOf,
  pagingOf,
  settleFilters,
  traitOf,
  validateViewSearch,
} from "../src/lib/views/search"

describe("number formats (§5.7)", () => {
  it("counts: separators up to 10K, abbreviated above", () => {
    expect(formatCount(0)).toBe("0")
    expect(formatCount(9_999)).toBe("9,999")
    expect(formatCount(10_000)).toBe("10K")
    expect(formatCount(45_300)).toBe("45.3K")
    expect(formatCount(1_247_892)).toBe("1.2M")
    expect(formatCount(3_400_000_000)).toBe("3.4B")
    expect(formatCount(null)).toBe(DASH)
  })

  it("percent with one decimal; a zero-denominator ratio (null) is a dash", () => {
    expect(formatPercent(0.123)).toBe("12.3%")
    expect(formatPercent(1 / 3)).toBe("33.3%")
    expect(formatPercent(0)).toBe("0.0%")
    expect(formatPercent(null)).toBe(DASH)
  })

  it("latency in ms with its unit, durations growing into s / m / h", () => {
    expect(formatLatency(142.4)).toBe("142ms")
    expect(formatLatency(1240)).toBe("1,240ms")
    expect(formatDuration(800)).toBe("800ms")
    expect(formatDuration(4200)).toBe("4.2s")
    expect(formatDuration(192_000)).toBe("3m 12s")
    expect(formatDuration(2 * 3600_000 + 5 * 60_000)).toBe("2h 5m")
  })

  it("revenue: currency symbol and two decimals", () => {
    expect(formatRevenue(1234.56, "USD")).toBe("$1,234.56")
    expect(formatRevenue(120, "EUR")).toBe("€120.00")
    expect(formatRevenue(null, "USD")).toBe(DASH)
  })

  it("bytes", () => {
    expect(formatBytes(512)).toBe("512 B")
    expect(formatBytes(1536)).toBe("1.5 KB")
  })

  it("trend arrows and their meaning", () => {
    expect(formatTrend(0.123)).toBe("▲ 12.3%")
    expect(formatTrend(-0.04)).toBe("▼ 4.0%")
    expect(formatTrend(null)).toBeNull()
    expect(trendTone(0.1, false)).toBe("good")
    expect(trendTone(0.1, true)).toBe("bad")
    expect(trendTone(-0.1, true)).toBe("good")
    expect(trendTone(0, false)).toBe("flat")
  })

  it("dates: axis `Feb 14`, tooltip `February 14, 2026`, relative under 24 h", () => {
    const at = new Date(2026, 1, 14, 10, 32).toISOString()
    expect(formatAxisDate(at)).toBe("Feb 14")
    expect(formatTooltipDate(at)).toBe("February 14, 2026")
    const now = new Date(2026, 1, 14, 10, 35).getTime()
    expect(formatTimestamp(at, now)).toBe("3m ago")
    expect(formatTimestamp(at, now + 5 * 3600_000)).toBe("5h ago")
    expect(formatTimestamp(at, now + 2 * 24 * 3600_000)).toBe("Feb 14, 10:32 AM")
  })

  it("retention heatmap opacity steps", () => {
    expect([0, 0.05, 0.2, 0.21, 0.4, 0.6, 0.8, 0.81, 1].map(heatOpacity)).toEqual([
      0, 0.1, 0.1, 0.25, 0.25, 0.4, 0.6, 0.8, 0.8,
    ])
  })
})

describe("URL filters (§3.1)", () => {
  it("keeps valid keys, drops the rest", () => {
    expect(
      validateViewSearch({
        range: "30d",
        page: "2",
        pageSize: 0,
        order: "sideways",
        granularity: "day",
        sort: "tool",
      }),
    ).toEqual({ range: "30d", page: 2, granularity: "day", sort: "tool" })
  })

  it("turns a preset into a range ending now, platforms into a set", () => {
    const now = Date.UTC(2026, 1, 17)
    const filter = filterOf({ range: "24h", platform: "claude,chatgpt", source: "widget" }, now)
    expect(filter.from).toBe(new Date(now - 24 * 3600_000).toISOString())
    expect(filter.to).toBe(new Date(now).toISOString())
    expect(filter.platforms).toEqual(["claude", "chatgpt"])
    expect(filter.sources).toEqual(["widget"])
    expect(filterOf({ range: "custom", from: "2026-02-01T00:00:00.000Z" }, now).from).toBe(
      "2026-02-01T00:00:00.000Z",
    )
    expect(pagingOf({})).toEqual({ page: 1, pageSize: 25 })
  })

  it("the custom range's fields are local time; the URL keeps the UTC instant", () => {
    const iso = "2026-02-10T08:30:00.000Z"
    const local = toLocalInput(iso)
    expect(local).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/)
    // Whatever this machine's zone, the field's value reads back as the same instant.
    expect(fromLocalInput(local)).toBe(iso)
    const offset = new Date(iso).getTimezoneOffset()
    expect(Date.parse(`${local}:00.000Z`) - Date.parse(iso) + offset * 60_000).toBe(0)
    expect(fromLocalInput("")).toBeUndefined()
    expect(toLocalInput("not a date")).toBe("")
  })

  it("a user trait `key = value` becomes the filter's one condition; without a key, none", () => {
    expect(traitOf(" plan = pro ")).toEqual({ key: "plan", value: "pro" })
    expect(traitOf("url=https://a.b/?c=d")).toEqual({ key: "url", value: "https://a.b/?c=d" })
    expect(traitOf("plan=")).toEqual({ key: "plan", value: "" })
    expect(traitOf("plan")).toBeUndefined()
    expect(traitOf("= pro")).toBeUndefined()
    expect(filterOf({ trait: "seats=3" }).traits).toEqual([{ key: "seats", value: "3" }])
    expect(filterOf({ trait: "seats" }).traits).toBeUndefined()
  })

  it("filter changes reach the network after 300 ms without another; entering a view at once", async () => {
    vi.useFakeTimers()
    try {
      const settled = (cause: "enter" | "stay" | "preload", controller = new AbortController()) => {
        let state = "pending"
        settleFilters({ cause, abortController: controller }).then(
          () => {
            state = "fetch"
          },
          (reason: unknown) => {
            state = reason === controller.signal ? "cancelled" : "failed"
          },
        )
        return () => state
      }
      const enter = settled("enter")
      await vi.advanceTimersByTimeAsync(0)
      expect(enter()).toBe("fetch")

      const change = settled("stay")
      await vi.advanceTimersByTimeAsync(FILTER_DEBOUNCE_MS - 1)
      expect(change()).toBe("pending")
      await vi.advanceTimersByTimeAsync(1)
      expect(change()).toBe("fetch")

      // A newer change aborts the one before it: only the last fetches.
      const first = new AbortController()
      const superseded = settled("stay", first)
      await vi.advanceTimersByTimeAsync(100)
      first.abort()
      const last = settled("stay")
      await vi.advanceTimersByTimeAsync(FILTER_DEBOUNCE_MS)
      expect([superseded(), last()]).toEqual(["cancelled", "fetch"])
    } finally {
      vi.useRealTimers()
    }
  })
})

describe("live feed parsing and stripes (§3.8, §5.6)", () => {
  it("splits SSE frames and keeps the unfinished rest", () => {
    const { frames, rest } = parseSseChunk(
      'retry: 1000\n\nid: 5_a\nevent: event\ndata: {"id":"a"}\n\nevent: heart',
    )
    expect(frames).toEqual([{ event: "event", data: '{"id":"a"}', id: "5_a" }])
    expect(rest).toBe("event: heart")
  })

  it("labels every type", () => {
    expect(eventKind("tool_call")).toEqual({ stripe: "primary", label: "TOOL" })
    expect(eventKind("tool_call", "error")).toEqual({ stripe: "error", label: "ERROR" })
    expect(eventKind("conversion").label).toBe("CONV")
    expect(eventKind("widget_click").label).toBe("WIDGET")
    expect(eventKind("identify")).toEqual({ stripe: "muted", label: "IDENTIFY" })
  })
})

describe("empty buckets (charts)", () => {
  it("fills the day buckets of the range around the returned ones with zeros", () => {
    const now = Date.UTC(2026, 1, 17, 12)
    const points = [{ bucket: "2026-02-15T00:00:00.000Z", count: 4 }]
    const filled = fillBuckets(points, { range: "7d" }, (bucket) => ({ bucket, count: 0 }), now)
    expect(filled.map((p) => p.bucket.slice(0, 10))).toEqual([
      "2026-02-10",
      "2026-02-11",
      "2026-02-12",
      "2026-02-13",
      "2026-02-14",
      "2026-02-15",
      "2026-02-16",
      "2026-02-17",
    ])
    expect(filled.map((p) => p.count)).toEqual([0, 0, 0, 0, 0, 4, 0, 0])
    expect(granularityOf({ range: "24h" }, now)).toBe("hour")
    expect(granularityOf({ range: "90d" }, now)).toBe("week")
  })
})
