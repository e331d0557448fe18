import { Link, useNavigate } from "@tanstack/react-router"
import type { Me, MembershipSummary, ProjectView } from "@yavio/domain/rpc/AccountsModels"
import { type FormEvent, type ReactNode, useEffect, useRef, useState } from "react"
import { ApiError } from "../lib/ApiError"
import { logout } from "../lib/auth"
import { remember } from "../lib/recent"
import { can } from "../lib/roles"
import { keptProjects, rpc } from "../lib/rpc"
import { applyTheme, storedTheme, type ThemeChoice } from "../lib/theme"
import { Dialog } from "./Dialog"
import { ErrorNote, Field, formFields } from "./Forms"
import { projectViews } from "./projectViews"
import { toast } from "./Toasts"

/**
 * The app shell of §5.4: sidebar (workspace switcher + create, project selector + create, the
 * project's views, Settings, the user menu with the theme) and the scrolling main area. Without
 * a project (settings pages of a workspace that has none) the views are left out.
 */
export function Shell(props: {
  readonly me: Me
  readonly membership?: MembershipSummary | undefined
  readonly project?: ProjectView | undefined
  readonly projects?: ReadonlyArray<ProjectView> | undefined
  readonly children: ReactNode
}) {
  const navigate = useNavigate()
  const { membership, project } = props
  const projects = props.projects ?? []
  const [creating, setCreating] = useState<"workspace" | "project" | undefined>()

  useEffect(() => {
    if (membership !== undefined) remember({ workspace: membership.workspaceSlug, project: project?.slug })
  }, [membership, project])

  const switchWorkspace = async (slug: string) => {
    if (slug === "") return
    const target = props.me.memberships.find((m) => m.workspaceSlug === slug)
    if (target === undefined) return
    const list = await keptProjects(target.workspaceId).catch(() => [])
    const first = list[0]
    if (first === undefined) {
      await navigate({
        to: can(target, "settings.open") ? "/$workspace/settings/projects" : "/$workspace/settings/general",
        params: { workspace: slug },
      })
    } else {
      await navigate({
        to: "/$workspace/$project/overview",
        params: { workspace: slug, project: first.slug },
      })
    }
  }

  return (
    <div className="shell">
      <aside className="sidebar" aria-label="Sidebar">
        <Link to="/" className="logo">
          yavio
        </Link>
        <div className="switcher">
          <label htmlFor="workspace-switcher" className="switcher-label">
            Workspace
          </label>
          <select
            id="workspace-switcher"
            value={membership?.workspaceSlug ?? ""}
            onChange={(e) => void switchWorkspace(e.currentTarget.value)}
          >
            {membership === undefined ? <option value="">Choose a workspace</option> : null}
            {props.me.memberships.map((m) => (
              <option key={m.workspaceId} value={m.workspaceSlug}>
                {m.workspaceName}
              </option>
            ))}
          </select>
          <button type="button" className="link-button" onClick={() => setCreating("workspace")}>
            + Create workspace
          </button>
        </div>
        {membership === undefined ? null : (
          <div className="switcher">
            <label htmlFor="project-switcher" className="switcher-label">
              Project
            </label>
            <select
              id="project-switcher"
              value={project?.slug ?? ""}
              onChange={(e) => {
                const slug = e.currentTarget.value
                if (slug !== "")
                  void navigate({
                    to: "/$workspace/$project/overview",
                    params: { workspace: membership.workspaceSlug, project: slug },
                  })
              }}
            >
              {project === undefined ? (
                <option value="">{projects.length === 0 ? "No projects yet" : "Choose a project"}</option>
              ) : null}
              {projects.map((p) => (
                <option key={p.id} value={p.slug}>
                  {p.name}
                </option>
              ))}
            </select>
            {can(membership, "projects.manage") ? (
              <button type="button" className="link-button" onClick={() => setCreating("project")}>
                + Create project
              </button>
            ) : null}
          </div>
        )}
        {membership !== undefined && project !== undefined ? (
          <nav className="nav" aria-label="Project">
            {projectViews.map((view) => (
              <Link
                key={view.to}
                to={view.to}
                params={{ workspace: membership.workspaceSlug, project: project.slug }}
              >
                {view.label}
              </Link>
            ))}
          </nav>
        ) : null}
        <div className="sidebar-bottom">
          {membership !== undefined && can(membership, "settings.open") ? (
            <nav className="nav" aria-label="Workspace">
              <Link to="/$workspace/settings/general" params={{ workspace: membership.workspaceSlug }}>
                Settings
              </Link>
            </nav>
          ) : null}
          <UserMenu me={props.me} />
        </div>
      </aside>
      <main className="main" id="main">
        {props.children}
      </main>
      <CreateWorkspaceDialog open={creating === "workspace"} onClose={() => setCreating(undefined)} />
      {membership === undefined ? null : (
        <CreateProjectDialog
          open={creating === "project"}
          membership={membership}
          onClose={() => setCreating(undefined)}
        />
      )}
    </div>
  )
}

