import { ApiError } from "./ApiError"
import { forgetKept } from "./rpc"

/**
 * The auth endpoints (dashboard.md §0.3): plain HTTP because they set cookies. Every POST echoes
 * the double-submit CSRF token of `GET /api/auth/csrf` in `x-csrf-token`.
 */
let csrf: Promise<string> | undefined

const csrfToken = () => {
  csrf ??= fetch("/api/auth/csrf", { credentials: "same-origin" })
    .then((r) => r.json() as Promise<{ token: string }>)
    .then((body) => body.token)
    .catch((error: unknown) => {
      csrf = undefined
      throw error
    })
  return csrf
}

const failureOf = async (response: Response): Promise<ApiError> => {
  const body = (await response.json().catch(() => ({}))) as {
    error?: { code?: string; message?: string; status?: number }
    fix?: string
  }
  return ApiError.from({ ...body.error, fix: body.fix, status: response.status })
}

export const authRequest = async <A = { ok: true }>(
  method: "GET" | "POST" | "DELETE",
  path: string,
  body?: Record<string, string>,
): Promise<A> => {
  const headers: Record<string, string> = { "content-type": "application/json" }
  if (method !== "GET") {
    headers["x-csrf-token"] = await csrfToken()
    // Signing in or out, joining, deleting: whatever was kept about the session is stale.
    forgetKept()
  }
  const response = await fetch(`/api/auth/${path}`, {
    method,
    headers,
    credentials: "same-origin",
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  })
  if (!response.ok) throw await failureOf(response)
  return (await response.json()) as A
}

export const login = (email: string, password: string) =>
  authRequest<{ userId: string }>("POST", "login", { email, password })

export const logout = () => authRequest("POST", "logout")

/** What this install offers (`GET /api/auth/config`): mail on or off, OAuth providers, ingest URL. */
export interface AuthConfig {
  readonly email: boolean
  readonly oauthProviders: ReadonlyArray<string>
  readonly ingestUrl: string
}

export const authConfig = () => authRequest<AuthConfig>("GET", "config")

/** User → Security: providers linked to the signed-in account, and whether it has a password. */
export interface LinkedAccounts {
  readonly providers: ReadonlyArray<{ readonly provider: string; readonly linkedAt: string }>
  readonly hasPassword: boolean
}

export const linkedAccounts = () => authRequest<LinkedAccounts>("GET", "oauth")

export const register = (input: { email: string; password: string; name: string; inviteToken?: string }) =>
  authRequest<{ userId: string; verificationRequired: boolean }>("POST", "register", input)

export const verifyEmail = (token: string) =>
  authRequest<{ userId: string }>("POST", "verify-email", { token })

export const resendVerification = (email: string) => authRequest("POST", "resend-verification", { email })

export const forgotPassword = (email: string) => authRequest("POST", "forgot-password", { email })

export const resetPassword = (token: string, password: string) =>
  authRequest<{ userId: string }>("POST", "reset-password", { token, password })

export const changePassword = (currentPassword: string, newPassword: string) =>
  authRequest<{ userId: string }>("POST", "change-password", { currentPassword, newPassword })

export const unlockAccount = (token: string) => authRequest("POST", "unlock", { token })

/** The invitation behind a link, before anyone signs in. */
export interface InvitationLanding {
  readonly workspaceName: string
  readonly workspaceSlug: string
  readonly inviterName: string | null
  readonly role: "admin" | "member" | "viewer"
  readonly email: string
}

export const describeInvitation = (token: string) =>
  authRequest<InvitationLanding>("GET", `invite/${encodeURIComponent(token)}`)

export const acceptInvitation = (token: string) =>
  authRequest<{ workspaceId: string; workspaceSlug: string; role: string }>(
    "POST",
    `invite/${encodeURIComponent(token)}/accept`,
  )

export const deleteAccount = (input: { password: string } | { confirmEmail: string }) =>
  authRequest("DELETE", "account", input)

/** §6: what pages say where mail is needed and the install has none. */
export const SMTP_NOTICE = "Email is not configured. Set SMTP environment variables to enable this feature."
