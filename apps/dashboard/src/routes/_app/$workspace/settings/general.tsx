import { createFileRoute, useNavigate, useRouter } from "@tanstack/react-router"
import { type FormEvent, useState } from "react"
import { ConfirmBySlug } from "../../../../components/ConfirmBySlug"
import { Dialog } from "../../../../components/Dialog"
import { ErrorNote, Field, formFields } from "../../../../components/Forms"
import { PageError } from "../../../../components/SettingsFrame"
import { toast } from "../../../../components/Toasts"
import { ApiError } from "../../../../lib/ApiError"
import { can } from "../../../../lib/roles"
import { rpc } from "../../../../lib/rpc"

/** Workspace → General (§2.5): name, slug with the new URL, plan, members; delete (owner), leave. */
export const Route = createFileRoute("/_app/$workspace/settings/general")({
  loader: ({ params }) => rpc((c) => c.getWorkspace({ slug: params.workspace })),
  head: () => ({ meta: [{ title: "General settings · Yavio" }] }),
  errorComponent: ({ error }) => <PageError error={error} />,
  component: GeneralPage,
})

function GeneralPage() {
  const workspace = Route.useLoaderData()
  const { membership } = Route.useRouteContext()
  const navigate = useNavigate()
  const router = useRouter()
  const editable = can(membership, "workspace.update")
  const [slug, setSlug] = useState(workspace.slug)
  const [error, setError] = useState<ApiError | undefined>()
  const [dialog, setDialog] = useState<"delete" | "leave" | undefined>()

  const save = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault()
    const field = formFields(event.currentTarget)
    setError(undefined)
    try {
      const saved = await rpc((c) =>
        c.updateWorkspace({
          workspaceId: workspace.id,
          ...(field("name") === workspace.name ? {} : { name: field("name") }),
          ...(field("slug") === workspace.slug ? {} : { slug: field("slug") }),
        }),
      )
      toast("Settings saved")
      if (saved.slug !== workspace.slug) {
        await navigate({ to: "/$workspace/settings/general", params: { workspace: saved.slug } })
      } else {
        await router.invalidate()
      }
    } catch (failure) {
      setError(ApiError.from(failure))
    }
  }

  return (
    <div className="settings-stack">
      <section className="card" aria-labelledby="workspace-heading">
        <h2 id="workspace-heading">Workspace</h2>
        <p className="secondary">
          <span className="badge">{workspace.plan}</span> · {workspace.memberCount}{" "}
          {workspace.memberCount === 1 ? "member" : "members"}
        </p>
        <form className="stack" onSubmit={save} noValidate>
          <Field
            label="Name"
            name="name"
            required
            maxLength={100}
            defaultValue={workspace.name}
            readOnly={!editable}
          />
          <Field
            label="Slug"
            name="slug"
            required
            value={slug}
            onChange={(e) => setSlug(e.currentTarget.value)}
            readOnly={!editable}
            hint={
              <>
                URL:{" "}
                <span className="mono">
                  {typeof location === "undefined" ? "" : location.origin}/{slug}/…
                </span>
              </>
            }
          />
          <ErrorNote error={error} />
          {editable ? (
            <div className="actions">
              <button type="submit" className="button">
                Save
              </button>
            </div>
          ) : (
            <p className="secondary">Only admins can change these settings.</p>
          )}
        </form>
      </section>
      {membership.isOwner ? (
        <section className="card danger" aria-labelledby="danger-heading">
          <h2 id="danger-heading">Danger zone</h2>
          <p className="secondary">
            Deleting the workspace removes its members, invitations, projects, API keys and every event. It
            cannot be undone.
          </p>
          <button type="button" className="button danger-button" onClick={() => setDialog("delete")}>
            Delete workspace
          </button>
        </section>
      ) : can(membership, "workspace.leave") ? (
        <section className="card" aria-labelledby="leave-heading">
          <h2 id="leave-heading">Leave workspace</h2>
          <p className="secondary">You lose access to its projects until someone invites you again.</p>
          <button type="button" className="button secondary-button" onClick={() => setDialog("leave")}>
            Leave workspace
          </button>
        </section>
      ) : null}
      <ConfirmBySlug
        open={dialog === "delete"}
        title="Delete workspace"
        slug={workspace.slug}
        action="Delete workspace"
        onClose={() => setDialog(undefined)}
        onConfirm={async () => {
          await rpc((c) => c.deleteWorkspace({ workspaceId: workspace.id }))
          toast("Workspace deleted")
          await navigate({ to: "/" })
        }}
      />
      <Dialog open={dialog === "leave"} title="Leave workspace" onClose={() => setDialog(undefined)}>
        <LeaveForm
          onConfirm={async () => {
            await rpc((c) => c.leaveWorkspace({ workspaceId: workspace.id }))
            await navigate({ to: "/" })
          }}
        />
      </Dialog>
    </div>
  )
}

function LeaveForm(props: { readonly onConfirm: () => Promise<void> }) {
  const [error, setError] = useState<ApiError | undefined>()
  return (
    <div className="stack">
      <p>Leave this workspace?</p>
      <ErrorNote error={error} />
      <div className="actions">
        <button
          type="button"
          className="button danger-button"
          onClick={() => props.onConfirm().catch((f: unknown) => setError(ApiError.from(f)))}
        >
          Leave
        </button>
      </div>
    </div>
  )
}
