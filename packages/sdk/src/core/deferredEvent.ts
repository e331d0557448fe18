/**
 * Events whose expensive fields are built off the call path (sdk.md §8). A tool call records
 * only what must be read at that moment (ids, timestamps, status, latency) plus a builder that
 * computes the rest later (input capture, response inspection, JSON copies, token estimates).
 * The transport materialises every event in a background turn, before the PII pass, so no
 * builder runs while the host's request waits.
 */

import type { SdkEvent } from "./contracts.js"

const BUILD: unique symbol = Symbol("yavio.build")

type Deferred = SdkEvent & { [BUILD]?: () => void }

/** Attaches `build`, which completes `event` in place when the event is materialised. */
export const deferFields = (event: Record<string, unknown>, build: () => void): void => {
  ;(event as Deferred)[BUILD] = build
}

/**
 * Runs the event's builder, once; returns the same event. A builder that throws leaves the event
 * as it was and rethrows (the transport drops it with its code).
 */
export const materialize = (event: SdkEvent): SdkEvent => {
  const deferred = event as Deferred
  const build = deferred[BUILD]
  if (build !== undefined) {
    delete deferred[BUILD]
    build()
  }
  return event
}
