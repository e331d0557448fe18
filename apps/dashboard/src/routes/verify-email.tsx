import { createFileRoute, Link, useNavigate } from "@tanstack/react-router"
import { useEffect, useRef, useState } from "react"
import { AuthCard } from "../components/AuthCard"
import { ErrorNote } from "../components/Forms"
import { ApiError } from "../lib/ApiError"
import { verifyEmail } from "../lib/auth"

/** `/verify-email?token=` (§1.2): consumes the token, opens a session, continues to onboarding. */
export const Route = createFileRoute("/verify-email")({
  validateSearch: (search: Record<string, unknown>): { token?: string } =>
    typeof search.token === "string" ? { token: search.token } : {},
  head: () => ({ meta: [{ title: "Verify your email · Yavio" }] }),
  component: VerifyEmailPage,
})

function VerifyEmailPage() {
  const { token } = Route.useSearch()
  const navigate = useNavigate()
  const [error, setError] = useState<ApiError | undefined>()
  const started = useRef(false)

  useEffect(() => {
    // The token is single use: one request, even if the effect runs twice.
    if (started.current) return
    started.current = true
    verifyEmail(token ?? "")
      .then(() => navigate({ to: "/onboarding" }))
      .catch((failure: unknown) => setError(ApiError.from(failure)))
  }, [token, navigate])

  return (
    <AuthCard title="Verify your email">
      {error === undefined ? (
        <p aria-busy="true">Checking your link…</p>
      ) : (
        <>
          <ErrorNote error={error} />
          <p className="auth-links">
            <Link to="/login">Log in</Link>
            <Link to="/register">Register again</Link>
          </p>
        </>
      )}
    </AuthCard>
  )
}
