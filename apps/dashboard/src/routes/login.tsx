import { createFileRoute, Link, useNavigate } from "@tanstack/react-router"
import { type FormEvent, useState } from "react"
import { AuthCard } from "../components/AuthCard"
import { ErrorNote, Field, formFields } from "../components/Forms"
import { OAuthButtons } from "../components/OAuthButtons"
import { ApiError } from "../lib/ApiError"
import { login } from "../lib/auth"
import { safeNext } from "../lib/next"

export const Route = createFileRoute("/login")({
  // `error` is where a failed OAuth sign-in lands (`/login?error=YAVIO-3009`); only a code is
  // taken from it, so a crafted link cannot put its own words on the page.
  validateSearch: (search: Record<string, unknown>): { next?: string; error?: string } => ({
    ...(typeof search.next === "string" ? { next: search.next } : {}),
    ...(typeof search.error === "string" && /^YAVIO-\d{4}$/.test(search.error)
      ? { error: search.error }
      : {}),
  }),
  head: () => ({ meta: [{ title: "Log in · Yavio" }] }),
  component: LoginPage,
})

function LoginPage() {
  const { next, error: landedWith } = Route.useSearch()
  const navigate = useNavigate()
  const [error, setError] = useState<ApiError | undefined>(() =>
    landedWith === undefined ? undefined : signInFailure(landedWith),
  )
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
      <OAuthButtons next={next} />
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

const signInFailure = (code: string) =>
  code === "YAVIO-3009"
    ? new ApiError(
        code,
        "Signing in with that provider did not work. Try again, or log in with your password.",
      )
    : code === "YAVIO-3800"
      ? new ApiError(code, "Too many sign-in attempts. Wait a minute and try again.")
      : new ApiError(code, "Signing in did not work. Try again.")
