import { ApiError } from "./ApiError"

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
  if (method !== "GET") headers["x-csrf-token"] = await csrfToken()
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
