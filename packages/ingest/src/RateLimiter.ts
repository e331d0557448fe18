import {
  ApiKeyBurstLimitExceeded,
  ApiKeyRateLimitExceeded,
  IpRateLimitExceeded,
  WidgetTokenMintRateLimited,
  WidgetTokenRateLimitExceeded,
} from "@yavio/domain"
import { Config, Context, Effect, Layer } from "effect"
import { TokenBucket } from "./TokenBucket.js"

export interface RateLimits {
  /** Sustained events per second per API key (spec: 1,000). */
  readonly keyEventsPerSecond: number
  /** Burst of events per API key (spec: 5,000). */
  readonly keyBurst: number
  /** Unauthenticated requests per second per IP (spec: 10). */
  readonly ipRequestsPerSecond: number
  /** Events one widget token may send in its lifetime (spec: 50). */
  readonly widgetTokenEvents: number
  /** Widget tokens one API key may mint per second (our decision: 100, burst 1,000). */
  readonly mintsPerSecond: number
}

export const defaultRateLimits: RateLimits = {
  keyEventsPerSecond: 1_000,
  keyBurst: 5_000,
  ipRequestsPerSecond: 10,
  widgetTokenEvents: 50,
  mintsPerSecond: 100,
}

/**
 * Limits are read from the environment so an operator (or a benchmark pushing 50k events/s
 * through one key) can raise them; the defaults are the spec's.
 */
export const rateLimitsConfig: Config.Config<RateLimits> = Config.all({
  keyEventsPerSecond: Config.integer("YAVIO_RATE_LIMIT_EVENTS_PER_SECOND").pipe(
    Config.withDefault(defaultRateLimits.keyEventsPerSecond),
  ),
  keyBurst: Config.integer("YAVIO_RATE_LIMIT_BURST").pipe(Config.withDefault(defaultRateLimits.keyBurst)),
  ipRequestsPerSecond: Config.integer("YAVIO_RATE_LIMIT_IP_REQUESTS_PER_SECOND").pipe(
    Config.withDefault(defaultRateLimits.ipRequestsPerSecond),
  ),
  widgetTokenEvents: Config.integer("YAVIO_RATE_LIMIT_WIDGET_TOKEN_EVENTS").pipe(
    Config.withDefault(defaultRateLimits.widgetTokenEvents),
  ),
  mintsPerSecond: Config.integer("YAVIO_RATE_LIMIT_MINTS_PER_SECOND").pipe(
    Config.withDefault(defaultRateLimits.mintsPerSecond),
  ),
})

/** Maps never grow without bound: idle buckets are swept, and past this size the oldest go. */
const MAX_TRACKED = 100_000

class BucketMap {
  private readonly buckets = new Map<string, TokenBucket>()
  private sweptAt = 0

  constructor(
    private readonly rate: number,
    private readonly capacity: number,
  ) {}

  get(key: string, nowMs: number): TokenBucket {
    let bucket = this.buckets.get(key)
    if (bucket === undefined) {
      if (this.buckets.size >= MAX_TRACKED || nowMs - this.sweptAt > 60_000) this.sweep(nowMs)
      bucket = new TokenBucket(this.rate, this.capacity, nowMs)
      this.buckets.set(key, bucket)
    }
    return bucket
  }

  private sweep(nowMs: number): void {
    this.sweptAt = nowMs
    for (const [key, bucket] of this.buckets) if (bucket.isIdle(nowMs)) this.buckets.delete(key)
    // Still full of busy buckets: drop the oldest inserted, which restores their full budget
    // (fails open for a few clients rather than growing memory under a flood of addresses).
    for (const key of this.buckets.keys()) {
      if (this.buckets.size < MAX_TRACKED) break
      this.buckets.delete(key)
    }
  }
}

