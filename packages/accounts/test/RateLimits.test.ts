import { expect, it } from "@effect/vitest"
import { Effect, Layer, Redacted, TestClock } from "effect"
import { AccountsConfig, defaultRateLimits } from "../src/AccountsConfig.js"
import { RateLimits } from "../src/RateLimits.js"
import { outcome } from "./support/world.js"

const layer = RateLimits.layer.pipe(
  Layer.provide(
    AccountsConfig.layerWith({
      dashboardUrl: "http://localhost:3000",
      apiKeyHashSecret: Redacted.make("s"),
      defaultPlan: "community",
      rateLimits: defaultRateLimits,
    }),
  ),
)

// TestClock drives the window: the limiter reads Effect's Clock, so a minute passes without waiting one.
it.effect(
  "the spec's limits: 10/min on login-like routes, 30/min on others, per IP; 30/min per user on management RPCs, 60 on analytics",
  () =>
    Effect.gen(function* () {
      const limits = yield* RateLimits
      const strict = []
      for (let i = 0; i < 11; i++) strict.push(yield* outcome(limits.auth("authStrict", "10.0.0.1")))
      expect(strict).toEqual([...Array(10).fill("ok"), "YAVIO-3800"])
      // Another IP, another group: separate budgets.
      expect(yield* outcome(limits.auth("authStrict", "10.0.0.2"))).toBe("ok")
      const other = []
      for (let i = 0; i < 31; i++) other.push(yield* outcome(limits.auth("auth", "10.0.0.1")))
      expect(other.filter((o) => o === "ok")).toHaveLength(30)
      expect(other.at(-1)).toBe("YAVIO-3800")
      const invite = []
      for (let i = 0; i < 11; i++) invite.push(yield* outcome(limits.auth("inviteLookup", "10.0.0.1")))
      expect(invite.at(-1)).toBe("YAVIO-3800")

      const rpc = []
      for (let i = 0; i < 31; i++) rpc.push(yield* outcome(limits.management("user-1")))
      expect(rpc.filter((o) => o === "ok")).toHaveLength(30)
      expect(rpc.at(-1)).toBe("YAVIO-3802")
      expect(yield* outcome(limits.management("user-2"))).toBe("ok")
      // Analytics calls have their own budget: 60 per user, untouched by the management calls.
      const analytics = []
      for (let i = 0; i < 61; i++) analytics.push(yield* outcome(limits.analytics("user-1")))
      expect(analytics.filter((o) => o === "ok")).toHaveLength(60)
      expect(analytics.at(-1)).toBe("YAVIO-3801")

      // The refusal says when to come back, and after the window the budget is whole again.
      yield* TestClock.adjust("20 seconds")
      const refused = yield* Effect.flip(limits.auth("authStrict", "10.0.0.1"))
      expect(refused.retryAfterSeconds).toBe(40)
      expect(refused.status).toBe(429)
      yield* TestClock.adjust("41 seconds")
      expect(yield* outcome(limits.auth("authStrict", "10.0.0.1"))).toBe("ok")
      expect(yield* outcome(limits.management("user-1"))).toBe("ok")
    }).pipe(Effect.provide(layer)),
)

it.effect("analytics RPCs have their own 60/min per user, apart from the management budget", () =>
  Effect.gen(function* () {
    const limits = yield* RateLimits
    const analytics = []
    for (let i = 0; i < 61; i++) analytics.push(yield* outcome(limits.analytics("user-1")))
    expect(analytics.filter((o) => o === "ok")).toHaveLength(60)
    expect(analytics.at(-1)).toBe("YAVIO-3801")
    // The management budget is untouched.
    expect(yield* outcome(limits.management("user-1"))).toBe("ok")
  }).pipe(Effect.provide(layer)),
)
