import { ClickhouseClient } from "@effect/sql-clickhouse/ClickhouseClient"
import { PgClient } from "@effect/sql-pg/PgClient"
import type { HealthReport } from "@yavio/domain"
import { Context, Duration, Effect, Layer } from "effect"

const TIMEOUT = Duration.seconds(2)
const DEGRADED_MS = 1_000

/** `GET /health` (cli-and-ops.md §4.3): both stores answer a trivial query, with their latency. */
export class Health extends Context.Tag("@yavio/ingest/Health")<
  Health,
  { readonly check: Effect.Effect<HealthReport> }
>() {
  static readonly make = (version: string) =>
    Effect.gen(function* () {
      const pg = yield* PgClient
      const ch = yield* ClickhouseClient
      const startedAt = Date.now()

      const probe = (name: string, query: Effect.Effect<unknown, unknown>) =>
        Effect.gen(function* () {
          const t0 = performance.now()
          const result = yield* query.pipe(Effect.timeout(TIMEOUT), Effect.either)
          const latencyMs = Math.round((performance.now() - t0) * 10) / 10
          if (result._tag === "Left") {
            yield* Effect.logWarning(`${name} health check failed`).pipe(
              Effect.annotateLogs({ "err.code": "YAVIO-7000", latencyMs }),
            )
            return { status: "down", latencyMs } as const
          }
          if (latencyMs > DEGRADED_MS) {
            yield* Effect.logWarning(`${name} is slow`).pipe(
              Effect.annotateLogs({ "err.code": "YAVIO-7001", latencyMs }),
            )
          }
          return { status: "up", latencyMs } as const
        })

      const check = Effect.gen(function* () {
        const [postgres, clickhouse] = yield* Effect.all(
          [probe("postgres", pg`SELECT 1`), probe("clickhouse", ch`SELECT 1`)],
          {
            concurrency: 2,
          },
        )
        const healthy = postgres.status === "up" && clickhouse.status === "up"
        return {
          status: healthy ? "healthy" : "unhealthy",
          version,
          uptime: Math.round((Date.now() - startedAt) / 1000),
          services: { postgres, clickhouse },
        } as const
      })
      return Health.of({ check })
    })

  static readonly layer = (version: string) => Layer.effect(this, this.make(version))
}