/**
 * Per-instance rate limits (ingest-and-storage.md "Rate limits"): state lives in memory, so
 * limits apply per instance when ingest is scaled out.
 *
 * The per-IP limit guards authentication (our reading of "per IP, before authentication"):
 * it is checked before a credential is looked up and charged only for requests whose
 * credential fails, so a key scan from one address is stopped while one busy server sending
 * with a valid key is limited by its key's budget, not its address.
 */
export class RateLimiter extends Context.Tag("@yavio/ingest/RateLimiter")<
  RateLimiter,
  {
    readonly checkIp: (ip: string) => Effect.Effect<void, IpRateLimitExceeded>
    readonly chargeFailedAuth: (ip: string) => Effect.Effect<void>
    readonly takeKeyEvents: (
      keyId: string,
      events: number,
    ) => Effect.Effect<void, ApiKeyRateLimitExceeded | ApiKeyBurstLimitExceeded>
    readonly takeWidgetEvents: (
      tokenId: string,
      events: number,
    ) => Effect.Effect<void, WidgetTokenRateLimitExceeded>
    readonly takeMint: (keyId: string) => Effect.Effect<void, WidgetTokenMintRateLimited>
  }
>() {
  static readonly make = (limits: RateLimits) =>
    Effect.sync(() => {
      const ips = new BucketMap(limits.ipRequestsPerSecond, limits.ipRequestsPerSecond)
      const keys = new BucketMap(limits.keyEventsPerSecond, limits.keyBurst)
      const mints = new BucketMap(limits.mintsPerSecond, limits.mintsPerSecond * 10)
      // A widget token's budget is for its lifetime (15 minutes): a bucket that refills over
      // that lifetime keeps the map sweepable without ever granting a token more than its due.
      const widgets = new BucketMap(limits.widgetTokenEvents / 900, limits.widgetTokenEvents)

      return RateLimiter.of({
        checkIp: (ip) =>
          Effect.suspend(() => {
            const now = Date.now()
            return ips.get(ip, now).hasToken(now)
              ? Effect.void
              : Effect.fail(new IpRateLimitExceeded({ retryAfterSeconds: 1 }))
          }),
        chargeFailedAuth: (ip) =>
          Effect.sync(() => {
            const now = Date.now()
            ips.get(ip, now).take(1, now)
          }),
        takeKeyEvents: (keyId, events) =>
          Effect.suspend((): Effect.Effect<void, ApiKeyRateLimitExceeded | ApiKeyBurstLimitExceeded> => {
            if (events > limits.keyBurst) {
              return Effect.fail(
                new ApiKeyBurstLimitExceeded({
                  detail: `one request carries ${events} events; the burst limit is ${limits.keyBurst}`,
                  retryAfterSeconds: 1,
                }),
              )
            }
            const now = Date.now()
            const taken = keys.get(keyId, now).take(events, now)
            return taken.ok
              ? Effect.void
              : Effect.fail(new ApiKeyRateLimitExceeded({ retryAfterSeconds: taken.retryAfterSeconds }))
          }),
        takeWidgetEvents: (tokenId, events) =>
          Effect.suspend(() => {
            const now = Date.now()
            const taken = widgets.get(tokenId, now).take(events, now)
            return taken.ok
              ? Effect.void
              : Effect.fail(new WidgetTokenRateLimitExceeded({ retryAfterSeconds: taken.retryAfterSeconds }))
          }),
        takeMint: (keyId) =>
          Effect.suspend(() => {
            const now = Date.now()
            const taken = mints.get(keyId, now).take(1, now)
            return taken.ok
              ? Effect.void
              : Effect.fail(new WidgetTokenMintRateLimited({ retryAfterSeconds: taken.retryAfterSeconds }))
          }),
      })
    })

  static readonly layer = Layer.effect(
    this,
    Effect.flatMap(rateLimitsConfig, (limits) => this.make(limits)),
  )
  static readonly layerWith = (limits: RateLimits) => Layer.effect(this, this.make(limits))
}
