import { SqlError } from "@effect/sql/SqlError"
import type { ClickhouseClient } from "@effect/sql-clickhouse/ClickhouseClient"
import { Effect } from "effect"

/**
 * What the next inserts meet: the engine; an error before reaching it (connection refused);
 * an error from the engine after it read the rows; or a closed gate (a slow store).
 */
export type InsertFault = "none" | "fail" | "failAtEngine" | "hold"

export interface ClickhouseFaults {
  /** For `startIngest({ wrapClickhouse })`: the real client, with `insertQuery` behind the switch. */
  readonly wrap: (client: ClickhouseClient) => ClickhouseClient
  /** Every insert fails before reaching the engine (as if it refused connections). */
  readonly fail: () => void
  /**
   * The next `attempts` inserts reach the engine, which reads their rows and then fails: they
   * are aimed at a table that does not exist, so the error is the engine's own, raised after
   * the client consumed the rows (as when a server breaks off mid-insert). Later inserts pass.
   */
  readonly failAtEngine: (attempts: number) => void
  /** Every insert waits at a gate (a slow store) until `release`, then reaches the engine. */
  readonly hold: () => void
  /** Switches every fault off and opens the gate: held inserts proceed. */
  readonly release: () => void
  /** Inserts attempted (each retry counts), failed by the switch, and waiting at the gate now. */
  readonly stats: () => { readonly attempts: number; readonly failed: number; readonly held: number }
}

/**
 * Fault injection around the real ClickHouse engine, not a mock of it: the wrapped client
 * delegates everything to the real one; only `insertQuery`, the ingest writer's one call,
 * passes through the switch first.
 */
export const makeClickhouseFaults = (): ClickhouseFaults => {
  let mode: InsertFault = "none"
  let engineFailures = 0
  let attempts = 0
  let failed = 0
  let held = 0
  let openGate: () => void = () => {}
  let gate: Promise<void> = Promise.resolve()

  const wrap = (client: ClickhouseClient): ClickhouseClient => {
    const insertQuery: ClickhouseClient["insertQuery"] = (options) =>
      Effect.suspend(() => {
        attempts++
        switch (mode) {
          case "none":
            return client.insertQuery(options)
          case "fail":
            failed++
            return Effect.fail(
              new SqlError({
                message: "injected fault: ClickHouse unavailable",
                cause: new Error("connect ECONNREFUSED"),
              }),
            )
          case "failAtEngine":
            if (engineFailures === 0) return client.insertQuery(options)
            engineFailures--
            failed++
            return client.insertQuery({ ...options, table: `${options.table}_injected_fault_missing` })
          case "hold":
            held++
            return Effect.promise(() => gate).pipe(
              Effect.ensuring(Effect.sync(() => held--)),
              Effect.zipRight(client.insertQuery(options)),
            )
        }
      })
    // The client is a callable (the sql template tag) with properties: a Proxy keeps both.
    return new Proxy(client, {
      get: (target, property, receiver) =>
        property === "insertQuery" ? insertQuery : Reflect.get(target, property, receiver),
    })
  }

  return {
    wrap,
    fail: () => {
      mode = "fail"
    },
    failAtEngine: (n) => {
      mode = "failAtEngine"
      engineFailures = n
    },
    hold: () => {
      mode = "hold"
      gate = new Promise((resolve) => {
        openGate = resolve
      })
    },
    release: () => {
      mode = "none"
      engineFailures = 0
      openGate()
    },
    stats: () => ({ attempts, failed, held }),
  }
}
