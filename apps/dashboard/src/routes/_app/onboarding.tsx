import { createFileRoute, Link, useNavigate } from "@tanstack/react-router"
import type { ProjectView } from "@yavio/domain/rpc/AccountsModels"
import { type FormEvent, type KeyboardEvent, useEffect, useRef, useState } from "react"
import { CopyButton } from "../../components/CopyButton"
import { ErrorNote, Field, formFields } from "../../components/Forms"
import { ApiError } from "../../lib/ApiError"
import { authConfig } from "../../lib/auth"
import { keptProjects, rpc } from "../../lib/rpc"

/**
 * The setup wizard of dashboard.md §4: workspace → first project → API key (shown once) →
 * snippet → waiting for the first event (asked every 2 s) → the project's Overview. One action
 * per step, Continue at the bottom right; "Skip for now" leaves the wait.
 */
export const Route = createFileRoute("/_app/onboarding")({
  // `?workspace=` starts at the project step (a workspace just created); with `&project=` the
  // wizard reopens steps 3–5 for that project (the empty Overview's call to action, §4).
  validateSearch: (search: Record<string, unknown>): OnboardingSearch => ({
    ...(typeof search.workspace === "string" ? { workspace: search.workspace } : {}),
    ...(typeof search.project === "string" ? { project: search.project } : {}),
  }),
  loaderDeps: ({ search }) => ({ workspace: search.workspace, project: search.project }),
  loader: async ({ context, deps }) => {
    const membership = context.me.memberships.find((m) => m.workspaceSlug === deps.workspace)
    if (membership === undefined || deps.project === undefined) return { reopened: undefined }
    const projects = await keptProjects(membership.workspaceId)
    return { reopened: projects.find((p) => p.slug === deps.project) }
  },
  head: () => ({ meta: [{ title: "Set up Yavio · Yavio" }] }),
  component: OnboardingPage,
})

export interface OnboardingSearch {
  readonly workspace?: string
  readonly project?: string
}

const STEPS = ["Workspace", "Project", "API key", "Install", "First event"] as const

interface WorkspaceRef {
  readonly id: string
  readonly slug: string
  readonly name: string
}

function OnboardingPage() {
  const { me } = Route.useRouteContext()
  const search = Route.useSearch()
  const given = me.memberships.find((m) => m.workspaceSlug === search.workspace)
  const owned = me.memberships.find((m) => m.isOwner)
  const start = given ?? owned
  const { reopened } = Route.useLoaderData()
  const [step, setStep] = useState(reopened !== undefined ? 2 : given === undefined ? 0 : 1)
  const [workspace, setWorkspace] = useState<WorkspaceRef | undefined>(
    start === undefined
      ? undefined
      : { id: start.workspaceId, slug: start.workspaceSlug, name: start.workspaceName },
  )
  const [project, setProject] = useState<ProjectView | undefined>(reopened)
  const [apiKey, setApiKey] = useState<string | undefined>()
  const heading = useRef<HTMLHeadingElement>(null)

  // Route change → page title (§5.10); each step moves focus to its own heading.
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs on purpose whenever the step changes
  useEffect(() => {
    heading.current?.focus()
  }, [step])

  return (
    <main className="onboarding-page">
      <div className="onboarding-card">
        <div className="logo" aria-hidden="true">
          yavio
        </div>
        <ol className="steps" aria-label="Setup steps">
          {STEPS.map((label, i) => (
            <li
              key={label}
              className={i === step ? "step current" : i < step ? "step done" : "step"}
              aria-current={i === step ? "step" : undefined}
            >
              <span className="step-mark" aria-hidden="true">
                {i < step ? "✓" : i + 1}
              </span>
              <span className="step-label">{label}</span>
              {i < step ? <span className="visually-hidden"> (done)</span> : null}
            </li>
          ))}
        </ol>
        <h1 ref={heading} tabIndex={-1}>
          {step === 0
            ? "Name your workspace"
            : step === 1
              ? "Create your first project"
              : step === 2
                ? "Your API key"
                : step === 3
                  ? "Add Yavio to your MCP server"
                  : "Waiting for your first event"}
        </h1>
        {step === 0 ? (
          <WorkspaceStep
            workspace={workspace}
            onDone={(w) => {
              setWorkspace(w)
              setStep(1)
            }}
          />
        ) : step === 1 && workspace !== undefined ? (
          <ProjectStep
            workspace={workspace}
            onDone={(p) => {
              setProject(p)
              setStep(2)
            }}
          />
        ) : step === 2 && project !== undefined ? (
          <KeyStep project={project} apiKey={apiKey} onKey={setApiKey} onDone={() => setStep(3)} />
        ) : step === 3 && apiKey !== undefined ? (
          <SnippetStep apiKey={apiKey} onDone={() => setStep(4)} />
        ) : step === 4 && project !== undefined && workspace !== undefined ? (
          <WaitStep workspace={workspace} project={project} />
        ) : (
          <p>
            <Link to="/">Go to your dashboard</Link>
          </p>
        )}
      </div>
    </main>
  )
}

