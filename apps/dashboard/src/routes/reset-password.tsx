import { createFileRoute, Link, useNavigate } from "@tanstack/react-router"
import { type FormEvent, useState } from "react"
import { AuthCard } from "../components/AuthCard"
import { ErrorNote, Field, formFields } from "../components/Forms"
import { ApiError } from "../lib/ApiError"
import { resetPassword } from "../lib/auth"

/** `/reset-password?token=` (§1.4): a new password; every other session ends, this one opens. */
export const Route = createFileRoute("/reset-password")({
  validateSearch: (search: Record<string, unknown>): { token?: string } =>
    typeof search.token === "string" ? { token: search.token } : {},
  head: () => ({ meta: [{ title: "Choose a new password · Yavio" }] }),
  component: ResetPasswordPage,
})

function ResetPasswordPage() {
  const { token } = Route.useSearch()
  const navigate = useNavigate()
  const [error, setError] = useState<ApiError | undefined>()
  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault()
    const field = formFields(event.currentTarget)
    setError(undefined)
    try {
      await resetPassword(token ?? "", field("password"))
      await navigate({ to: "/" })
    } catch (failure) {
      setError(ApiError.from(failure))
    }
  }
  return (
    <AuthCard title="Choose a new password">
      <form className="stack" onSubmit={submit} noValidate>
        <Field
          label="New password"
          name="password"
          type="password"
          autoComplete="new-password"
          required
          minLength={8}
          hint="At least 8 characters."
        />
        <ErrorNote error={error} />
        <button className="button full" type="submit">
          Set password and log in
        </button>
      </form>
      <p className="auth-links">
        <Link to="/forgot-password">Ask for a new link</Link>
      </p>
    </AuthCard>
  )
}
