import { createFileRoute, useRouter } from "@tanstack/react-router"
import type { ProjectView } from "@yavio/domain/rpc/AccountsModels"
import { type FormEvent, useState } from "react"
import { ConfirmBySlug } from "../../../../components/ConfirmBySlug"
import { Dialog } from "../../../../components/Dialog"
import { ErrorNote, Field, formFields } from "../../../../components/Forms"
import { PageError } from "../../../../components/SettingsFrame"
import { toast } from "../../../../components/Toasts"
import { ApiError } from "../../../../lib/ApiError"
import { shortDate } from "../../../../lib/format"
import { can } from "../../../../lib/roles"
import { rpc } from "../../../../lib/rpc"

/**
 * Workspace → Projects (§2.5): the table; admins create, rename/re-slug and delete (typing the
 * slug; its keys and events go too). Members view. The list every role may read, so viewers are
 * refused here by the page's own rule (§2.2 "Project settings page": ✗ for viewers).
 */
export const Route = createFileRoute("/_app/$workspace/settings/projects")({
  loader: async ({ context }) => {
    if (!can(context.membership, "settings.open")) {
      throw new ApiError("YAVIO-3100", "Your role in this workspace does not allow this.")
    }
    return rpc((c) => c.listProjects({ workspaceId: context.membership.workspaceId }))
  },
  head: () => ({ meta: [{ title: "Projects · Yavio" }] }),
  errorComponent: ({ error }) => <PageError error={error} />,
  component: ProjectsPage,
})

function ProjectsPage() {
  const projects = Route.useLoaderData()
  const { membership } = Route.useRouteContext()
  const router = useRouter()
  const manage = can(membership, "projects.manage")
  const [dialog, setDialog] = useState<
    | { kind: "create" }
    | { kind: "edit"; project: ProjectView }
    | { kind: "delete"; project: ProjectView }
    | undefined
  >()
  const close = () => setDialog(undefined)

  return (
    <div className="settings-stack">
      <section className="card" aria-labelledby="projects-heading">
        <div className="section-header">
          <h2 id="projects-heading">Projects</h2>
          {manage ? (
            <button type="button" className="button" onClick={() => setDialog({ kind: "create" })}>
              Create project
            </button>
          ) : null}
        </div>
        {projects.length === 0 ? (
          <p className="secondary">No projects yet.</p>
        ) : (
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Slug</th>
                <th scope="col">Created</th>
                {manage ? (
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                ) : null}
              </tr>
            </thead>
            <tbody>
              {projects.map((p) => (
                <tr key={p.id} data-project={p.slug}>
                  <td>{p.name}</td>
                  <td className="mono">{p.slug}</td>
                  <td>{shortDate(p.createdAt)}</td>
                  {manage ? (
                    <td className="row-actions">
                      <button
                        type="button"
                        className="button secondary-button small"
                        onClick={() => setDialog({ kind: "edit", project: p })}
                      >
                        Rename<span className="visually-hidden"> {p.name}</span>
                      </button>
                      <button
                        type="button"
                        className="button secondary-button small"
                        onClick={() => setDialog({ kind: "delete", project: p })}
                      >
                        Delete<span className="visually-hidden"> {p.name}</span>
                      </button>
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <ProjectDialog
        open={dialog?.kind === "create" || dialog?.kind === "edit"}
        project={dialog?.kind === "edit" ? dialog.project : undefined}
        workspaceId={membership.workspaceId}
        onClose={close}
      />
      <ConfirmBySlug
        open={dialog?.kind === "delete"}
        title="Delete project"
        slug={dialog?.kind === "delete" ? dialog.project.slug : ""}
        action="Delete project"
        onClose={close}
        onConfirm={async () => {
          if (dialog?.kind !== "delete") return
          const projectId = dialog.project.id
          await rpc((c) => c.deleteProject({ projectId }))
          toast("Project deleted")
          close()
          await router.invalidate()
        }}
      />
    </div>
  )
}

function ProjectDialog(props: {
  readonly open: boolean
  readonly project: ProjectView | undefined
  readonly workspaceId: string
  readonly onClose: () => void
}) {
  const router = useRouter()
  const [error, setError] = useState<ApiError | undefined>()
  const { project } = props
  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault()
    const field = formFields(event.currentTarget)
    setError(undefined)
    try {
      if (project === undefined) {
        await rpc((c) => c.createProject({ workspaceId: props.workspaceId, name: field("name") }))
        toast("Project created")
      } else {
        await rpc((c) =>
          c.updateProject({
            projectId: project.id,
            ...(field("name") === project.name ? {} : { name: field("name") }),
            ...(field("slug") === project.slug ? {} : { slug: field("slug") }),
          }),
        )
        toast("Settings saved")
      }
      props.onClose()
      await router.invalidate()
    } catch (failure) {
      setError(ApiError.from(failure))
    }
  }
  return (
    <Dialog
      open={props.open}
      title={project === undefined ? "Create project" : "Rename project"}
      onClose={props.onClose}
    >
      <form className="stack" onSubmit={submit} noValidate key={project?.id ?? "new"}>
        <Field label="Name" name="name" required maxLength={100} defaultValue={project?.name ?? ""} />
        {project === undefined ? null : (
          <Field label="Slug" name="slug" required defaultValue={project.slug} />
        )}
        <ErrorNote error={error} />
        <div className="actions">
          <button type="submit" className="button">
            {project === undefined ? "Create project" : "Save"}
          </button>
        </div>
      </form>
    </Dialog>
  )
}
