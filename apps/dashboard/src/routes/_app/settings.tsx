import { createFileRoute, Outlet } from "@tanstack/react-router"
import { SettingsFrame } from "../../components/SettingsFrame"
import { Shell } from "../../components/Shell"
import { recent } from "../../lib/recent"
import { keptProjects } from "../../lib/rpc"

/** `/settings/*` (§2.5 User): the caller's own profile, security and account, in the shell. */
export const Route = createFileRoute("/_app/settings")({
  beforeLoad: async ({ context }) => {
    const last = recent()
    const membership =
      context.me.memberships.find((m) => m.workspaceSlug === last.workspace) ?? context.me.memberships[0]
    const projects = membership === undefined ? [] : await keptProjects(membership.workspaceId)
    return { membership, projects }
  },
  component: UserSettingsLayout,
})

const tabs = [
  { to: "/settings/profile", label: "Profile" },
  { to: "/settings/security", label: "Security" },
  { to: "/settings/account", label: "Account" },
] as const

function UserSettingsLayout() {
  const { me, membership, projects } = Route.useRouteContext()
  const last = recent()
  const project = projects.find((p) => p.slug === last.project) ?? projects[0]
  return (
    <Shell me={me} membership={membership} project={project} projects={projects}>
      <SettingsFrame crumb="Account" title={me.user.name ?? me.user.email} tabs={tabs}>
        <Outlet />
      </SettingsFrame>
    </Shell>
  )
}
