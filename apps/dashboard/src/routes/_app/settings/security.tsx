import { createFileRoute } from "@tanstack/react-router"
import { type FormEvent, useEffect, useState } from "react"
import { ErrorNote, Field, formFields } from "../../../components/Forms"
import { toast } from "../../../components/Toasts"
import { ApiError } from "../../../lib/ApiError"
import { changePassword, type LinkedAccounts, linkedAccounts } from "../../../lib/auth"

/**
 * User → Security (§2.5): the account's sign-in methods (linked GitHub / Google, §1.5), and
 * change password (current + new); other sessions end (§1.3).
 */
export const Route = createFileRoute("/_app/settings/security")({
  head: () => ({ meta: [{ title: "Security · Yavio" }] }),
  component: SecurityPage,
})

const providerLabels: Readonly<Record<string, string>> = { github: "GitHub", google: "Google" }

function SignInMethods(props: { readonly linked: LinkedAccounts | undefined }) {
  if (props.linked === undefined) return null
  const { providers, hasPassword } = props.linked
  return (
    <section className="card" aria-labelledby="methods-heading">
      <h2 id="methods-heading">Sign-in methods</h2>
      <ul className="stack">
        <li>
          Password:{" "}
          {hasPassword ? "set" : "not set — use “Forgot your password?” on the login page to set one"}
        </li>
        {providers.map((p) => (
          <li key={p.provider}>
            {providerLabels[p.provider] ?? p.provider}: linked {new Date(p.linkedAt).toLocaleDateString()}
          </li>
        ))}
      </ul>
    </section>
  )
}

function SecurityPage() {
  const [error, setError] = useState<ApiError | undefined>()
  const [linked, setLinked] = useState<LinkedAccounts | undefined>()
  useEffect(() => {
    linkedAccounts()
      .then(setLinked)
      .catch(() => setLinked(undefined))
  }, [])
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
    <>
      <SignInMethods linked={linked} />
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
    </>
  )
}
