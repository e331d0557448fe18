import { Link, useNavigate } from "@tanstack/react-router"
import type { Me, MembershipSummary, ProjectView } from "@yavio/domain/rpc/AccountsModels"
import type { ReactNode } from "react"
import { logout } from "../lib/auth"
import { projectViews } from "./projectViews"

/** The app shell of §5.4: sidebar (workspace, project, nav, user) and the scrolling main area. */
export function Shell(props: {
  readonly me: Me
  readonly membership: MembershipSummary
  readonly project: ProjectView
  readonly projects: ReadonlyArray<ProjectView>
  readonly children: ReactNode
}) {
  const navigate = useNavigate()
  const params = { workspace: props.membership.workspaceSlug, project: props.project.slug }
  return (
    <div className="shell">
      <aside className="sidebar" aria-label="Sidebar">
        <div className="logo">yavio</div>
        <div>
          <div className="secondary">Workspace</div>
          <div>{props.membership.workspaceName}</div>
        </div>
        <div>
          <div className="secondary">Project</div>
          <div>{props.project.name}</div>
        </div>
        <nav className="nav" aria-label="Project">
          {projectViews.map((view) => (
            <Link key={view.to} to={view.to} params={params}>
              {view.label}
            </Link>
          ))}
        </nav>
        <div style={{ marginTop: "auto" }}>
          <div className="secondary">{props.me.user.email}</div>
          <button
            type="button"
            className="button secondary-button"
            onClick={() => logout().then(() => navigate({ to: "/login" }))}
          >
            Log out
          </button>
        </div>
      </aside>
      <main className="main">{props.children}</main>
    </div>
  )
}
