import { createFileRoute, useRouter } from "@tanstack/react-router"
import type { ApiKeyView, ProjectView } from "@yavio/domain/rpc/AccountsModels"
import { type FormEvent, useState } from "react"
import { CopyButton } from "../../../../components/CopyButton"
import { Dialog } from "../../../../components/Dialog"
import { ErrorNote, Field, formFields } from "../../../../components/Forms"
import { PageError } from "../../../../components/SettingsFrame"
import { toast } from "../../../../components/Toasts"
import { ApiError } from "../../../../lib/ApiError"
import { shortDate, whenSeen } from "../../../../lib/format"
import { can } from "../../../../lib/roles"
import { rpc } from "../../../../lib/rpc"

/**
 * Workspace → API keys (§2.4, §2.5): per project, the masked keys; admins create (the full key
 * shown once), rotate (grace minutes) and revoke. Members see the masked list; viewers are
 * refused by the service (`YAVIO-3100`).
 */
export const Route = createFileRoute("/_app/$workspace/settings/keys")({
  loader: async ({ context }) => {
    const projects = context.projects
    const keys = await Promise.all(projects.map((p) => rpc((c) => c.listApiKeys({ projectId: p.id }))))
    return projects.map((project, i) => ({ project, keys: keys[i] ?? [] }))
  },
  head: () => ({ meta: [{ title: "API keys · Yavio" }] }),
  errorComponent: ({ error }) => <PageError error={error} />,
  component: KeysPage,
})

type KeyDialog =
  | { readonly kind: "create"; readonly project: ProjectView }
  | { readonly kind: "rotate"; readonly project: ProjectView; readonly key: ApiKeyView }
  | { readonly kind: "revoke"; readonly project: ProjectView; readonly key: ApiKeyView }
  | { readonly kind: "created"; readonly fullKey: string }

