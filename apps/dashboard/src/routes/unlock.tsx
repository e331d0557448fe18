import { createFileRoute, Link } from "@tanstack/react-router"
import { useState } from "react"
import { AuthCard } from "../components/AuthCard"
import { ErrorNote } from "../components/Forms"
import { ApiError } from "../lib/ApiError"
import { unlockAccount } from "../lib/auth"

/** `/unlock?token=` (§1.6, our decision): lifts a level-3 lock with the emailed link. */
export const Route = createFileRoute("/unlock")({
  validateSearch: (search: Record<string, unknown>): { token?: string } =>
    typeof search.token === "string" ? { token: search.token } : {},
  head: () => ({ meta: [{ title: "Unlock your account · Yavio" }] }),
  component: UnlockPage,
})

function UnlockPage() {
  const { token } = Route.useSearch()
  const [error, setError] = useState<ApiError | undefined>()
  const [done, setDone] = useState(false)
  const unlock = async () => {
    setError(undefined)
    try {
      await unlockAccount(token ?? "")
      setDone(true)
    } catch (failure) {
      setError(ApiError.from(failure))
    }
  }
  return (
    <AuthCard title="Unlock your account">
      {done ? (
        <p role="status">Your account is unlocked. You can log in again.</p>
      ) : (
        <>
          <p>Too many failed logins locked your account. Unlock it to log in again.</p>
          <button type="button" className="button full" onClick={unlock}>
            Unlock my account
          </button>
        </>
      )}
      <ErrorNote error={error} />
      <p className="auth-links">
        <Link to="/login">Log in</Link>
        <Link to="/forgot-password">Reset your password instead</Link>
      </p>
    </AuthCard>
  )
}
