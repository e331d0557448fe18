import { createFileRoute, redirect } from "@tanstack/react-router"
import { recent } from "../../lib/recent"
import { keptProjects } from "../../lib/rpc"

/**
 * `/`: a project's Overview — of `?workspace=` when given (after joining one), else the one last
 * opened, else the first workspace with a project — or onboarding when there is none (§4).
 */
export const Route = createFileRoute("/_app/")({
  validateSearch: (search: Record<string, unknown>): { workspace?: string } =>
    typeof search.workspace === "string" ? { workspace: search.workspace } : {},
  beforeLoad: async ({ context, search }) => {
    const last = recent()
    const preferred = search.workspace ?? last.workspace
    const ordered = [...context.me.memberships].sort(
      (a, b) => Number(b.workspaceSlug === preferred) - Number(a.workspaceSlug === preferred),
    )
    for (const membership of ordered) {
      const projects = await keptProjects(membership.workspaceId)
      const chosen =
        (membership.workspaceSlug === last.workspace
          ? projects.find((p) => p.slug === last.project)
          : undefined) ?? projects[0]
      if (chosen !== undefined) {
        throw redirect({
          to: "/$workspace/$project/overview",
          params: { workspace: membership.workspaceSlug, project: chosen.slug },
        })
      }
      // A workspace joined without projects yet: its settings say so (viewers see general).
      if (membership.workspaceSlug === search.workspace) {
        throw redirect({
          to: "/$workspace/settings/general",
          params: { workspace: membership.workspaceSlug },
        })
      }
    }
    throw redirect({ to: "/onboarding" })
  },
})