function Continue(props: { readonly busy?: boolean; readonly label?: string }) {
  return (
    <div className="actions">
      <button type="submit" className="button" disabled={props.busy}>
        {props.label ?? "Continue"}
      </button>
    </div>
  )
}

function WorkspaceStep(props: {
  readonly workspace: WorkspaceRef | undefined
  readonly onDone: (w: WorkspaceRef) => void
}) {
  const [error, setError] = useState<ApiError | undefined>()
  const [busy, setBusy] = useState(false)
  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault()
    const field = formFields(event.currentTarget)
    const name = field("name")
    const slug = field("slug").trim()
    setBusy(true)
    setError(undefined)
    try {
      const current = props.workspace
      const saved =
        current === undefined
          ? await rpc((c) => c.createWorkspace({ name, ...(slug === "" ? {} : { slug }) }))
          : name === current.name && slug === current.slug
            ? current
            : await rpc((c) =>
                c.updateWorkspace({
                  workspaceId: current.id,
                  ...(name === current.name ? {} : { name }),
                  ...(slug === current.slug || slug === "" ? {} : { slug }),
                }),
              )
      props.onDone({ id: saved.id, slug: saved.slug, name: saved.name })
    } catch (failure) {
      setError(ApiError.from(failure))
      setBusy(false)
    }
  }
  return (
    <form className="stack" onSubmit={submit} noValidate>
      <p className="secondary">A workspace holds your team's projects. You can rename it later.</p>
      <Field
        label="Workspace name"
        name="name"
        required
        maxLength={100}
        defaultValue={props.workspace?.name ?? ""}
      />
      <Field
        label="Workspace URL slug"
        name="slug"
        defaultValue={props.workspace?.slug ?? ""}
        hint="Lower-case letters, digits and hyphens; it appears in your dashboard's URLs."
      />
      <ErrorNote error={error} />
      <Continue busy={busy} />
    </form>
  )
}

function ProjectStep(props: { readonly workspace: WorkspaceRef; readonly onDone: (p: ProjectView) => void }) {
  const [error, setError] = useState<ApiError | undefined>()
  const [busy, setBusy] = useState(false)
  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault()
    const field = formFields(event.currentTarget)
    setBusy(true)
    setError(undefined)
    try {
      props.onDone(
        await rpc((c) => c.createProject({ workspaceId: props.workspace.id, name: field("name") })),
      )
    } catch (failure) {
      setError(ApiError.from(failure))
      setBusy(false)
    }
  }
  return (
    <form className="stack" onSubmit={submit} noValidate>
      <p className="secondary">A project is one MCP server or app. Its URL slug is made from the name.</p>
      <Field label="Project name" name="name" required maxLength={100} placeholder="Hotel Booking MCP" />
      <ErrorNote error={error} />
      <Continue busy={busy} />
    </form>
  )
}

function KeyStep(props: {
  readonly project: ProjectView
  readonly apiKey: string | undefined
  readonly onKey: (key: string) => void
  readonly onDone: () => void
}) {
  const [error, setError] = useState<ApiError | undefined>()
  const asked = useRef(false)
  const { project, apiKey, onKey } = props
  useEffect(() => {
    if (apiKey !== undefined || asked.current) return
    asked.current = true
    rpc((c) => c.createApiKey({ projectId: project.id, name: "Default" }))
      .then((created) => onKey(created.fullKey))
      .catch((failure: unknown) => setError(ApiError.from(failure)))
  }, [apiKey, project, onKey])
  return (
    <form
      className="stack"
      onSubmit={(e) => {
        e.preventDefault()
        props.onDone()
      }}
    >
      <p className="secondary">
        This is the only time the full key is shown. Copy it now; you can create more keys in Settings.
      </p>
      {apiKey === undefined ? (
        error === undefined ? (
          <div className="skeleton" style={{ height: 40 }} aria-busy="true" />
        ) : null
      ) : (
        <div className="key-box">
          <code data-testid="api-key">{apiKey}</code>
          <CopyButton text={apiKey} label="Copy key" toastText="API key copied" />
        </div>
      )}
      <ErrorNote error={error} />
      {apiKey === undefined ? null : <Continue />}
    </form>
  )
}

