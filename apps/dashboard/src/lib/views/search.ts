/**
 * The shared filters of dashboard.md §3.1 as URL search params (they survive navigation and
 * reloads), validated with Effect Schema: a value the schema refuses is dropped, so a hand-edited
 * URL falls back to the defaults instead of breaking the page. Out-of-range combinations
 * (`from` after `to`) are left to the service, which answers with its YAVIO code.
 */
import type { AnalyticsFilterPayload, PagingPayload } from "@yavio/domain/rpc/AnalyticsModels"
import { Schema } from "effect"

export const RANGES = [
  { value: "24h", label: "Last 24h", ms: 24 * 60 * 60 * 1000 },
  { value: "7d", label: "Last 7 days", ms: 7 * 24 * 60 * 60 * 1000 },
  { value: "30d", label: "Last 30 days", ms: 30 * 24 * 60 * 60 * 1000 },
  { value: "90d", label: "Last 3 months", ms: 90 * 24 * 60 * 60 * 1000 },
] as const
export const PLATFORMS = ["chatgpt", "claude", "cursor", "vscode"] as const
export const GRANULARITIES = ["hour", "day", "week", "month"] as const

const Range = Schema.Literal("24h", "7d", "30d", "90d", "custom")
const Granularity = Schema.Literal(...GRANULARITIES)
const Source = Schema.Literal("server", "widget")
const Order = Schema.Literal("asc", "desc")
const PositiveInt = Schema.Number.pipe(Schema.int(), Schema.positive())
const NumberLike = Schema.Union(PositiveInt, Schema.NumberFromString.pipe(Schema.compose(PositiveInt)))

/** Every key a view's URL may carry; each view reads the ones it uses. */
const fields = {
  range: Range,
  from: Schema.String,
  to: Schema.String,
  /** Comma-separated platforms; empty = all. */
  platform: Schema.String,
  granularity: Granularity,
  source: Source,
  page: NumberLike,
  pageSize: NumberLike,
  sort: Schema.String,
  order: Order,
  errorCategory: Schema.String,
  tool: Schema.String,
  startTool: Schema.String,
  endTool: Schema.String,
  period: Schema.Literal("day", "week", "month"),
  eventType: Schema.String,
  /** A funnel's steps, comma-separated (else the default funnel). */
  steps: Schema.String,
  /** A saved funnel's id. */
  funnel: Schema.String,
  /** A user-trait condition, `key=value` (Users and Paths, §3.5, §3.6). */
  trait: Schema.String,
  /** The trace or session whose timeline drawer is open (§3.9). */
  trace: Schema.String,
  session: Schema.String,
} as const

type Fields = typeof fields
export type ViewSearch = { readonly [K in keyof Fields]?: Schema.Schema.Type<Fields[K]> }
/** A change to the URL: `undefined` removes a key. */
export type SearchPatch = { readonly [K in keyof Fields]?: Schema.Schema.Type<Fields[K]> | undefined }

/** `validateSearch` of every view: keeps each valid key, drops the rest. */
export const validateViewSearch = (raw: Record<string, unknown>): ViewSearch => {
  const out: Record<string, unknown> = {}
  for (const [key, schema] of Object.entries(fields) as Array<
    [keyof Fields, Schema.Schema<unknown, unknown>]
  >) {
    const value = raw[key]
    if (value === undefined || value === "") continue
    const decoded = Schema.decodeUnknownOption(schema)(value)
    if (decoded._tag === "Some") out[key] = decoded.value
  }
  return out as ViewSearch
}

/** The keys the loaders depend on (everything but the drawer, which loads on its own). */
export const loaderDepsOf = ({ search }: { readonly search: ViewSearch }): ViewSearch => {
  const { trace: _trace, session: _session, ...deps } = search
  return deps
}

const viewerTimeZone = (): string | undefined => {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone
  } catch {
    return undefined
  }
}

/** The RPC filter of a URL: a preset range ends now; custom ranges are sent as typed. */
export const filterOf = (
  search: ViewSearch,
  now: number = Date.now(),
): typeof AnalyticsFilterPayload.Type => {
  const range = RANGES.find((r) => r.value === (search.range ?? "7d"))
  const custom = search.range === "custom" || (search.range === undefined && search.from !== undefined)
  const tz = viewerTimeZone()
  return {
    ...(custom
      ? {
          ...(search.from === undefined ? {} : { from: search.from }),
          ...(search.to === undefined ? {} : { to: search.to }),
        }
      : { from: new Date(now - (range?.ms ?? RANGES[1].ms)).toISOString(), to: new Date(now).toISOString() }),
    ...(search.platform === undefined
      ? {}
      : { platforms: search.platform.split(",").filter((p) => p !== "") }),
    ...(search.granularity === undefined ? {} : { granularity: search.granularity }),
    ...(search.source === undefined ? {} : { sources: [search.source] }),
    ...(tz === undefined ? {} : { tz }),
    ...(traitOf(search.trait) === undefined ? {} : { traits: [traitOf(search.trait)!] }),
  }
}

