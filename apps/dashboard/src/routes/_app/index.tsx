import { createFileRoute, redirect } from "@tanstack/react-router"
import { rpc } from "../../lib/rpc"

/** `/`: the first project of the first workspace, or onboarding when there is none (§4). */
export const Route = createFileRoute("/_app/")({
  beforeLoad: async ({ context }) => {
    for (const membership of context.me.memberships) {
      const projects = await rpc((c) => c.listProjects({ workspaceId: membership.workspaceId }))
      const first = projects[0]
      if (first !== undefined) {
        throw redirect({
          to: "/$workspace/$project/overview",
          params: { workspace: membership.workspaceSlug, project: first.slug },
        })
      }
    }
    throw redirect({ to: "/onboarding" })
  },
})
