/**
 * The one widget instance per page (sdk.md §7.4): the current token channel, the buffer, the
 * explicit methods and the event builder the auto-captures use. Module state on purpose: every
 * `useYavio()` in every component returns the same object. Without a channel (no configuration)
 * every method returns at once: no-op mode (§7.3).
 */

import { scrub } from "./pii.js"
import { type Channel, iso, openChannel, send } from "./transport.js"
import type { WidgetConfig, WidgetEvent, YavioWidget } from "./types.js"
import { SDK_VERSION } from "./version.js"

/** Ingest keeps at most 50 events per widget token; past 40 only essential events go (our decision). */
const VOLUME_CAP = 40
const BATCH = 20
const BUFFER = 200

let channel: Channel | null = null
const queue: WidgetEvent[] = []
/** Scroll samples waiting for the next flush, one per container (coalesced, sdk.md §7.5). */
const scrolls = new Map<string, WidgetEvent>()
let nextStep = 0
let userId: string | undefined
let traits: Record<string, unknown> = {}

/**
 * A new event of the current trace, counted against the token's volume cap, or `null` (no-op
 * mode, dead token, over the cap, over 50 KB, or values JSON cannot hold).
 */
export const build = (
  type: string,
  name?: string,
  fields?: Record<string, unknown>,
  meta?: Record<string, unknown>,
  essential?: boolean,
): WidgetEvent | null => {
  if (!channel || channel.dead || (!essential && channel.count >= VOLUME_CAP)) return null
  try {
    const event: WidgetEvent = {
      event_id: crypto.randomUUID(),
      event_type: type,
      timestamp: iso(),
      trace_id: channel.config.traceId,
      session_id: channel.config.sessionId,
      source: "widget",
      sdk_version: SDK_VERSION,
      viewport_width: innerWidth,
      viewport_height: innerHeight,
      ...fields,
    }
    if (name !== undefined) event.event_name = name
    if (userId) event.user_id = userId
    if (meta) event.metadata = scrub(meta)
    if (JSON.stringify(event).length > 51200) return null
    channel.count++
    return event
  } catch {
    return null
  }
}

/** A batch is on its way (retries included): later events wait in the buffer (offline tolerance). */
let busy = false

/** The next batch off the buffer: up to 20 events, under the 64 KB keepalive quota. */
const nextBatch = (): WidgetEvent[] => {
  let n = 0
  let size = 0
  while (n < queue.length && n < BATCH) {
    size += JSON.stringify(queue[n]).length
    if (n && size > 6e4) break
    n++
  }
  return queue.splice(0, n)
}

/**
 * Sends buffered events. Normally one batch at a time, the next once it settled (so a dead
 * network fills the 200-event buffer instead of piling up requests); `all` (teardown: hidden,
 * closing, unmounting, switching trace) sends everything at once, because there is no later.
 */
export const flush = (all?: boolean): void => {
  const current = channel
  if (!current) return
  queue.push(...scrolls.values())
  scrolls.clear()
  if (all) while (queue.length) void send(current, nextBatch())
  else if (!busy && queue.length) {
    busy = true
    void send(current, nextBatch()).then(() => {
      busy = false
      if (queue.length >= BATCH) flush()
    })
  }
}

const push = (event: WidgetEvent | null): void => {
  if (!event) return
  // Offline tolerance: the oldest events go first, silently.
  if (queue.push(event) > BUFFER) queue.shift()
  if (queue.length >= BATCH) flush()
}

export const emit = (...args: Parameters<typeof build>): void => push(build(...args))

/** Keeps the deepest scroll sample of `container` until the next flush. */
export const sampleScroll = (container: string, depth: number, meta: Record<string, unknown>): void => {
  let event = scrolls.get(container)
  if (!event) {
    event = build("widget_scroll", container, { scroll_depth_pct: depth }) ?? undefined
    if (!event) return
    scrolls.set(container, event)
  }
  event.scroll_depth_pct = Math.max(event.scroll_depth_pct as number, depth)
  event.metadata = meta
  event.timestamp = iso()
}

/**
 * Adopts `config`; `true` when it changed the channel. A configuration for another trace first
 * flushes what the old token holds (our decision, sdk.md §7.3).
 */
export const open = (config: WidgetConfig): boolean => {
  if (channel?.config.traceId === config.traceId) return false
  flush(true)
  channel = openChannel(config)
  nextStep = config.stepOffset ?? 0
  return true
}

const okName = (name: unknown): name is string =>
  typeof name === "string" && name !== "" && name.length <= 256

export const widget: YavioWidget = {
  identify: (id, more) => {
    // A second, different id in the same session is ignored (YAVIO-1302).
    if (!channel || !okName(id) || (userId && userId !== id)) return
    userId = id
    traits = { ...traits, ...more }
    emit("identify", undefined, { user_traits: scrub(traits) }, undefined, true)
  },
  step: (name, meta) => {
    if (channel && okName(name)) emit("step", name, { step_sequence: nextStep++ }, meta, true)
  },
  track: (name, properties) => {
    if (okName(name)) emit("track", name, undefined, properties, true)
  },
  conversion: (name, options) => {
    const { value, currency, meta } = options ?? {}
    // Without a finite value and a 3-letter currency the event is dropped (YAVIO-1303).
    if (okName(name) && Number.isFinite(value) && /^[a-z]{3}$/i.test(currency))
      emit(
        "conversion",
        name,
        { conversion_value: value, conversion_currency: currency.toUpperCase() },
        meta,
        true,
      )
  },
}
