import { createFileRoute, useNavigate } from "@tanstack/react-router"
import { type FormEvent, useState } from "react"
import { Dialog } from "../../../components/Dialog"
import { ErrorNote, Field, formFields } from "../../../components/Forms"
import { ApiError } from "../../../lib/ApiError"
import { deleteAccount } from "../../../lib/auth"

/** User → Account (§1.9): delete the account with the password; irreversible, so a dialog asks. */
export const Route = createFileRoute("/_app/settings/account")({
  head: () => ({ meta: [{ title: "Account · Yavio" }] }),
  component: AccountPage,
})

function AccountPage() {
  const { me } = Route.useRouteContext()
  const navigate = useNavigate()
  const [open, setOpen] = useState(false)
  const [error, setError] = useState<ApiError | undefined>()
  const owned = me.memberships.filter((m) => m.isOwner)
  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault()
    const field = formFields(event.currentTarget)
    setError(undefined)
    try {
      await deleteAccount({ password: field("password") })
      await navigate({ to: "/login" })
    } catch (failure) {
      setError(ApiError.from(failure))
    }
  }
  return (
    <section className="card danger" aria-labelledby="delete-heading">
      <h2 id="delete-heading">Delete account</h2>
      <p className="secondary">
        Removes you from every workspace and deletes the workspaces you own
        {owned.length === 0 ? "" : ` (${owned.map((m) => m.workspaceName).join(", ")})`} with their projects,
        keys and events. It cannot be undone.
      </p>
      <button type="button" className="button danger-button" onClick={() => setOpen(true)}>
        Delete account
      </button>
      <Dialog open={open} title="Delete your account" onClose={() => setOpen(false)}>
        <form className="stack" onSubmit={submit} noValidate>
          <p>Enter your password to confirm. This cannot be undone.</p>
          <Field label="Password" name="password" type="password" autoComplete="current-password" required />
          <ErrorNote error={error} />
          <div className="actions">
            <button type="submit" className="button danger-button">
              Delete my account
            </button>
          </div>
        </form>
      </Dialog>
    </section>
  )
}