/** How long filter changes settle before a view fetches (§3.1, client: 300 ms). */
export const FILTER_DEBOUNCE_MS = 300

/**
 * The first step of every filtered view's loader (§3.1: filters apply at once in the URL, the
 * network waits 300 ms). A loader that runs again for the same view because its search params
 * changed (`cause: "stay"`) waits that long first; a further change meanwhile aborts it (the
 * router aborts a superseded loader), so only the last one fetches. Entering a view and
 * preloading one fetch at once.
 */
export const settleFilters = (ctx: {
  readonly cause: "preload" | "enter" | "stay"
  readonly abortController: AbortController
}): Promise<void> => {
  if (ctx.cause !== "stay") return Promise.resolve()
  const signal = ctx.abortController.signal
  return new Promise((resolve, reject) => {
    // Rejecting with the signal itself is how the router recognises a cancelled load.
    if (signal.aborted) return reject(signal)
    const abort = () => {
      clearTimeout(timer)
      reject(signal)
    }
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", abort)
      resolve()
    }, FILTER_DEBOUNCE_MS)
    signal.addEventListener("abort", abort, { once: true })
  })
}

/** `key = value` of the URL's `trait` param (the Users and Paths filter, §3.5), if well formed. */
export const traitOf = (
  trait: string | undefined,
): { readonly key: string; readonly value: string } | undefined => {
  if (trait === undefined) return undefined
  const at = trait.indexOf("=")
  const key = at < 0 ? "" : trait.slice(0, at).trim()
  return key === "" ? undefined : { key, value: trait.slice(at + 1).trim() }
}

/** The table paging of a URL (§3.1: page 1, 25 rows, the table's default sort). */
export const pagingOf = (search: ViewSearch): typeof PagingPayload.Type => ({
  page: search.page ?? 1,
  pageSize: search.pageSize ?? 25,
  ...(search.sort === undefined ? {} : { sort: search.sort }),
  ...(search.order === undefined ? {} : { order: search.order }),
})

/** Whether the buckets are hours (axis labels change). */
export const isHourly = (search: ViewSearch): boolean =>
  search.granularity === "hour" || (search.granularity === undefined && search.range === "24h")

const HOUR_MS = 60 * 60 * 1000
const STEP_MS = { hour: HOUR_MS, day: 24 * HOUR_MS, week: 7 * 24 * HOUR_MS } as const

/** The granularity the service uses for this URL (§3.1 auto: hour ≤ 24 h, day ≤ 30 days, week beyond). */
export const granularityOf = (
  search: ViewSearch,
  now: number = Date.now(),
): (typeof GRANULARITIES)[number] => {
  if (search.granularity !== undefined) return search.granularity
  const filter = filterOf(search, now)
  const span =
    filter.from === undefined || filter.to === undefined
      ? RANGES[1].ms
      : new Date(filter.to).getTime() - new Date(filter.from).getTime()
  return span <= 24 * HOUR_MS ? "hour" : span <= 30 * 24 * HOUR_MS ? "day" : "week"
}

/**
 * The service returns only buckets with data; a chart needs the empty ones as zeros so a lone
 * point becomes a visible area over the range. Steps from the first returned bucket (it carries
 * the time-zone alignment) backwards and forwards across the range; months are left as they are.
 */
export const fillBuckets = <P extends { readonly bucket: string }>(
  points: ReadonlyArray<P>,
  search: ViewSearch,
  empty: (bucket: string) => P,
  now: number = Date.now(),
): ReadonlyArray<P> => {
  const granularity = granularityOf(search, now)
  const first = points[0]
  if (first === undefined || granularity === "month") return points
  const step = STEP_MS[granularity]
  const filter = filterOf(search, now)
  const from = new Date(filter.from ?? now - RANGES[1].ms).getTime()
  const to = new Date(filter.to ?? now).getTime()
  const anchor = new Date(first.bucket).getTime()
  const byTime = new Map(points.map((p) => [new Date(p.bucket).getTime(), p]))
  // The first bucket is the one holding `from` (it may start before it).
  const start = anchor - Math.ceil((anchor - from) / step) * step
  const out: Array<P> = []
  for (let t = start; t < to && out.length < 2000; t += step) {
    out.push(byTime.get(t) ?? empty(new Date(t).toISOString()))
  }
  // A bucket the stepping missed (a DST shift) is kept rather than dropped.
  for (const p of points) if (!out.includes(p)) out.push(p)
  return out.sort((a, b) => new Date(a.bucket).getTime() - new Date(b.bucket).getTime())
}