function SnippetStep(props: { readonly apiKey: string; readonly onDone: () => void }) {
  const [tab, setTab] = useState<"server" | "widget">("server")
  const [ingestUrl, setIngestUrl] = useState<string | undefined>()
  useEffect(() => {
    authConfig()
      .then((c) => setIngestUrl(c.ingestUrl))
      .catch(() => setIngestUrl(undefined))
  }, [])
  const endpoint = ingestUrl === undefined ? "" : `,\n  endpoint: "${ingestUrl}/v1/events",`
  const server = `import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js"
import { withYavio } from "@yavio/sdk"

const server = withYavio(new McpServer({ name: "my-app", version: "1.0.0" }), {
  apiKey: "${props.apiKey}"${endpoint}
})`
  const widget = `import { useYavio } from "@yavio/sdk/react"

export function Widget() {
  // Reads the widget token the server attached to the tool result: no key in the browser.
  const yavio = useYavio()
  return <button onClick={() => yavio.conversion("booking", { value: 120, currency: "USD" })}>Book</button>
}`
  const code = tab === "server" ? server : widget
  const onKey = (e: KeyboardEvent<HTMLButtonElement>) => {
    if (e.key === "ArrowRight" || e.key === "ArrowLeft") {
      const nextTab = tab === "server" ? "widget" : "server"
      setTab(nextTab)
      document.getElementById(`tab-${nextTab}`)?.focus()
    }
  }
  return (
    <form
      className="stack"
      onSubmit={(e) => {
        e.preventDefault()
        props.onDone()
      }}
    >
      <p className="secondary">
        Install <code>@yavio/sdk</code> and wrap your server. Every tool call is then recorded.
      </p>
      <div role="tablist" aria-label="Snippet" className="tabs">
        {(["server", "widget"] as const).map((t) => (
          <button
            key={t}
            id={`tab-${t}`}
            type="button"
            role="tab"
            aria-selected={tab === t}
            aria-controls="snippet-panel"
            tabIndex={tab === t ? 0 : -1}
            className="tab"
            onClick={() => setTab(t)}
            onKeyDown={onKey}
          >
            {t === "server" ? "Server" : "Widget"}
          </button>
        ))}
      </div>
      <div id="snippet-panel" role="tabpanel" aria-labelledby={`tab-${tab}`} className="snippet">
        <pre>
          <code data-testid="snippet">{code}</code>
        </pre>
        <CopyButton text={code} label="Copy snippet" toastText="Snippet copied" />
      </div>
      <Continue />
    </form>
  )
}

function WaitStep(props: { readonly workspace: WorkspaceRef; readonly project: ProjectView }) {
  const navigate = useNavigate()
  const [arrived, setArrived] = useState(false)
  const [error, setError] = useState<ApiError | undefined>()
  const { project } = props
  useEffect(() => {
    if (arrived) return
    let stopped = false
    const check = async () => {
      try {
        const { at } = await rpc((c) => c.firstEvent({ projectId: project.id }))
        if (stopped) return
        setError(undefined)
        if (at !== null) setArrived(true)
      } catch (failure) {
        if (!stopped) setError(ApiError.from(failure))
      }
    }
    void check()
    const timer = setInterval(check, 2000)
    return () => {
      stopped = true
      clearInterval(timer)
    }
  }, [arrived, project])

  const params = { workspace: props.workspace.slug, project: props.project.slug }
  return (
    <form
      className="stack"
      onSubmit={(e) => {
        e.preventDefault()
        void navigate({ to: "/$workspace/$project/overview", params })
      }}
    >
      <p className="wait-status" role="status" aria-live="polite">
        {arrived ? (
          <>
            <span className="wait-check" aria-hidden="true">
              ✓
            </span>{" "}
            Your first event arrived.
          </>
        ) : (
          <>
            <span className="pulse-dot" aria-hidden="true" /> Waiting for your first event…
          </>
        )}
      </p>
      <p className="secondary">Start your MCP server and call one tool. This page checks every 2 seconds.</p>
      <ErrorNote error={error} />
      <div className="actions">
        {arrived ? null : (
          <Link to="/$workspace/$project/overview" params={params} className="skip-link">
            Skip for now
          </Link>
        )}
        {arrived ? (
          <button type="submit" className="button">
            Continue to dashboard
          </button>
        ) : null}
      </div>
    </form>
  )
}
