import { createFileRoute, Outlet, useRouterState } from "@tanstack/react-router"
import type { MembershipSummary, ProjectView } from "@yavio/domain/rpc/AccountsModels"
import { FullPageError } from "../../../components/FullPageError"
import { Shell } from "../../../components/Shell"
import { ApiError } from "../../../lib/ApiError"
import { rpc } from "../../../lib/rpc"

/**
 * One project's pages: resolves the workspace and project slugs of the URL to the caller's
 * membership and the project row (unknown or foreign → full-page error with its code).
 */
let lastProject:
  | {
      readonly key: string
      readonly value: {
        readonly membership: MembershipSummary
        readonly project: ProjectView
        readonly projects: ReadonlyArray<ProjectView>
      }
    }
  | undefined

export const Route = createFileRoute("/_app/$workspace/$project")({
  beforeLoad: async ({ context, params, cause }) => {
    // Staying on this project (its views, filters, drill-downs): the rows are the same, and the
    // lookup counts against the per-user management limit.
    if (cause === "stay" && lastProject?.key === `${params.workspace}/${params.project}`)
      return lastProject.value
    const membership = context.me.memberships.find((m) => m.workspaceSlug === params.workspace)
    if (membership === undefined) {
      throw new ApiError("YAVIO-3151", `No workspace "${params.workspace}" among yours.`)
    }
    const projects = await rpc((c) => c.listProjects({ workspaceId: membership.workspaceId }))
    const project = projects.find((p) => p.slug === params.project)
    if (project === undefined) {
      throw new ApiError("YAVIO-3153", `No project "${params.project}" in ${membership.workspaceName}.`)
    }
    lastProject = { key: `${params.workspace}/${params.project}`, value: { membership, project, projects } }
    return { membership, project, projects }
  },
  errorComponent: ({ error }) => <FullPageError error={ApiError.from(error)} />,
  component: ProjectLayout,
})

function ProjectLayout() {
  const { membership, project, projects, me } = Route.useRouteContext()
  // §3.1: while a filter change of the same view loads, its old content stays, at 50 % opacity
  // (styles: `.view-body[data-refreshing]`); a move to another view shows its skeleton instead.
  const refreshing = useRouterState({
    select: (s) => s.status === "pending" && s.location.pathname === s.resolvedLocation?.pathname,
  })
  return (
    <Shell me={me} membership={membership} project={project} projects={projects}>
      <div className="view-body" data-refreshing={refreshing ? "true" : undefined} aria-busy={refreshing}>
        <Outlet />
      </div>
    </Shell>
  )
}