function KeysPage() {
  const sections = Route.useLoaderData()
  const { membership } = Route.useRouteContext()
  const manage = can(membership, "apiKeys.manage")
  const [dialog, setDialog] = useState<KeyDialog | undefined>()
  const close = () => setDialog(undefined)

  return (
    <div className="settings-stack">
      {sections.length === 0 ? (
        <p className="secondary">Create a project first: keys belong to a project.</p>
      ) : null}
      {sections.map(({ project, keys }) => (
        <section
          key={project.id}
          className="card"
          aria-labelledby={`keys-${project.id}`}
          data-keys-of={project.slug}
        >
          <div className="section-header">
            <h2 id={`keys-${project.id}`}>{project.name}</h2>
            {manage ? (
              <button type="button" className="button" onClick={() => setDialog({ kind: "create", project })}>
                Create key<span className="visually-hidden"> for {project.name}</span>
              </button>
            ) : null}
          </div>
          {keys.length === 0 ? (
            <p className="secondary">No keys yet.</p>
          ) : (
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Key</th>
                  <th scope="col">Created</th>
                  <th scope="col">Last used</th>
                  <th scope="col">Status</th>
                  {manage ? (
                    <th scope="col">
                      <span className="visually-hidden">Actions</span>
                    </th>
                  ) : null}
                </tr>
              </thead>
              <tbody>
                {keys.map((k) => (
                  <tr key={k.id} data-key={k.prefix}>
                    <td>{k.name}</td>
                    <td className="mono">{k.prefix}...</td>
                    <td>{shortDate(k.createdAt)}</td>
                    <td>{whenSeen(k.lastUsedAt)}</td>
                    <td>
                      <span className={k.status === "active" ? "badge badge-success" : "badge badge-outline"}>
                        {k.status === "active" && k.revokedAt !== null ? "active (rotating)" : k.status}
                      </span>
                    </td>
                    {manage ? (
                      <td className="row-actions">
                        {k.status === "active" && k.revokedAt === null ? (
                          <>
                            <button
                              type="button"
                              className="button secondary-button small"
                              onClick={() => setDialog({ kind: "rotate", project, key: k })}
                            >
                              Rotate<span className="visually-hidden"> {k.name}</span>
                            </button>
                            <button
                              type="button"
                              className="button secondary-button small"
                              onClick={() => setDialog({ kind: "revoke", project, key: k })}
                            >
                              Revoke<span className="visually-hidden"> {k.name}</span>
                            </button>
                          </>
                        ) : null}
                      </td>
                    ) : null}
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
      ))}
      <Dialog
        open={dialog !== undefined}
        title={
          dialog === undefined
            ? ""
            : dialog.kind === "create"
              ? "Create API key"
              : dialog.kind === "rotate"
                ? "Rotate API key"
                : dialog.kind === "revoke"
                  ? "Revoke API key"
                  : "Your new API key"
        }
        onClose={close}
      >
        {dialog === undefined ? null : dialog.kind === "created" ? (
          <div className="stack">
            <p>This is the only time the full key is shown. Copy it now.</p>
            <div className="key-box">
              <code data-testid="new-api-key">{dialog.fullKey}</code>
              <CopyButton text={dialog.fullKey} label="Copy key" toastText="API key copied" />
            </div>
            <div className="actions">
              <button type="button" className="button" onClick={close}>
                Done
              </button>
            </div>
          </div>
        ) : (
          <KeyForm
            dialog={dialog}
            onCreated={(fullKey) => setDialog({ kind: "created", fullKey })}
            onDone={close}
          />
        )}
      </Dialog>
    </div>
  )
}

function KeyForm(props: {
  readonly dialog: Exclude<KeyDialog, { kind: "created" }>
  readonly onCreated: (fullKey: string) => void
  readonly onDone: () => void
}) {
  const router = useRouter()
  const [error, setError] = useState<ApiError | undefined>()
  const { dialog } = props
  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault()
    const field = formFields(event.currentTarget)
    setError(undefined)
    try {
      const projectId = dialog.project.id
      if (dialog.kind === "create") {
        const name = field("name").trim()
        const created = await rpc((c) => c.createApiKey({ projectId, ...(name === "" ? {} : { name }) }))
        props.onCreated(created.fullKey)
      } else if (dialog.kind === "rotate") {
        const minutes = Number(field("grace") || "0")
        const created = await rpc((c) =>
          c.rotateApiKey({ projectId, keyId: dialog.key.id, gracePeriodMinutes: minutes }),
        )
        props.onCreated(created.fullKey)
      } else {
        await rpc((c) => c.revokeApiKey({ projectId, keyId: dialog.key.id }))
        toast("API key revoked")
        props.onDone()
      }
      await router.invalidate()
    } catch (failure) {
      setError(ApiError.from(failure))
    }
  }
  return (
    <form className="stack" onSubmit={submit} noValidate>
      {dialog.kind === "create" ? (
        <Field
          label="Name"
          name="name"
          maxLength={100}
          placeholder="Default"
          hint={`For ${dialog.project.name}.`}
        />
      ) : dialog.kind === "rotate" ? (
        <>
          <p>
            A new key replaces <span className="mono">{dialog.key.prefix}...</span>. The old key keeps working
            during the grace period.
          </p>
          <Field
            label="Grace period (minutes)"
            name="grace"
            type="number"
            min={0}
            max={1440}
            defaultValue="0"
          />
        </>
      ) : (
        <p>
          Revoke <strong>{dialog.key.name}</strong> (<span className="mono">{dialog.key.prefix}...</span>)?
          Events sent with it are rejected from now on.
        </p>
      )}
      <ErrorNote error={error} />
      <div className="actions">
        <button type="submit" className={dialog.kind === "revoke" ? "button danger-button" : "button"}>
          {dialog.kind === "create" ? "Create key" : dialog.kind === "rotate" ? "Rotate key" : "Revoke key"}
        </button>
      </div>
    </form>
  )
}
