import { TransactionConnection } from "@effect/sql/SqlClient"
import { ClickhouseClient } from "@effect/sql-clickhouse/ClickhouseClient"
import { Context, Effect, Layer } from "effect"

// Every ClickHouse table holding a tenant's analytics; all are keyed by workspace and project.
const tables = [
  "events",
  "sessions_agg",
  "users_agg",
  "tool_registry",
  "counted_events_by_bucket",
  "session_activity",
  "session_buckets",
  "bucket_totals",
  "trace_buckets",
] as const

/**
 * The ClickHouse half of the deletion cascades (dashboard.md §2.6): a deleted project or
 * workspace takes its events and the aggregates built from them. Mutations run synchronously
 * (`mutations_sync = 2`) so the rows are gone when the call returns. A failure is logged with
 * the ids and does not undo the PostgreSQL deletion that preceded it: the tenant is already
 * unreachable, and the retention TTL removes what a failed purge left.
 */
export class AnalyticsPurge extends Context.Tag("@yavio/accounts/AnalyticsPurge")<
  AnalyticsPurge,
  {
    readonly project: (projectId: string) => Effect.Effect<void>
    readonly workspaces: (workspaceIds: ReadonlyArray<string>) => Effect.Effect<void>
  }
>() {
  static readonly make = Effect.gen(function* () {
    const ch = yield* ClickhouseClient
    const purge = (column: "project_id" | "workspace_id", ids: ReadonlyArray<string>) =>
      ids.length === 0
        ? Effect.void
        : Effect.forEach(
            tables,
            (table) =>
              // Identifiers come from the constants above; the ids are bound parameters.
              ch.asCommand(
                ch`ALTER TABLE ${ch.unsafe(table)} DELETE WHERE ${ch.unsafe(column)} IN ${ch.param("Array(String)", ids)}`,
              ),
            { discard: true },
          ).pipe(
            ch.withClickhouseSettings({ mutations_sync: "2" }),
            // @effect/sql keeps an open transaction's connection under one tag shared by every
            // client: called inside a PostgreSQL transaction, these statements would go to
            // PostgreSQL. ClickHouse has no transaction to join, so drop it.
            Effect.mapInputContext((context: Context.Context<never>) =>
              Context.omit(TransactionConnection)(context),
            ),
            Effect.catchAll((cause) =>
              Effect.logError("analytics purge failed; rows stay until the retention TTL", cause).pipe(
                Effect.annotateLogs({ [column]: ids.join(",") }),
              ),
            ),
          )
    return AnalyticsPurge.of({
      project: (projectId) => purge("project_id", [projectId]),
      workspaces: (workspaceIds) => purge("workspace_id", workspaceIds),
    })
  })

  static readonly layer = Layer.effect(this, this.make)
}
