import type { SqlError } from "@effect/sql/SqlError"
import { PgClient } from "@effect/sql-pg/PgClient"
import {
  EmailNotVerified,
  type InsufficientRole,
  type InternalDashboardError,
  type InvalidSlugFormat,
  type InvalidWorkspaceName,
  type NotAWorkspaceMember,
  WorkspaceNotFound,
  WorkspaceSlugAlreadyExists,
} from "@yavio/domain"
import { WorkspaceView } from "@yavio/domain/rpc/AccountsModels"
import { CurrentUser } from "@yavio/domain/rpc/CurrentUser"
import type { Role } from "@yavio/domain/rpc/Role"
import { Context, Effect, Either, Layer } from "effect"
import { Access } from "./Access.js"
import { AccountsConfig } from "./AccountsConfig.js"
import { AnalyticsPurge } from "./AnalyticsPurge.js"
import { workspaceName } from "./Names.js"
import { firstFreeSlug, slugify, validateSlug } from "./Slugs.js"
import { internal, violatedUniqueConstraint } from "./SqlFailure.js"

interface WorkspaceRow {
  readonly id: string
  readonly name: string
  readonly slug: string
  readonly plan: WorkspaceView["plan"]
  readonly owner_id: string
  readonly role: Role
  readonly member_count: number
  readonly created_at: Date
}

const toView = (row: WorkspaceRow, userId: string) =>
  new WorkspaceView({
    id: row.id,
    name: row.name,
    slug: row.slug,
    plan: row.plan,
    ownerId: row.owner_id,
    role: row.role,
    isOwner: row.owner_id === userId,
    memberCount: row.member_count,
    createdAt: row.created_at,
  })

const slugTaken = (error: SqlError) =>
  violatedUniqueConstraint(error) === "workspaces_slug_key"
    ? new WorkspaceSlugAlreadyExists({})
    : internal(error)

/**
 * Workspaces: the tenant. Creating one makes the creator owner and admin; slugs are globally
 * unique (`YAVIO-3150`), generated from the name with `-2`, `-3`… when not given.
 */
export class Workspaces extends Context.Tag("@yavio/accounts/Workspaces")<
  Workspaces,
  {
    readonly list: Effect.Effect<ReadonlyArray<WorkspaceView>, InternalDashboardError, CurrentUser>
    readonly getBySlug: (
      slug: string,
    ) => Effect.Effect<
      WorkspaceView,
      WorkspaceNotFound | NotAWorkspaceMember | InternalDashboardError,
      CurrentUser
    >
    readonly create: (input: {
      readonly name: string
      readonly slug?: string | undefined
    }) => Effect.Effect<
      WorkspaceView,
      | EmailNotVerified
      | InvalidWorkspaceName
      | InvalidSlugFormat
      | WorkspaceSlugAlreadyExists
      | InternalDashboardError,
      CurrentUser
    >
    readonly update: (input: {
      readonly workspaceId: string
      readonly name?: string | undefined
      readonly slug?: string | undefined
    }) => Effect.Effect<
      WorkspaceView,
      | NotAWorkspaceMember
      | InsufficientRole
      | InvalidWorkspaceName
      | InvalidSlugFormat
      | WorkspaceSlugAlreadyExists
      | InternalDashboardError,
      CurrentUser
    >
    readonly remove: (
      workspaceId: string,
    ) => Effect.Effect<void, NotAWorkspaceMember | InsufficientRole | InternalDashboardError, CurrentUser>
    /**
     * The personal workspace of a newly verified user: "<first name>'s workspace", slug from
     * the email's local part. Runs inside the caller's transaction.
     */
    readonly createDefault: (user: {
      readonly id: string
      readonly email: string
      readonly name: string | null
    }) => Effect.Effect<string, SqlError>
  }
