import { PgClient } from "@effect/sql-pg/PgClient"
import {
  type InsufficientRole,
  type InternalDashboardError,
  InvalidRole,
  MemberNotFound,
  type NotAWorkspaceMember,
  WorkspaceOwnerCannotBeRemoved,
} from "@yavio/domain"
import { MemberView } from "@yavio/domain/rpc/AccountsModels"
import { CurrentUser } from "@yavio/domain/rpc/CurrentUser"
import { Role } from "@yavio/domain/rpc/Role"
import { Context, Effect, Layer, Schema } from "effect"
import { Access } from "./Access.js"
import { internal, isUuid } from "./SqlFailure.js"

interface MemberRow {
  readonly user_id: string
  readonly name: string | null
  readonly email: string
  readonly role: Role
  readonly is_owner: boolean
  readonly joined_at: Date
}

const toView = (row: MemberRow) =>
  new MemberView({
    userId: row.user_id,
    name: row.name,
    email: row.email,
    role: row.role,
    isOwner: row.is_owner,
    joinedAt: row.joined_at,
  })

const isRole = Schema.is(Role)

/** `admin | member | viewer`, anything else `YAVIO-3303`. */
export const parseRole = (raw: string): Effect.Effect<Role, InvalidRole> =>
  isRole(raw) ? Effect.succeed(raw) : Effect.fail(new InvalidRole({ detail: "use admin, member or viewer" }))

type ManageError = NotAWorkspaceMember | InsufficientRole | InternalDashboardError

/**
 * Members of a workspace. The owner is `workspaces.owner_id`, always admin: never removed,
 * downgraded or allowed to leave (`YAVIO-3101`); ownership transfer is a later feature.
 */
export class Members extends Context.Tag("@yavio/accounts/Members")<
  Members,
  {
    readonly list: (workspaceId: string) => Effect.Effect<ReadonlyArray<MemberView>, ManageError, CurrentUser>
    readonly changeRole: (input: {
      readonly workspaceId: string
      readonly userId: string
      readonly role: string
    }) => Effect.Effect<
      MemberView,
      ManageError | InvalidRole | MemberNotFound | WorkspaceOwnerCannotBeRemoved,
      CurrentUser
    >
    readonly remove: (input: {
      readonly workspaceId: string
      readonly userId: string
    }) => Effect.Effect<void, ManageError | MemberNotFound | WorkspaceOwnerCannotBeRemoved, CurrentUser>
    readonly leave: (
      workspaceId: string,
    ) => Effect.Effect<void, ManageError | WorkspaceOwnerCannotBeRemoved, CurrentUser>
  }
>() {
  static readonly make = Effect.gen(function* () {
    const sql = yield* PgClient
    const access = yield* Access

    const select = (workspaceId: string) => sql`
      SELECT m.user_id, u.name, u.email, m.role, w.owner_id = m.user_id AS is_owner, m.joined_at
      FROM workspace_members m JOIN users u ON u.id = m.user_id JOIN workspaces w ON w.id = m.workspace_id
      WHERE m.workspace_id = ${workspaceId}`

    const target = (workspaceId: string, userId: string) =>
      Effect.gen(function* () {
        if (!isUuid(userId)) return yield* new MemberNotFound({})
        const rows = yield* sql<MemberRow>`${select(workspaceId)} AND m.user_id = ${userId}`.pipe(
          Effect.catchTag("SqlError", (e) => Effect.fail(internal(e))),
        )
        const row = rows[0]
        if (row === undefined) return yield* new MemberNotFound({})
        if (row.is_owner) return yield* new WorkspaceOwnerCannotBeRemoved({})
        return row
      })

    const list = (workspaceId: string) =>
      Effect.gen(function* () {
        yield* access.require(workspaceId, "members.list")
        const rows = yield* sql<MemberRow>`${select(workspaceId)} ORDER BY m.joined_at, u.email`.pipe(
          Effect.catchTag("SqlError", (e) => Effect.fail(internal(e))),
        )
        return rows.map(toView)
      })

    const changeRole = (input: {
      readonly workspaceId: string
      readonly userId: string
      readonly role: string
    }) =>
      Effect.gen(function* () {
        yield* access.require(input.workspaceId, "members.manage")
        const role = yield* parseRole(input.role)
        const row = yield* target(input.workspaceId, input.userId)
        yield* sql`UPDATE workspace_members SET role = ${role}
                   WHERE workspace_id = ${input.workspaceId} AND user_id = ${input.userId}`.pipe(
          Effect.catchTag("SqlError", (e) => Effect.fail(internal(e))),
        )
        return toView({ ...row, role })
      })

    const remove = (input: { readonly workspaceId: string; readonly userId: string }) =>
      Effect.gen(function* () {
        yield* access.require(input.workspaceId, "members.manage")
        yield* target(input.workspaceId, input.userId)
        yield* sql`DELETE FROM workspace_members WHERE workspace_id = ${input.workspaceId} AND user_id = ${input.userId}`.pipe(
          Effect.catchTag("SqlError", (e) => Effect.fail(internal(e))),
        )
      })

    const leave = (workspaceId: string) =>
      Effect.gen(function* () {
        const user = yield* CurrentUser
        const membership = yield* access.membership(workspaceId)
        if (membership.isOwner) {
          return yield* new WorkspaceOwnerCannotBeRemoved({
            detail: "the owner cannot leave; delete the workspace",
          })
        }
        yield* sql`DELETE FROM workspace_members WHERE workspace_id = ${workspaceId} AND user_id = ${user.id}`.pipe(
          Effect.catchTag("SqlError", (e) => Effect.fail(internal(e))),
        )
      })

    return Members.of({ list, changeRole, remove, leave })
  })

  static readonly layer = Layer.effect(this, this.make)
}
