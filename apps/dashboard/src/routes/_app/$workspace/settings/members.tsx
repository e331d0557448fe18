import { createFileRoute, useRouter } from "@tanstack/react-router"
import type { MemberView } from "@yavio/domain/rpc/AccountsModels"
import { type FormEvent, useState } from "react"
import { Dialog } from "../../../../components/Dialog"
import { ErrorNote, Field, formFields } from "../../../../components/Forms"
import { PageError } from "../../../../components/SettingsFrame"
import { toast } from "../../../../components/Toasts"
import { ApiError } from "../../../../lib/ApiError"
import { authConfig, SMTP_NOTICE } from "../../../../lib/auth"
import { shortDate } from "../../../../lib/format"
import { can } from "../../../../lib/roles"
import { rpc } from "../../../../lib/rpc"

/** Workspace → Members (§2.5, §2.3): members and roles, invitations (admins), leave/remove. */
export const Route = createFileRoute("/_app/$workspace/settings/members")({
  loader: async ({ context }) => {
    const workspaceId = context.membership.workspaceId
    const manage = can(context.membership, "members.manage")
    const [members, invitations, config] = await Promise.all([
      rpc((c) => c.listMembers({ workspaceId })),
      manage ? rpc((c) => c.listInvitations({ workspaceId })) : Promise.resolve([]),
      authConfig().catch(() => ({ email: true, oauthProviders: [], ingestUrl: "" })),
    ])
    return { members, invitations, mail: config.email }
  },
  head: () => ({ meta: [{ title: "Members · Yavio" }] }),
  errorComponent: ({ error }) => <PageError error={error} />,
  component: MembersPage,
})

const ROLES = ["admin", "member", "viewer"] as const

function MembersPage() {
  const { members, invitations, mail } = Route.useLoaderData()
  const { membership, me } = Route.useRouteContext()
  const router = useRouter()
  const manage = can(membership, "members.manage")
  const [inviting, setInviting] = useState(false)
  const [removing, setRemoving] = useState<MemberView | undefined>()
  const [error, setError] = useState<ApiError | undefined>()
  const workspaceId = membership.workspaceId

  const act = async (work: () => Promise<unknown>, done: string) => {
    setError(undefined)
    try {
      await work()
      toast(done)
      await router.invalidate()
    } catch (failure) {
      setError(ApiError.from(failure))
    }
  }

  return (
    <div className="settings-stack">
      <section className="card" aria-labelledby="members-heading">
        <div className="section-header">
          <h2 id="members-heading">Members</h2>
          {manage ? (
            <button type="button" className="button" onClick={() => setInviting(true)} disabled={!mail}>
              Invite
            </button>
          ) : null}
        </div>
        {manage && !mail ? <p className="notice">{SMTP_NOTICE}</p> : null}
        <ErrorNote error={error} />
        <table className="table">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Email</th>
              <th scope="col">Role</th>
              <th scope="col">Joined</th>
              {manage ? (
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              ) : null}
            </tr>
          </thead>
          <tbody>
            {members.map((m) => (
              <tr key={m.userId} data-member={m.email}>
                <td>{m.name ?? "—"}</td>
                <td>{m.email}</td>
                <td>
                  {manage && !m.isOwner ? (
                    <select
                      aria-label={`Role of ${m.email}`}
                      value={m.role}
                      onChange={(e) => {
                        const role = e.currentTarget.value
                        void act(
                          () => rpc((c) => c.changeMemberRole({ workspaceId, userId: m.userId, role })),
                          "Role changed",
                        )
                      }}
                    >
                      {ROLES.map((r) => (
                        <option key={r} value={r}>
                          {r}
                        </option>
                      ))}
                    </select>
                  ) : (
                    <span className="badge">{m.isOwner ? "owner" : m.role}</span>
                  )}
                </td>
                <td>{shortDate(m.joinedAt)}</td>
                {manage ? (
                  <td className="row-actions">
                    {m.isOwner || m.userId === me.user.id ? null : (
                      <button
                        type="button"
                        className="button secondary-button small"
                        onClick={() => setRemoving(m)}
                      >
                        Remove<span className="visually-hidden"> {m.email}</span>
                      </button>
                    )}
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      {manage ? (
        <section className="card" aria-labelledby="invitations-heading">
          <h2 id="invitations-heading">Pending invitations</h2>
          {invitations.length === 0 ? (
            <p className="secondary">No pending invitations.</p>
          ) : (
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">Email</th>
                  <th scope="col">Role</th>
                  <th scope="col">Invited</th>
                  <th scope="col">Status</th>
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {invitations.map((i) => (
                  <tr key={i.id} data-invitation={i.email}>
                    <td>{i.email}</td>
                    <td>
                      <span className="badge">{i.role}</span>
                    </td>
                    <td>{shortDate(i.invitedAt)}</td>
                    <td>
                      <span
                        className={i.status === "expired" ? "badge badge-warning" : "badge badge-outline"}
                      >
                        {i.status}
                      </span>
                    </td>
                    <td className="row-actions">
                      <button
                        type="button"
                        className="button secondary-button small"
                        onClick={() =>
                          act(
                            () => rpc((c) => c.resendInvitation({ workspaceId, invitationId: i.id })),
                            "Invitation sent again",
                          )
                        }
                      >
                        Resend<span className="visually-hidden"> to {i.email}</span>
                      </button>
                      <button
                        type="button"
                        className="button secondary-button small"
                        onClick={() =>
                          act(
                            () => rpc((c) => c.cancelInvitation({ workspaceId, invitationId: i.id })),
                            "Invitation cancelled",
                          )
                        }
                      >
                        Cancel<span className="visually-hidden"> invitation of {i.email}</span>
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
      ) : null}
      <InviteDialog open={inviting} workspaceId={workspaceId} onClose={() => setInviting(false)} />
      <Dialog open={removing !== undefined} title="Remove member" onClose={() => setRemoving(undefined)}>
        {removing === undefined ? null : (
          <div className="stack">
            <p>
              Remove <strong>{removing.email}</strong> from this workspace? They lose access at once.
            </p>
            <div className="actions">
              <button
                type="button"
                className="button danger-button"
                onClick={async () => {
                  const userId = removing.userId
                  setRemoving(undefined)
                  await act(() => rpc((c) => c.removeMember({ workspaceId, userId })), "Member removed")
                }}
              >
                Remove member
              </button>
            </div>
          </div>
        )}
      </Dialog>
    </div>
  )
}

function InviteDialog(props: {
  readonly open: boolean
  readonly workspaceId: string
  readonly onClose: () => void
}) {
  const router = useRouter()
  const [error, setError] = useState<ApiError | undefined>()
  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault()
    const field = formFields(event.currentTarget)
    setError(undefined)
    try {
      await rpc((c) =>
        c.createInvitation({ workspaceId: props.workspaceId, email: field("email"), role: field("role") }),
      )
      toast("Member invited")
      props.onClose()
      await router.invalidate()
    } catch (failure) {
      setError(ApiError.from(failure))
    }
  }
  return (
    <Dialog open={props.open} title="Invite a member" onClose={props.onClose}>
      <form className="stack" onSubmit={submit} noValidate>
        <Field label="Email" name="email" type="email" required />
        <div className="field">
          <label htmlFor="invite-role">Role *</label>
          <select id="invite-role" name="role" defaultValue="member">
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </select>
        </div>
        <ErrorNote error={error} />
        <div className="actions">
          <button type="submit" className="button">
            Send invitation
          </button>
        </div>
      </form>
    </Dialog>
  )
}