>() {
  static readonly make = Effect.gen(function* () {
    const sql = yield* PgClient
    const access = yield* Access
    const analytics = yield* AnalyticsPurge
    const { defaultPlan } = yield* AccountsConfig

    const select = (userId: string) => sql`
      SELECT w.id, w.name, w.slug, w.plan, w.owner_id, m.role, w.created_at,
             (SELECT count(*)::int FROM workspace_members c WHERE c.workspace_id = w.id) AS member_count
      FROM workspaces w JOIN workspace_members m ON m.workspace_id = w.id AND m.user_id = ${userId}`

    const byId = (workspaceId: string, userId: string) =>
      sql<WorkspaceRow>`${select(userId)} WHERE w.id = ${workspaceId}`.pipe(
        Effect.map((rows) => toView(rows[0]!, userId)),
      )

    const freeSlug = (base: string) =>
      // Slugs are global: the lookup sees every tenant's (past row-level security).
      sql<{ slug: string }>`SELECT app_taken_workspace_slugs(${base}) AS slug`.pipe(
        Effect.map((rows) => firstFreeSlug(base, new Set(rows.map((r) => r.slug)))),
      )

    const insert = (userId: string, name: string, slug: string) =>
      Effect.gen(function* () {
        const [row] = yield* sql<{ id: string }>`
          INSERT INTO workspaces (name, slug, owner_id, plan) VALUES (${name}, ${slug}, ${userId}, ${defaultPlan})
          RETURNING id`
        yield* sql`INSERT INTO workspace_members (workspace_id, user_id, role) VALUES (${row!.id}, ${userId}, 'admin')`
        return row!.id
      })

    const list = Effect.gen(function* () {
      const user = yield* CurrentUser
      const rows = yield* sql<WorkspaceRow>`${select(user.id)} ORDER BY w.created_at, w.slug`
      return rows.map((row) => toView(row, user.id))
    }).pipe(Effect.catchTag("SqlError", (e) => Effect.fail(internal(e))))

    const getBySlug = (slug: string) =>
      Effect.gen(function* () {
        const user = yield* CurrentUser
        // Past row-level security: another tenant's slug answers 3102, an unknown one 3151.
        const [found] = yield* sql<{ id: string | null }>`SELECT app_workspace_by_slug(${slug}) AS id`.pipe(
          Effect.catchTag("SqlError", (e) => Effect.fail(internal(e))),
        )
        if (found?.id == null) return yield* new WorkspaceNotFound({})
        yield* access.membership(found.id)
        return yield* byId(found.id, user.id).pipe(
          Effect.catchTag("SqlError", (e) => Effect.fail(internal(e))),
        )
      })

    const create = (input: { readonly name: string; readonly slug?: string | undefined }) =>
      Effect.gen(function* () {
        const user = yield* CurrentUser
        if (!user.emailVerified) return yield* new EmailNotVerified({})
        const name = yield* workspaceName(input.name)
        const explicit = input.slug === undefined ? undefined : yield* validateSlug(input.slug)
        const id = yield* Effect.gen(function* () {
          const slug = explicit ?? (yield* freeSlug(slugify(name, "workspace")))
          return yield* insert(user.id, name, slug)
        }).pipe(
          sql.withTransaction,
          Effect.catchTag("SqlError", (e) => Effect.fail(slugTaken(e))),
        )
        return yield* byId(id, user.id).pipe(Effect.catchTag("SqlError", (e) => Effect.fail(internal(e))))
      })

    const update = (input: {
      readonly workspaceId: string
      readonly name?: string | undefined
      readonly slug?: string | undefined
    }) =>
      Effect.gen(function* () {
        const user = yield* CurrentUser
        yield* access.require(input.workspaceId, "workspace.update")
        const name = input.name === undefined ? null : yield* workspaceName(input.name)
        const slug = input.slug === undefined ? null : yield* validateSlug(input.slug)
        yield* sql`UPDATE workspaces SET name = coalesce(${name}, name), slug = coalesce(${slug}, slug)
                   WHERE id = ${input.workspaceId}`.pipe(
          Effect.catchTag("SqlError", (e) => Effect.fail(slugTaken(e))),
        )
        return yield* byId(input.workspaceId, user.id).pipe(
          Effect.catchTag("SqlError", (e) => Effect.fail(internal(e))),
        )
      })

    // Members, invitations, projects and keys go with it (ON DELETE CASCADE); then its analytics.
    const remove = (workspaceId: string) =>
      Effect.gen(function* () {
        yield* access.require(workspaceId, "workspace.delete")
        yield* sql`DELETE FROM workspaces WHERE id = ${workspaceId}`.pipe(
          Effect.catchTag("SqlError", (e) => Effect.fail(internal(e))),
        )
        yield* analytics.workspaces([workspaceId])
      })

    const createDefault = (user: {
      readonly id: string
      readonly email: string
      readonly name: string | null
    }) =>
      Effect.gen(function* () {
        const first = user.name?.trim().split(/\s+/)[0]
        const candidate = `${first && first.length > 0 ? first : "My"}'s workspace`
        // A name outside the allowed characters (e.g. an emoji) falls back on a plain one.
        const name = Either.getOrElse(workspaceName(candidate), () => "My workspace")
        const slug = yield* freeSlug(slugify(user.email.split("@")[0] ?? "", "workspace"))
        return yield* insert(user.id, name, slug)
      })

    return Workspaces.of({ list, getBySlug, create, update, remove, createDefault })
  })

  static readonly layer = Layer.effect(this, this.make)
}
