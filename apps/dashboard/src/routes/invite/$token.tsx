import { createFileRoute, Link, useNavigate } from "@tanstack/react-router"
import { useEffect, useState } from "react"
import { AuthCard } from "../../components/AuthCard"
import { ErrorNote } from "../../components/Forms"
import { ApiError } from "../../lib/ApiError"
import { acceptInvitation, describeInvitation, type InvitationLanding } from "../../lib/auth"
import { rpc } from "../../lib/rpc"

/**
 * `/invite/$token` (§2.3): which workspace, who invited, which role. Signed in → accept and open
 * the workspace; no account → register with the invited address; an account → log in first.
 */
export const Route = createFileRoute("/invite/$token")({
  ssr: false,
  head: () => ({ meta: [{ title: "Invitation · Yavio" }] }),
  component: InvitePage,
})

function InvitePage() {
  const { token } = Route.useParams()
  const navigate = useNavigate()
  const [invite, setInvite] = useState<InvitationLanding | undefined>()
  const [signedInAs, setSignedInAs] = useState<string | null | undefined>()
  const [error, setError] = useState<ApiError | undefined>()

  useEffect(() => {
    describeInvitation(token)
      .then(setInvite)
      .catch((failure: unknown) => setError(ApiError.from(failure)))
    rpc((c) => c.me())
      .then((me) => setSignedInAs(me.user.email))
      .catch(() => setSignedInAs(null))
  }, [token])

  const accept = async () => {
    setError(undefined)
    try {
      const joined = await acceptInvitation(token)
      await navigate({ to: "/", search: { workspace: joined.workspaceSlug } })
    } catch (failure) {
      setError(ApiError.from(failure))
    }
  }

  const here = `/invite/${encodeURIComponent(token)}`
  return (
    <AuthCard title="Join a workspace">
      {invite === undefined ? (
        error === undefined ? (
          <p aria-busy="true">Loading the invitation…</p>
        ) : null
      ) : (
        <>
          <p>
            {invite.inviterName ?? "Someone"} invited <strong>{invite.email}</strong> to{" "}
            <strong>{invite.workspaceName}</strong> as <span className="badge">{invite.role}</span>.
          </p>
          {signedInAs === undefined ? null : signedInAs !== null ? (
            <>
              <p className="secondary">Signed in as {signedInAs}.</p>
              <button type="button" className="button full" onClick={accept}>
                Accept and join {invite.workspaceName}
              </button>
            </>
          ) : (
            <>
              <Link className="button full" to="/register" search={{ email: invite.email, invite: token }}>
                Create an account to join
              </Link>
              <p className="auth-links">
                <span>
                  Already have an account?{" "}
                  <Link to="/login" search={{ next: here }}>
                    Log in to accept
                  </Link>
                </span>
              </p>
            </>
          )}
        </>
      )}
      <ErrorNote error={error} />
    </AuthCard>
  )
}
