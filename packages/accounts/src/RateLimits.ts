import { AnalyticsQueryRateLimited, AuthRouteRateLimited, ManagementRouteRateLimited } from "@yavio/domain"
import { Clock, Context, Effect, Layer } from "effect"
import { AccountsConfig } from "./AccountsConfig.js"

/** The limit groups of dashboard.md §1.7 this service enforces. */
export type AuthLimitGroup = "authStrict" | "inviteLookup" | "auth"

const WINDOW_MS = 60_000
// Keys seen in one window; past it the oldest windows are dropped (memory stays bounded
// under a flood of distinct IPs).
const MAX_KEYS = 100_000

/** Fixed one-minute windows per key, in memory for one process (as the spec allows). */
const makeCounter = () => {
  const windows = new Map<string, { start: number; count: number }>()
  return (key: string, limit: number, now: number): number | undefined => {
    const current = windows.get(key)
    if (current === undefined || now - current.start >= WINDOW_MS) {
      if (windows.size >= MAX_KEYS) windows.delete(windows.keys().next().value as string)
      windows.delete(key)
      windows.set(key, { start: now, count: 1 })
      return 1 <= limit ? undefined : WINDOW_MS / 1000
    }
    current.count++
    // Seconds until this window ends: the Retry-After the edge sends.
    return current.count <= limit ? undefined : Math.ceil((current.start + WINDOW_MS - now) / 1000)
  }
}

/**
 * Per-IP limits on the auth flows (`YAVIO-3800`) and per-user limits on the management RPCs
 * (`YAVIO-3802`). Failures carry `retryAfterSeconds`. (Effect's `RateLimiter` delays callers
 * instead of refusing them, and is not keyed; the spec wants a 429.)
 */
export class RateLimits extends Context.Tag("@yavio/accounts/RateLimits")<
  RateLimits,
  {
    readonly auth: (group: AuthLimitGroup, ip: string) => Effect.Effect<void, AuthRouteRateLimited>
    readonly management: (userId: string) => Effect.Effect<void, ManagementRouteRateLimited>
    /** Analytics RPCs: 60 per user per minute (`YAVIO-3801`). */
    readonly analytics: (userId: string) => Effect.Effect<void, AnalyticsQueryRateLimited>
  }
>() {
  static readonly make = Effect.gen(function* () {
    const { rateLimits } = yield* AccountsConfig
    const authCounter = makeCounter()
    const managementCounter = makeCounter()
    const analyticsCounter = makeCounter()
    const limitOf: Record<AuthLimitGroup, number> = {
      authStrict: rateLimits.authStrictPerMinute,
      inviteLookup: rateLimits.inviteLookupPerMinute,
      auth: rateLimits.authPerMinute,
    }
    return RateLimits.of({
      auth: (group, ip) =>
        Effect.flatMap(Clock.currentTimeMillis, (now) => {
          const retryAfterSeconds = authCounter(`${group}:${ip}`, limitOf[group], now)
          return retryAfterSeconds === undefined
            ? Effect.void
            : Effect.fail(new AuthRouteRateLimited({ retryAfterSeconds }))
        }),
      management: (userId) =>
        Effect.flatMap(Clock.currentTimeMillis, (now) => {
          const retryAfterSeconds = managementCounter(userId, rateLimits.managementPerMinute, now)
          return retryAfterSeconds === undefined
            ? Effect.void
            : Effect.fail(new ManagementRouteRateLimited({ retryAfterSeconds }))
        }),
      analytics: (userId) =>
        Effect.flatMap(Clock.currentTimeMillis, (now) => {
          const retryAfterSeconds = analyticsCounter(userId, rateLimits.analyticsPerMinute ?? 60, now)
          return retryAfterSeconds === undefined
            ? Effect.void
            : Effect.fail(new AnalyticsQueryRateLimited({ retryAfterSeconds }))
        }),
    })
  })

  static readonly layer = Layer.effect(this, this.make)
}
