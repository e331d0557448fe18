import type { SqlError } from "@effect/sql/SqlError"
import { PgClient } from "@effect/sql-pg/PgClient"
import {
  type InsufficientRole,
  type InternalDashboardError,
  type InvalidProjectName,
  type InvalidSlugFormat,
  type NotAWorkspaceMember,
  type ProjectNotFound,
  ProjectSlugAlreadyExists,
} from "@yavio/domain"
import { ProjectView } from "@yavio/domain/rpc/AccountsModels"
import type { CurrentUser } from "@yavio/domain/rpc/CurrentUser"
import { Context, Effect, Layer } from "effect"
import { Access, type ProjectRow } from "./Access.js"
import { AnalyticsPurge } from "./AnalyticsPurge.js"
import { projectName } from "./Names.js"
import { firstFreeSlug, slugify, validateSlug } from "./Slugs.js"
import { internal, orInternal, violatedUniqueConstraint } from "./SqlFailure.js"

const toView = (row: ProjectRow) =>
  new ProjectView({
    id: row.id,
    workspaceId: row.workspace_id,
    name: row.name,
    slug: row.slug,
    createdAt: row.created_at,
  })

const slugTaken = (error: SqlError) =>
  violatedUniqueConstraint(error) === "projects_workspace_slug_key"
    ? new ProjectSlugAlreadyExists({})
    : internal(error)

type ProjectAccessError = ProjectNotFound | NotAWorkspaceMember | InsufficientRole | InternalDashboardError

/** Projects: one instrumented MCP server each; slugs unique per workspace (`YAVIO-3152`). */
export class Projects extends Context.Tag("@yavio/accounts/Projects")<
  Projects,
  {
    readonly list: (
      workspaceId: string,
    ) => Effect.Effect<
      ReadonlyArray<ProjectView>,
      NotAWorkspaceMember | InsufficientRole | InternalDashboardError,
      CurrentUser
    >
    readonly create: (input: {
      readonly workspaceId: string
      readonly name: string
      readonly slug?: string | undefined
    }) => Effect.Effect<
      ProjectView,
      | NotAWorkspaceMember
      | InsufficientRole
      | InvalidProjectName
      | InvalidSlugFormat
      | ProjectSlugAlreadyExists
      | InternalDashboardError,
      CurrentUser
    >
    readonly update: (input: {
      readonly projectId: string
      readonly name?: string | undefined
      readonly slug?: string | undefined
    }) => Effect.Effect<
      ProjectView,
      ProjectAccessError | InvalidProjectName | InvalidSlugFormat | ProjectSlugAlreadyExists,
      CurrentUser
    >
    readonly remove: (projectId: string) => Effect.Effect<void, ProjectAccessError, CurrentUser>
  }
>() {
  static readonly make = Effect.gen(function* () {
    const sql = yield* PgClient
    const access = yield* Access
    const analytics = yield* AnalyticsPurge

    const list = (workspaceId: string) =>
      Effect.gen(function* () {
        yield* access.require(workspaceId, "projects.list")
        const rows = yield* sql<ProjectRow>`
          SELECT id, workspace_id, name, slug, created_at FROM projects
          WHERE workspace_id = ${workspaceId} ORDER BY created_at, slug`.pipe(orInternal)
        return rows.map(toView)
      })

    const create = (input: {
      readonly workspaceId: string
      readonly name: string
      readonly slug?: string | undefined
    }) =>
      Effect.gen(function* () {
        yield* access.require(input.workspaceId, "projects.manage")
        const name = yield* projectName(input.name)
        const explicit = input.slug === undefined ? undefined : yield* validateSlug(input.slug)
        const row = yield* Effect.gen(function* () {
          const slug =
            explicit ??
            firstFreeSlug(
              slugify(name, "project"),
              new Set(
                (yield* sql<{
                  slug: string
                }>`SELECT slug FROM projects WHERE workspace_id = ${input.workspaceId}`).map((r) => r.slug),
              ),
            )
          const [row] = yield* sql<ProjectRow>`
            INSERT INTO projects (workspace_id, name, slug) VALUES (${input.workspaceId}, ${name}, ${slug})
            RETURNING id, workspace_id, name, slug, created_at`
          return row!
        }).pipe(Effect.catchTag("SqlError", (e) => Effect.fail(slugTaken(e))))
        return toView(row)
      })

    const update = (input: {
      readonly projectId: string
      readonly name?: string | undefined
      readonly slug?: string | undefined
    }) =>
      Effect.gen(function* () {
        yield* access.requireProject(input.projectId, "projects.manage")
        const name = input.name === undefined ? null : yield* projectName(input.name)
        const slug = input.slug === undefined ? null : yield* validateSlug(input.slug)
        const [row] = yield* sql<ProjectRow>`
          UPDATE projects SET name = coalesce(${name}, name), slug = coalesce(${slug}, slug)
          WHERE id = ${input.projectId} RETURNING id, workspace_id, name, slug, created_at`.pipe(
          Effect.catchTag("SqlError", (e) => Effect.fail(slugTaken(e))),
        )
        return toView(row!)
      })

    // Its keys go with it (ON DELETE CASCADE), from then on ingest rejects them; then its analytics.
    const remove = (projectId: string) =>
      Effect.gen(function* () {
        yield* access.requireProject(projectId, "projects.manage")
        yield* sql`DELETE FROM projects WHERE id = ${projectId}`.pipe(orInternal)
        yield* analytics.project(projectId)
      })

    return Projects.of({ list, create, update, remove })
  })

  static readonly layer = Layer.effect(this, this.make)
}
