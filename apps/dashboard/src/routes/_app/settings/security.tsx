import { createFileRoute } from "@tanstack/react-router"
import { type FormEvent, useState } from "react"
import { ErrorNote, Field, formFields } from "../../../components/Forms"
import { toast } from "../../../components/Toasts"
import { ApiError } from "../../../lib/ApiError"
import { changePassword } from "../../../lib/auth"

/** User → Security (§2.5): change password (current + new); other sessions end (§1.3). */
export const Route = createFileRoute("/_app/settings/security")({
  head: () => ({ meta: [{ title: "Security · Yavio" }] }),
  component: SecurityPage,
})

function SecurityPage() {
  const [error, setError] = useState<ApiError | undefined>()
  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault()
    const form = event.currentTarget
    const field = formFields(form)
    setError(undefined)
    try {
      await changePassword(field("currentPassword"), field("newPassword"))
      form.reset()
      toast("Password changed; other sessions were signed out")
    } catch (failure) {
      setError(ApiError.from(failure))
    }
  }
  return (
    <section className="card" aria-labelledby="password-heading">
      <h2 id="password-heading">Change password</h2>
      <form className="stack" onSubmit={submit} noValidate>
        <Field
          label="Current password"
          name="currentPassword"
          type="password"
          autoComplete="current-password"
          required
        />
        <Field
          label="New password"
          name="newPassword"
          type="password"
          autoComplete="new-password"
          required
          minLength={8}
          hint="At least 8 characters. Your other sessions are signed out."
        />
        <ErrorNote error={error} />
        <div className="actions">
          <button type="submit" className="button">
            Change password
          </button>
        </div>
      </form>
    </section>
  )
}
