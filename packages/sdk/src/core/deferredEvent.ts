/**
 * Events whose fields are built off the call path (sdk.md §8). A tool call records only what
 * must be read at that moment (timestamps, status, latency, the session's user) and enqueues a
 * placeholder holding a builder; the transport materialises it in a background turn, before the
 * PII pass: ids, the ISO timestamp, input capture, response inspection, JSON copies, token
 * estimates. The `event_id` is drawn then, once, before the event is first sent, so retries
 * still deduplicate by it.
 */

import type { SdkEvent } from "./contracts.js"

const BUILD: unique symbol = Symbol("yavio.build")

type Deferred = SdkEvent & { [BUILD]?: () => SdkEvent }

/** A placeholder for an event of `eventType` that `build` makes when it is materialised. */
export const deferredEvent = (eventType: string, build: () => SdkEvent): SdkEvent =>
  ({ event_type: eventType, [BUILD]: build }) as unknown as SdkEvent

/**
 * The finished event: a placeholder's builder runs (once: its result replaces it); any other
 * event is returned as it is. A builder that throws rethrows (the transport drops the event
 * with its code).
 */
export const materialize = (event: SdkEvent): SdkEvent => {
  const build = (event as Deferred)[BUILD]
  return build === undefined ? event : build()
}