function UserMenu({ me }: { readonly me: Me }) {
  const navigate = useNavigate()
  const [open, setOpen] = useState(false)
  const [theme, setTheme] = useState<ThemeChoice>("system")
  const root = useRef<HTMLDivElement>(null)
  const trigger = useRef<HTMLButtonElement>(null)

  useEffect(() => setTheme(storedTheme()), [])
  useEffect(() => {
    if (!open) return
    root.current?.querySelector<HTMLElement>(".menu [role=menuitemradio], .menu a, .menu button")?.focus()
    const onKey = (e: KeyboardEvent) => {
      if (e.key === "Escape") {
        setOpen(false)
        trigger.current?.focus()
      }
    }
    const onClick = (e: MouseEvent) => {
      if (!root.current?.contains(e.target as Node)) setOpen(false)
    }
    document.addEventListener("keydown", onKey)
    document.addEventListener("mousedown", onClick)
    return () => {
      document.removeEventListener("keydown", onKey)
      document.removeEventListener("mousedown", onClick)
    }
  }, [open])

  const choose = (choice: ThemeChoice) => {
    applyTheme(choice)
    setTheme(choice)
  }

  return (
    <div className="user-menu" ref={root}>
      <button
        ref={trigger}
        type="button"
        className="user-button"
        aria-haspopup="menu"
        aria-expanded={open}
        onClick={() => setOpen((o) => !o)}
      >
        <span className="user-name">{me.user.name ?? me.user.email}</span>
        <span className="secondary user-email">{me.user.email}</span>
      </button>
      {open ? (
        <div className="menu" role="menu" aria-label="User menu">
          <fieldset className="menu-group">
            <legend className="visually-hidden">Theme</legend>
            {(["light", "dark", "system"] as const).map((choice) => (
              <button
                key={choice}
                type="button"
                role="menuitemradio"
                aria-checked={theme === choice}
                className="menu-item"
                onClick={() => choose(choice)}
              >
                {theme === choice ? "● " : "○ "}
                {choice === "light" ? "Light" : choice === "dark" ? "Dark" : "System"}
              </button>
            ))}
          </fieldset>
          <Link to="/settings/profile" role="menuitem" className="menu-item" onClick={() => setOpen(false)}>
            Account settings
          </Link>
          <button
            type="button"
            role="menuitem"
            className="menu-item"
            onClick={() => logout().finally(() => navigate({ to: "/login" }))}
          >
            Sign out
          </button>
        </div>
      ) : null}
    </div>
  )
}

function CreateWorkspaceDialog(props: { readonly open: boolean; readonly onClose: () => void }) {
  const navigate = useNavigate()
  const [error, setError] = useState<ApiError | undefined>()
  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault()
    const field = formFields(event.currentTarget)
    const slug = field("slug").trim()
    try {
      const workspace = await rpc((c) =>
        c.createWorkspace({ name: field("name"), ...(slug === "" ? {} : { slug }) }),
      )
      toast("Workspace created")
      props.onClose()
      // A new workspace has no project: onboarding continues from its project step.
      await navigate({ to: "/onboarding", search: { workspace: workspace.slug } })
    } catch (failure) {
      setError(ApiError.from(failure))
    }
  }
  return (
    <Dialog open={props.open} title="Create workspace" onClose={props.onClose}>
      <form className="stack" onSubmit={submit} noValidate>
        <Field label="Name" name="name" required maxLength={100} />
        <Field label="Slug" name="slug" hint="Optional: generated from the name." />
        <ErrorNote error={error} />
        <div className="actions">
          <button type="submit" className="button">
            Create workspace
          </button>
        </div>
      </form>
    </Dialog>
  )
}

function CreateProjectDialog(props: {
  readonly open: boolean
  readonly membership: MembershipSummary
  readonly onClose: () => void
}) {
  const navigate = useNavigate()
  const [error, setError] = useState<ApiError | undefined>()
  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault()
    const field = formFields(event.currentTarget)
    try {
      const project = await rpc((c) =>
        c.createProject({ workspaceId: props.membership.workspaceId, name: field("name") }),
      )
      toast("Project created")
      props.onClose()
      await navigate({
        to: "/$workspace/$project/overview",
        params: { workspace: props.membership.workspaceSlug, project: project.slug },
      })
    } catch (failure) {
      setError(ApiError.from(failure))
    }
  }
  return (
    <Dialog open={props.open} title="Create project" onClose={props.onClose}>
      <form className="stack" onSubmit={submit} noValidate>
        <Field label="Name" name="name" required maxLength={100} placeholder="Hotel Booking MCP" />
        <ErrorNote error={error} />
        <div className="actions">
          <button type="submit" className="button">
            Create project
          </button>
        </div>
      </form>
    </Dialog>
  )
}
