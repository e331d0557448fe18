import { createFileRoute, Link } from "@tanstack/react-router"
import { type FormEvent, useEffect, useState } from "react"
import { AuthCard } from "../components/AuthCard"
import { ErrorNote, Field, formFields } from "../components/Forms"
import { ApiError } from "../lib/ApiError"
import { authConfig, forgotPassword, SMTP_NOTICE } from "../lib/auth"

/** `/forgot-password` (§1.4): always the same answer, whether or not the address has an account. */
export const Route = createFileRoute("/forgot-password")({
  head: () => ({ meta: [{ title: "Reset your password · Yavio" }] }),
  component: ForgotPasswordPage,
})

function ForgotPasswordPage() {
  const [error, setError] = useState<ApiError | undefined>()
  const [sent, setSent] = useState(false)
  const [mail, setMail] = useState(true)
  useEffect(() => {
    authConfig()
      .then((c) => setMail(c.email))
      .catch(() => {})
  }, [])

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault()
    const field = formFields(event.currentTarget)
    setError(undefined)
    try {
      await forgotPassword(field("email"))
      setSent(true)
    } catch (failure) {
      setError(ApiError.from(failure))
    }
  }

  return (
    <AuthCard title="Reset your password">
      {!mail ? (
        <p className="notice">{SMTP_NOTICE}</p>
      ) : sent ? (
        <p role="status">
          If an account uses that address, a reset link is on its way. It works once, for 1 hour.
        </p>
      ) : (
        <form className="stack" onSubmit={submit} noValidate>
          <Field label="Email" name="email" type="email" autoComplete="email" required />
          <ErrorNote error={error} />
          <button className="button full" type="submit">
            Send reset link
          </button>
        </form>
      )}
      <p className="auth-links">
        <Link to="/login">Back to log in</Link>
      </p>
    </AuthCard>
  )
}
