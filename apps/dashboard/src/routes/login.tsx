import { createFileRoute, Link, useNavigate } from "@tanstack/react-router"
import { type FormEvent, useState } from "react"
import { AuthCard } from "../components/AuthCard"
import { ErrorNote, Field, formFields } from "../components/Forms"
import { ApiError } from "../lib/ApiError"
import { login } from "../lib/auth"
import { safeNext } from "../lib/next"

export const Route = createFileRoute("/login")({
  validateSearch: (search: Record<string, unknown>): { next?: string } =>
    typeof search.next === "string" ? { next: search.next } : {},
  head: () => ({ meta: [{ title: "Log in · Yavio" }] }),
  component: LoginPage,
})

function LoginPage() {
  const { next } = Route.useSearch()
  const navigate = useNavigate()
  const [error, setError] = useState<ApiError | undefined>()
  const [busy, setBusy] = useState(false)

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault()
    const field = formFields(event.currentTarget)
    setBusy(true)
    setError(undefined)
    try {
      await login(field("email"), field("password"))
      await navigate({ to: safeNext(next) })
    } catch (failure) {
      setError(ApiError.from(failure))
      setBusy(false)
    }
  }

  return (
    <AuthCard title="Log in">
      <form className="stack" onSubmit={submit} noValidate>
        <Field label="Email" name="email" id="email" type="email" autoComplete="email" required />
        <Field
          label="Password"
          name="password"
          id="password"
          type="password"
          autoComplete="current-password"
          required
        />
        <ErrorNote error={error} />
        <button className="button full" type="submit" disabled={busy}>
          {busy ? "Logging in…" : "Log in"}
        </button>
      </form>
      <p className="auth-links">
        <Link to="/forgot-password">Forgot your password?</Link>
        <span>
          No account? <Link to="/register">Create one</Link>
        </span>
      </p>
    </AuthCard>
  )
}
