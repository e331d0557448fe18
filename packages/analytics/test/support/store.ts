/**
 * A migrated chDB store in a temp dir for one test file, plus the event fixture writer: rows
 * go in as ingest writes them (JSONEachRow, one insert per call).
 */
import { randomUUID } from "node:crypto"
import { ClickhouseClient } from "@effect/sql-clickhouse/ClickhouseClient"
import { Clickhouse, ClickhouseMigrator, StorageConfig } from "@yavio/storage"
import { TempDir } from "@yavio/testkit/TempDir"
import { ConfigProvider, Effect, Layer } from "effect"

/** The embedded ClickHouse (chDB) under a fresh temp dir, migrated on build. */
export const chdbStore = (prefix: string) => {
  const config = Layer.unwrapEffect(
    Effect.map(TempDir, (dir) =>
      StorageConfig.layer.pipe(
        Layer.provide(Layer.setConfigProvider(ConfigProvider.fromMap(new Map([["YAVIO_DATA_DIR", dir]])))),
      ),
    ),
  ).pipe(Layer.provideMerge(TempDir.layer(prefix)))
  const migrated = Layer.effectDiscard(Effect.flatMap(ClickhouseMigrator, (migrator) => migrator.run))
  return migrated.pipe(
    Layer.provideMerge(ClickhouseMigrator.layer),
    Layer.provideMerge(Clickhouse.layer),
    Layer.provideMerge(config),
    Layer.orDie,
  )
}

/** An event row without its session (fixtures add it per session). */
export interface RowFields {
  readonly event_id?: string
  readonly workspace_id?: string
  readonly project_id?: string
  readonly event_type: string
  /** Milliseconds after the fixture's t0. */
  readonly at: number
  readonly [column: string]: string | number | null | undefined
}

export interface Row extends RowFields {
  readonly session_id: string
}

const chTime = (ms: number): string => new Date(ms).toISOString().replace("T", " ").replace("Z", "")

/** Rows for one insert, stamped relative to `t0`, defaulting to the given tenant. */
export const insertRows = (
  t0: number,
  tenant: { readonly workspace_id: string; readonly project_id: string },
  rows: ReadonlyArray<Row>,
) =>
  Effect.flatMap(ClickhouseClient, (ch) =>
    ch.insertQuery({
      table: "events",
      format: "JSONEachRow",
      values: rows.map(({ at, ...row }) => ({
        event_id: randomUUID(),
        source: "server",
        ...tenant,
        ...row,
        timestamp: chTime(t0 + at),
      })),
    }),
  )
