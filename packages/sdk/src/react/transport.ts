/**
 * The widget's sender (sdk.md §7.6): `POST {endpoint}` with the widget token as Bearer and the
 * batch body of §6.1. Every request uses `keepalive` while its body fits the browser's 64 KB
 * keepalive quota, so a batch already in flight survives the page closing; the teardown path is
 * therefore the same call (our decision: `sendBeacon` cannot carry the Authorization header and
 * ingest accepts widget tokens only there).
 */

import type { WidgetConfig, WidgetEvent } from "./types.js"
import { SDK_VERSION } from "./version.js"

/** One token's sending state. `count`: events handed to it (the volume cap); `dead`: stop for good. */
export interface Channel {
  readonly config: WidgetConfig
  count: number
  dead: boolean
}

/** The JWT's `exp` has passed (YAVIO-1401): nothing is sent at all. Not a JWT → let ingest judge. */
const expired = (token: string): boolean => {
  try {
    const payload = token.split(".")[1]!.replace(/-/g, "+").replace(/_/g, "/")
    return JSON.parse(atob(payload)).exp * 1e3 <= Date.now()
  } catch {
    return false
  }
}

export const openChannel = (config: WidgetConfig): Channel => ({
  config,
  count: 0,
  dead: expired(config.token),
})

/** ISO-8601 with milliseconds: event timestamps and `sent_at`. */
export const iso = (): string => new Date().toISOString()

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/**
 * Sends one batch: up to 3 retries after 1, 2, 4 s (or the server's `Retry-After`) on network
 * errors, 429 and 5xx; any other 4xx drops the batch (400 = trace mismatch or invalid, retrying
 * cannot help); 401/403 marks the channel dead, quietly: an expired widget is an accepted loss.
 */
export const send = async (channel: Channel, events: ReadonlyArray<WidgetEvent>): Promise<void> => {
  const body = JSON.stringify({ events, sdk_version: SDK_VERSION, sent_at: iso() })
  for (let attempt = 0; !channel.dead; attempt++) {
    let status = 0
    let retryAfter: string | null = null
    try {
      const response = await fetch(channel.config.endpoint, {
        method: "POST",
        headers: { authorization: `Bearer ${channel.config.token}`, "content-type": "application/json" },
        body,
        keepalive: body.length < 6e4,
      })
      status = response.status
      retryAfter = response.headers.get("retry-after")
    } catch {
      // Network failure: status 0, retried below.
    }
    if (status > 199 && status < 300) return
    if (status === 401 || status === 403) channel.dead = true
    else if ((status && status !== 429 && status < 500) || attempt > 2) return
    else await wait(retryAfter ? +retryAfter * 1e3 : 1e3 << attempt)
  }
}
