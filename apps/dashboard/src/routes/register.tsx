import { createFileRoute, Link, useNavigate } from "@tanstack/react-router"
import { type FormEvent, useState } from "react"
import { AuthCard } from "../components/AuthCard"
import { ErrorNote, Field, formFields } from "../components/Forms"
import { OAuthButtons } from "../components/OAuthButtons"
import { ApiError } from "../lib/ApiError"
import { acceptInvitation, register } from "../lib/auth"

export interface RegisterSearch {
  readonly email?: string
  readonly invite?: string
}

/**
 * `/register` (§1.2): name, email, password. With mail on, no session exists until the address
 * is verified: "check your inbox". Through an invite link (`?invite=&email=`) the address counts
 * as verified, so the account is signed in and joins the workspace at once.
 */
export const Route = createFileRoute("/register")({
  validateSearch: (search: Record<string, unknown>): RegisterSearch => ({
    ...(typeof search.email === "string" ? { email: search.email } : {}),
    ...(typeof search.invite === "string" ? { invite: search.invite } : {}),
  }),
  head: () => ({ meta: [{ title: "Create your account · Yavio" }] }),
  component: RegisterPage,
})

function RegisterPage() {
  const search = Route.useSearch()
  const navigate = useNavigate()
  const [error, setError] = useState<ApiError | undefined>()
  const [busy, setBusy] = useState(false)

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault()
    const field = formFields(event.currentTarget)
    setBusy(true)
    setError(undefined)
    const email = field("email")
    try {
      const result = await register({
        name: field("name"),
        email,
        password: field("password"),
        ...(search.invite === undefined ? {} : { inviteToken: search.invite }),
      })
      if (result.verificationRequired) {
        await navigate({ to: "/check-inbox", search: { email } })
      } else if (search.invite !== undefined) {
        const joined = await acceptInvitation(search.invite)
        await navigate({ to: "/", search: { workspace: joined.workspaceSlug } })
      } else {
        await navigate({ to: "/onboarding" })
      }
    } catch (failure) {
      setError(ApiError.from(failure))
      setBusy(false)
    }
  }

  return (
    <AuthCard title="Create your account">
      {/* An invitation is joined through the email it was sent to: password sign-up only. */}
      {search.invite === undefined ? <OAuthButtons /> : null}
      <form className="stack" onSubmit={submit} noValidate>
        <Field label="Name" name="name" autoComplete="name" required maxLength={100} />
        <Field
          label="Email"
          name="email"
          type="email"
          autoComplete="email"
          required
          defaultValue={search.email ?? ""}
          readOnly={search.invite !== undefined && search.email !== undefined}
        />
        <Field
          label="Password"
          name="password"
          type="password"
          autoComplete="new-password"
          required
          minLength={8}
          maxLength={128}
          hint="At least 8 characters."
        />
        <ErrorNote error={error} />
        <button className="button full" type="submit" disabled={busy}>
          {busy ? "Creating your account…" : "Create account"}
        </button>
      </form>
      <p className="auth-links">
        <span>
          Already have an account? <Link to="/login">Log in</Link>
        </span>
      </p>
    </AuthCard>
  )
}
