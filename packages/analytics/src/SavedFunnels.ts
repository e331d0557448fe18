/**
 * Saved funnel definitions (dashboard.md §3.4): per project, a name and 2–10 step names, in
 * PostgreSQL (`funnels`, migration 0007). The project comes from authorization (the RPC layer);
 * every statement runs in the caller's tenant scope (accounts' `TenantScope`: row-level security
 * as the signed-in user). Saving a name that exists replaces its steps.
 */

import { PgClient } from "@effect/sql-pg/PgClient"
import { TenantScope } from "@yavio/accounts"
import type { InternalDashboardError } from "@yavio/domain"
import { InternalDashboardError as Internal } from "@yavio/domain"
import type { CurrentUser } from "@yavio/domain/rpc/CurrentUser"
import { CurrentUser as CurrentUserTag } from "@yavio/domain/rpc/CurrentUser"
import { Context, Effect, Layer } from "effect"

export interface SavedFunnel {
  readonly id: string
  readonly name: string
  readonly steps: ReadonlyArray<string>
  readonly createdAt: string
}

interface Row {
  readonly id: string
  readonly name: string
  readonly steps: ReadonlyArray<string>
  readonly created_at: Date | string
}

const view = (row: Row): SavedFunnel => ({
  id: row.id,
  name: row.name,
  steps: row.steps,
  createdAt: new Date(row.created_at).toISOString(),
})

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

const make = Effect.gen(function* () {
  const sql = yield* PgClient
  const tenant = yield* TenantScope
  const internal = (cause: unknown) => new Internal({ cause })
  type Out<A> = Effect.Effect<A, InternalDashboardError, CurrentUser>

  const list = (projectId: string): Out<ReadonlyArray<SavedFunnel>> =>
    tenant.run(
      sql<Row>`SELECT id, name, steps, created_at FROM funnels WHERE project_id = ${projectId} ORDER BY name`.pipe(
        Effect.map((rows) => rows.map(view)),
        Effect.mapError(internal),
      ),
    )

  const save = (projectId: string, name: string, steps: ReadonlyArray<string>): Out<SavedFunnel> =>
    Effect.flatMap(CurrentUserTag, (user) =>
      tenant.run(
        sql<Row>`INSERT INTO funnels (project_id, name, steps, created_by)
                 VALUES (${projectId}, ${name}, ARRAY(SELECT jsonb_array_elements_text(${JSON.stringify(steps)}::jsonb)), ${user.id})
                 ON CONFLICT (project_id, name) DO UPDATE SET steps = EXCLUDED.steps
                 RETURNING id, name, steps, created_at`.pipe(
          Effect.flatMap((rows) =>
            rows[0] === undefined ? Effect.fail(new Error("no row returned")) : Effect.succeed(view(rows[0])),
          ),
          Effect.mapError(internal),
        ),
      ),
    )

  /** Whether a funnel of this project was deleted. */
  const remove = (projectId: string, id: string): Out<boolean> =>
    UUID.test(id)
      ? tenant.run(
          sql<{
            id: string
          }>`DELETE FROM funnels WHERE project_id = ${projectId} AND id = ${id} RETURNING id`.pipe(
            Effect.map((rows) => rows.length > 0),
            Effect.mapError(internal),
          ),
        )
      : Effect.succeed(false)

  return { list, save, remove } as const
})

export class SavedFunnels extends Context.Tag("@yavio/analytics/SavedFunnels")<
  SavedFunnels,
  Effect.Effect.Success<typeof make>
>() {
  static readonly layer: Layer.Layer<SavedFunnels, never, PgClient | TenantScope> = Layer.effect(this, make)
}
