import { PgClient } from "@effect/sql-pg/PgClient"
import {
  InsufficientRole,
  type InternalDashboardError,
  NotAWorkspaceMember,
  ProjectNotFound,
} from "@yavio/domain"
import { CurrentUser } from "@yavio/domain/rpc/CurrentUser"
import type { Role } from "@yavio/domain/rpc/Role"
import { Context, Effect, Layer } from "effect"
import { type Capability, can, type Membership } from "./Permissions.js"
import { internal, isUuid } from "./SqlFailure.js"

export interface ProjectRow {
  readonly id: string
  readonly workspace_id: string
  readonly name: string
  readonly slug: string
  readonly created_at: Date
}

/**
 * Authorization, the one place that answers "may the current user do this here?": membership
 * of the workspace (`YAVIO-3102` when there is none, also for ids that do not exist, so a
 * probe learns nothing) and the capability of their role (`YAVIO-3100`). Every service
 * method on a workspace or project starts here.
 */
export class Access extends Context.Tag("@yavio/accounts/Access")<
  Access,
  {
    readonly membership: (
      workspaceId: string,
    ) => Effect.Effect<Membership, NotAWorkspaceMember | InternalDashboardError, CurrentUser>
    readonly require: (
      workspaceId: string,
      capability: Capability,
    ) => Effect.Effect<
      Membership,
      NotAWorkspaceMember | InsufficientRole | InternalDashboardError,
      CurrentUser
    >
    /** The project and the caller's membership of its workspace, checked for `capability`. */
    readonly requireProject: (
      projectId: string,
      capability: Capability,
    ) => Effect.Effect<
      { readonly project: ProjectRow; readonly membership: Membership },
      ProjectNotFound | NotAWorkspaceMember | InsufficientRole | InternalDashboardError,
      CurrentUser
    >
  }
>() {
  static readonly make = Effect.gen(function* () {
    const sql = yield* PgClient

    const membership = (workspaceId: string) =>
      Effect.gen(function* () {
        const user = yield* CurrentUser
        if (!isUuid(workspaceId)) return yield* new NotAWorkspaceMember({})
        const rows = yield* sql<{ role: Role; is_owner: boolean }>`
          SELECT m.role, w.owner_id = m.user_id AS is_owner
          FROM workspace_members m JOIN workspaces w ON w.id = m.workspace_id
          WHERE m.workspace_id = ${workspaceId} AND m.user_id = ${user.id}`.pipe(
          Effect.catchTag("SqlError", (e) => Effect.fail(internal(e))),
        )
        const row = rows[0]
        if (row === undefined) return yield* new NotAWorkspaceMember({})
        return { workspaceId, role: row.role, isOwner: row.is_owner } satisfies Membership
      })

    const require = (workspaceId: string, capability: Capability) =>
      Effect.flatMap(membership(workspaceId), (m) =>
        can(m, capability)
          ? Effect.succeed(m)
          : Effect.fail(
              new InsufficientRole({ detail: `${m.isOwner ? "owner" : m.role} cannot ${capability}` }),
            ),
      )

    const requireProject = (projectId: string, capability: Capability) =>
      Effect.gen(function* () {
        if (!isUuid(projectId)) return yield* new ProjectNotFound({})
        // Which workspace holds it, asked past row-level security: a project of another
        // tenant answers "not a member" (3102), only an unknown one "not found" (3153).
        const [owner] = yield* sql<{ workspace_id: string | null }>`
          SELECT app_project_workspace(${projectId}) AS workspace_id`.pipe(
          Effect.catchTag("SqlError", (e) => Effect.fail(internal(e))),
        )
        if (owner?.workspace_id == null) return yield* new ProjectNotFound({})
        const m = yield* require(owner.workspace_id, capability)
        const rows = yield* sql<ProjectRow>`
          SELECT id, workspace_id, name, slug, created_at FROM projects WHERE id = ${projectId}`.pipe(
          Effect.catchTag("SqlError", (e) => Effect.fail(internal(e))),
        )
        const project = rows[0]
        if (project === undefined) return yield* new ProjectNotFound({})
        return { project, membership: m }
      })

    return Access.of({ membership, require, requireProject })
  })

  static readonly layer = Layer.effect(this, this.make)
}
