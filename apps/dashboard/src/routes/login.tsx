import { createFileRoute, useNavigate } from "@tanstack/react-router"
import { type FormEvent, useState } from "react"
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
    const form = new FormData(event.currentTarget)
    setBusy(true)
    setError(undefined)
    try {
      await login(String(form.get("email") ?? ""), String(form.get("password") ?? ""))
      await navigate({ to: safeNext(next) })
    } catch (failure) {
      setError(ApiError.from(failure))
      setBusy(false)
    }
  }

  return (
    <main className="auth-page">
      <div className="auth-card">
        <div className="logo">yavio</div>
        <h1>Log in</h1>
        <form className="auth-card" onSubmit={submit} noValidate>
          <div className="field">
            <label htmlFor="email">Email *</label>
            <input id="email" name="email" type="email" autoComplete="email" required />
          </div>
          <div className="field">
            <label htmlFor="password">Password *</label>
            <input id="password" name="password" type="password" autoComplete="current-password" required />
          </div>
          {error === undefined ? null : (
            <p className="form-error" role="alert">
              {error.message} <span className="mono">({error.code})</span>
            </p>
          )}
          <button className="button full" type="submit" disabled={busy}>
            {busy ? "Logging in…" : "Log in"}
          </button>
        </form>
      </div>
    </main>
  )
}
