import { createFileRoute, Link } from "@tanstack/react-router"
import { useState } from "react"
import { AuthCard } from "../components/AuthCard"
import { ErrorNote } from "../components/Forms"
import { ApiError } from "../lib/ApiError"
import { resendVerification } from "../lib/auth"

/** After register (§0.1, §1.2): no session yet; the link in the mail finishes the sign-up. */
export const Route = createFileRoute("/check-inbox")({
  validateSearch: (search: Record<string, unknown>): { email?: string } =>
    typeof search.email === "string" ? { email: search.email } : {},
  head: () => ({ meta: [{ title: "Check your inbox · Yavio" }] }),
  component: CheckInboxPage,
})

function CheckInboxPage() {
  const { email } = Route.useSearch()
  const [state, setState] = useState<"idle" | "busy" | "sent">("idle")
  const [error, setError] = useState<ApiError | undefined>()
  const resend = async () => {
    if (email === undefined) return
    setState("busy")
    setError(undefined)
    try {
      await resendVerification(email)
      setState("sent")
    } catch (failure) {
      setError(ApiError.from(failure))
      setState("idle")
    }
  }
  return (
    <AuthCard title="Check your inbox">
      <p>
        We sent a verification link to <strong>{email ?? "your email address"}</strong>. Open it to finish
        creating your account; it is valid for 24 hours.
      </p>
      {email === undefined ? null : (
        <button
          type="button"
          className="button secondary-button full"
          onClick={resend}
          disabled={state === "busy"}
        >
          Resend the email
        </button>
      )}
      {state === "sent" ? (
        <p role="status" className="success-text">
          A new link is on its way. Earlier links no longer work.
        </p>
      ) : null}
      <ErrorNote error={error} />
      <p className="auth-links">
        <Link to="/login">Back to log in</Link>
      </p>
    </AuthCard>
  )
}
