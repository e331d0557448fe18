import { randomUUID } from "node:crypto"
import { ClickhouseClient } from "@effect/sql-clickhouse/ClickhouseClient"
import { Effect } from "effect"

/** An `events` row as the writer sends it (JSONEachRow); unset nullable columns stay NULL. */
export interface EventRow {
  readonly event_id: string
  readonly workspace_id: string
  readonly project_id: string
  readonly session_id: string
  readonly event_type: string
  readonly timestamp: string
  readonly source: "server" | "widget"
  readonly [column: string]: string | number | null
}

/** DateTime64(3) in JSONEachRow's basic format. */
export const chTime = (date: Date): string => date.toISOString().replace("T", " ").replace("Z", "")

/**
 * A clock for one test's events. Recent on purpose: `events` has a retention TTL, so events
 * older than it would be deleted by the very merge the tests force.
 */
export const clockFrom = (start: Date = new Date(Date.now() - 60 * 60 * 1000)) => {
  const t0 = Math.floor(start.getTime())
  return { t0, at: (offsetMs: number) => chTime(new Date(t0 + offsetMs)) }
}

export const makeEvent = (
  base: Pick<EventRow, "workspace_id" | "project_id" | "session_id">,
  fields: Omit<Partial<EventRow>, "event_type" | "timestamp"> & Pick<EventRow, "event_type" | "timestamp">,
): EventRow => ({ event_id: randomUUID(), source: "server", ...base, ...fields })

export const insertEvents = (rows: ReadonlyArray<EventRow>) =>
  Effect.flatMap(ClickhouseClient, (ch) =>
    ch.insertQuery({ table: "events", values: rows, format: "JSONEachRow" }),
  )

/** A count as a JSON number: 64-bit results are quoted by the client settings. */
export const countOf = (query: string) =>
  Effect.gen(function* () {
    const ch = yield* ClickhouseClient
    const [row] = yield* ch.unsafe<{ n: number }>(`SELECT toUInt32((${query})) AS n`)
    return row?.n
  })
