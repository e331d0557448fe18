/**
 * Number and date formats of dashboard.md §5.7, shared by every view. Pure functions of their
 * input (and of `now` for relative times), so they are unit-tested without a browser. A ratio
 * with a zero denominator arrives as `null` and is shown as an em dash (§3.1).
 */

export const DASH = "—"

const grouped = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 })
const oneDecimal = new Intl.NumberFormat("en-US", { minimumFractionDigits: 1, maximumFractionDigits: 1 })

/** Counts: thousands separators; abbreviated above 10K (`9,999`, `12.3K`, `1.2M`, `3.4B`). */
export const formatCount = (value: number | null | undefined): string => {
  if (value === null || value === undefined || !Number.isFinite(value)) return DASH
  const abs = Math.abs(value)
  if (abs < 10_000) return grouped.format(value)
  for (const [unit, size] of [
    ["B", 1e9],
    ["M", 1e6],
    ["K", 1e3],
  ] as const) {
    if (abs >= size) {
      const text = oneDecimal.format(value / size).replace(/\.0$/, "")
      return `${text}${unit}`
    }
  }
  return grouped.format(value)
}

/** Ratios (0.123) as percent with one decimal: `12.3%`. */
export const formatPercent = (ratio: number | null | undefined): string =>
  ratio === null || ratio === undefined || !Number.isFinite(ratio)
    ? DASH
    : `${oneDecimal.format(ratio * 100)}%`

/** Latency in ms with its unit: `142ms`, `1,240ms`. */
export const formatLatency = (ms: number | null | undefined): string =>
  ms === null || ms === undefined || !Number.isFinite(ms) ? DASH : `${grouped.format(Math.round(ms))}ms`

/** Durations (sessions, time to first call): ms under a second, then `4.2s`, `3m 12s`, `2h 5m`. */
export const formatDuration = (ms: number | null | undefined): string => {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return DASH
  if (ms < 1000) return formatLatency(ms)
  const seconds = ms / 1000
  if (seconds < 60) return `${oneDecimal.format(seconds)}s`
  const minutes = Math.floor(seconds / 60)
  if (minutes < 60) return `${minutes}m ${Math.round(seconds % 60)}s`
  return `${Math.floor(minutes / 60)}h ${minutes % 60}m`
}

/** Revenue: currency symbol and two decimals (`$1,234.56`); an unknown code is shown as a prefix. */
export const formatRevenue = (
  value: number | null | undefined,
  currency: string | null | undefined,
): string => {
  if (value === null || value === undefined || !Number.isFinite(value)) return DASH
  try {
    return new Intl.NumberFormat("en-US", { style: "currency", currency: currency ?? "USD" }).format(value)
  } catch {
    return `${currency ?? ""} ${value.toFixed(2)}`.trim()
  }
}

/** Bytes: `512 B`, `1.5 KB`, `2.3 MB`. */
export const formatBytes = (bytes: number | null | undefined): string => {
  if (bytes === null || bytes === undefined || !Number.isFinite(bytes)) return DASH
  if (bytes < 1024) return `${Math.round(bytes)} B`
  if (bytes < 1024 * 1024) return `${oneDecimal.format(bytes / 1024)} KB`
  return `${oneDecimal.format(bytes / (1024 * 1024))} MB`
}

/** Trend vs the previous window: `▲ 12.3%` / `▼ 4.0%`; `null` change (no previous) → no trend. */
export const formatTrend = (change: number | null | undefined): string | null => {
  if (change === null || change === undefined || !Number.isFinite(change)) return null
  const arrow = change >= 0 ? "▲" : "▼"
  return `${arrow} ${oneDecimal.format(Math.abs(change) * 100)}%`
}

/** Whether a trend reads as good: up is good unless the metric is one where lower is better. */
export const trendTone = (
  change: number | null | undefined,
  lowerIsBetter: boolean,
): "good" | "bad" | "flat" => {
  if (change === null || change === undefined || change === 0 || !Number.isFinite(change)) return "flat"
  return change > 0 !== lowerIsBetter ? "good" : "bad"
}

const axisDate = new Intl.DateTimeFormat("en-US", { month: "short", day: "numeric" })
const axisHour = new Intl.DateTimeFormat("en-US", { hour: "numeric" })
const tooltipDate = new Intl.DateTimeFormat("en-US", { month: "long", day: "numeric", year: "numeric" })
const stamp = new Intl.DateTimeFormat("en-US", {
  month: "short",
  day: "numeric",
  hour: "numeric",
  minute: "2-digit",
})

/** Axis dates: `Feb 14` (hour buckets: `3 PM`). */
export const formatAxisDate = (iso: string, hourly = false): string =>
  (hourly ? axisHour : axisDate).format(new Date(iso))

/** Tooltip dates: `February 14, 2026`. */
export const formatTooltipDate = (iso: string): string => tooltipDate.format(new Date(iso))

/** Timestamps: relative under 24 h (`just now`, `3m ago`, `5h ago`), else `Feb 14, 10:32 AM`. */
export const formatTimestamp = (iso: string, now: number = Date.now()): string => {
  const at = new Date(iso).getTime()
  if (!Number.isFinite(at)) return DASH
  const ago = now - at
  if (ago >= 0 && ago < 24 * 60 * 60 * 1000) {
    if (ago < 60_000) return ago < 10_000 ? "just now" : `${Math.floor(ago / 1000)}s ago`
    if (ago < 60 * 60_000) return `${Math.floor(ago / 60_000)}m ago`
    return `${Math.floor(ago / (60 * 60_000))}h ago`
  }
  return stamp.format(new Date(at))
}

/** Retention heatmap opacity of §5.7: 0 → muted cell; then 10 / 25 / 40 / 60 / 80 % steps. */
export const heatOpacity = (ratio: number): number => {
  const pct = Math.round(ratio * 100)
  if (pct <= 0) return 0
  if (pct <= 20) return 0.1
  if (pct <= 40) return 0.25
  if (pct <= 60) return 0.4
  if (pct <= 80) return 0.6
  return 0.8
}
