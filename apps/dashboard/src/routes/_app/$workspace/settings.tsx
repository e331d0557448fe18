import { createFileRoute, Outlet } from "@tanstack/react-router"
import { FullPageError } from "../../../components/FullPageError"
import { PageError, SettingsFrame } from "../../../components/SettingsFrame"
import { Shell } from "../../../components/Shell"
import { ApiError } from "../../../lib/ApiError"
import { recent } from "../../../lib/recent"
import { can } from "../../../lib/roles"
import { keptProjects } from "../../../lib/rpc"

/**
 * `/$workspace/settings/*` (§2.5): the caller's membership of the URL's workspace and its
 * projects (the shell's selector). A static segment, so it ranks above `/$workspace/$project`.
 * Each page asks its service, which refuses roles below its rule with `YAVIO-3100`.
 */
export const Route = createFileRoute("/_app/$workspace/settings")({
  beforeLoad: async ({ context, params }) => {
    const membership = context.me.memberships.find((m) => m.workspaceSlug === params.workspace)
    if (membership === undefined) {
      throw new ApiError("YAVIO-3151", `No workspace "${params.workspace}" among yours.`)
    }
    const projects = await keptProjects(membership.workspaceId)
    return { membership, projects }
  },
  errorComponent: ({ error }) => <FullPageError error={ApiError.from(error)} />,
  component: WorkspaceSettingsLayout,
})

const workspaceTabs = [
  { to: "/$workspace/settings/general", label: "General" },
  { to: "/$workspace/settings/members", label: "Members" },
  { to: "/$workspace/settings/projects", label: "Projects" },
  { to: "/$workspace/settings/keys", label: "API keys" },
  { to: "/$workspace/settings/billing", label: "Billing" },
] as const

function WorkspaceSettingsLayout() {
  const { me, membership, projects } = Route.useRouteContext()
  const last = recent()
  const project =
    (last.workspace === membership.workspaceSlug
      ? projects.find((p) => p.slug === last.project)
      : undefined) ?? projects[0]
  return (
    <Shell me={me} membership={membership} project={project} projects={projects}>
      <SettingsFrame crumb="Settings" title={membership.workspaceName} tabs={workspaceTabs}>
        {can(membership, "settings.open") ? (
          <Outlet />
        ) : (
          // §2.2: viewers do not open workspace settings. Keys and members are refused by the
          // services too; the workspace's name and plan are readable by every member.
          <PageError error={{ code: "YAVIO-3100", message: "Viewers cannot open workspace settings." }} />
        )}
      </SettingsFrame>
    </Shell>
  )
}
