import { PgClient } from "@effect/sql-pg/PgClient"
import type { InternalDashboardError } from "@yavio/domain"
import { CurrentUser } from "@yavio/domain/rpc/CurrentUser"
import { Context, Effect, Layer } from "effect"
import { orInternal } from "./SqlFailure.js"

/**
 * Runs a user-facing call inside PostgreSQL's row-level security (storage migration 0006): one
 * transaction that sets `app.current_user_id` and switches to the role `yavio_app`, whose
 * policies show only the rows of the caller's workspaces. The code still checks every
 * permission itself; this is the second wall, for the query that forgets its filter.
 *
 * `enforced` is false when the database user could not be granted `yavio_app` (no
 * CREATEROLE on a managed server): calls then run as the owner, and start-up logs it.
 */
export class TenantScope extends Context.Tag("@yavio/accounts/TenantScope")<
  TenantScope,
  {
    readonly enforced: boolean
    readonly run: <A, E, R>(
      effect: Effect.Effect<A, E, R>,
    ) => Effect.Effect<A, E | InternalDashboardError, R | CurrentUser>
  }
>() {
  static readonly make = Effect.gen(function* () {
    const sql = yield* PgClient
    const enforced = yield* sql<{
      ok: boolean
    }>`SELECT pg_has_role(current_user, 'yavio_app', 'MEMBER') AS ok`.pipe(
      Effect.map((rows) => rows[0]?.ok === true),
      // The role does not exist: migration 0006 could not create it.
      Effect.orElseSucceed(() => false),
    )
    if (!enforced) {
      yield* Effect.logWarning(
        "PostgreSQL row-level security is not active: the database user cannot use the role yavio_app (grant it CREATEROLE, or GRANT yavio_app TO it)",
      )
    }
    const run = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
      enforced
        ? Effect.flatMap(CurrentUser, (user) =>
            Effect.gen(function* () {
              yield* sql`SELECT set_config('app.current_user_id', ${user.id}, true)`
              yield* sql`SET LOCAL ROLE yavio_app`
              return yield* effect
            }).pipe(sql.withTransaction, orInternal),
          )
        : effect
    return TenantScope.of({ enforced, run })
  })

  static readonly layer = Layer.effect(this, this.make)
}
