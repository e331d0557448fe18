import { randomBytes, timingSafeEqual } from "node:crypto"
import { HttpRouter, HttpServerRequest, HttpServerResponse } from "@effect/platform"
import { type Rpc, type RpcGroup, RpcServer } from "@effect/rpc"
import {
  CsrfValidationFailed,
  InternalDashboardError,
  isYavioFailure,
  OriginValidationFailed,
  renderErrorBody,
  retryAfterOf,
  type YavioFailure,
} from "@yavio/domain"
import { AccountsRpc } from "@yavio/domain/rpc/AccountsRpc"
import { CurrentUser } from "@yavio/domain/rpc/CurrentUser"
import { Cause, Duration, Effect, Option } from "effect"
import { AccountsConfig } from "./AccountsConfig.js"
import { SESSION_COOKIE } from "./AccountsRpcHandlers.js"
import { Auth } from "./Auth.js"
import { Email } from "./Email.js"
import { Invitations } from "./Invitations.js"
import { OAUTH_COOKIE_PATH, OAUTH_STATE_COOKIE, OAUTH_STATE_SECONDS, OAuth } from "./OAuth.js"
import { RateLimits } from "./RateLimits.js"
import { type RequestInfo, type SessionGrant, Sessions } from "./Sessions.js"
import { TenantScope } from "./TenantScope.js"

export const CSRF_COOKIE = "yavio_csrf"

// login, register, forgot-password and resend-verification share the strict per-IP limit.
const strictRoutes = new Set([
  "/api/auth/login",
  "/api/auth/register",
  "/api/auth/forgot-password",
  "/api/auth/resend-verification",
])
export const CSRF_HEADER = "x-csrf-token"

export interface DashboardHttpOptions {
  /** `DASHBOARD_URL`: the only Origin accepted on non-GET requests; https turns on `Secure` and HSTS. */
  readonly dashboardUrl: string
  /** The ingest URL the dashboard's pages may connect to (CSP `connect-src`). */
  readonly ingestUrl: string
}

/**
 * What the process adds to the surface this package owns — accounts cannot depend on the
 * packages built on it: more RPC groups served on the same `POST /api/rpc` (AnalyticsRpc), and
 * more routes (the app's pages and assets, `/api/health`, the live feed), tried after ours.
 */
export interface DashboardExtensions<Extra extends Rpc.Any, E, R> {
  readonly rpc?: RpcGroup.RpcGroup<Extra>
  readonly routes?: HttpRouter.HttpRouter<E, R>
}

/** dashboard.md §1.8: on every dashboard response. */
export const securityHeaders = (options: DashboardHttpOptions): Readonly<Record<string, string>> => ({
  ...(options.dashboardUrl.startsWith("https:")
    ? { "strict-transport-security": "max-age=31536000; includeSubDomains" }
    : {}),
  "x-content-type-options": "nosniff",
  "x-frame-options": "DENY",
  "referrer-policy": "strict-origin-when-cross-origin",
  "permissions-policy": "camera=(), microphone=(), geolocation=()",
  "content-security-policy": `default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self' ${new URL(options.ingestUrl).origin}; frame-ancestors 'none';`,
})

const requestIdOf = (request: HttpServerRequest.HttpServerRequest) => {
  const given = request.headers["x-request-id"]
  return given !== undefined && /^[\w.:-]{1,128}$/.test(given)
    ? given
    : `req_${randomBytes(9).toString("base64url")}`
}

const errorResponse = (
  error: YavioFailure & { readonly retryAfterSeconds?: number | undefined },
  requestId: string,
) => {
  const body = renderErrorBody(error, requestId)
  const retryAfter = retryAfterOf(error)
  return HttpServerResponse.unsafeJson(
    { ...body, ...(error.fix === undefined ? {} : { fix: error.fix }) },
    {
      status: body.error.status,
      headers: retryAfter === undefined ? {} : { "retry-after": String(retryAfter) },
    },
  )
}

/** Typed failures become their error body; anything else is logged and answered `YAVIO-3999`. */
const answer = <E, R>(
  requestId: string,
  handler: Effect.Effect<HttpServerResponse.HttpServerResponse, E, R>,
) =>
  handler.pipe(
    Effect.catchAllCause((cause) => {
      const failure = Cause.failureOption(cause)
      if (Option.isSome(failure) && isYavioFailure(failure.value)) {
        const error = failure.value as YavioFailure & { readonly cause?: unknown }
        const log =
          error.cause === undefined ? Effect.void : Effect.logError("dashboard request failed", error.cause)
        return Effect.as(log, errorResponse(error, requestId))
      }
      if (Cause.isInterruptedOnly(cause)) return Effect.interrupt
      return Effect.logError("unexpected failure while handling a dashboard request").pipe(
        Effect.annotateLogs({ requestId, "err.code": "YAVIO-3999", cause: Cause.pretty(cause) }),
        Effect.as(errorResponse(new InternalDashboardError({}), requestId)),
      )
    }),
  )

/**
 * Request bodies are read leniently: a missing or malformed field is an empty string, which the
 * flow then refuses with its own code (3001, 3703, …) instead of a decode error or a 500.
 */
const jsonBody = Effect.gen(function* () {
  const request = yield* HttpServerRequest.HttpServerRequest
  const parsed = yield* Effect.orElseSucceed(request.json, () => ({}))
  const object =
    typeof parsed === "object" && parsed !== null && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : {}
  return (name: string): string => (typeof object[name] === "string" ? (object[name] as string) : "")
})

const sameSecret = (a: string, b: string) =>
  a.length > 0 && a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b))

/**
 * The dashboard's HTTP surface of dashboard.md §0.3 that this package owns: the auth endpoints
 * (they set cookies) and `POST /api/rpc` (AccountsRpc, JSON serialization). Every non-GET
 * request must come from `DASHBOARD_URL` (`YAVIO-3011`); the auth endpoints also need the
 * double-submit CSRF token (`YAVIO-3010`). Every response carries the security headers.
 */
export const makeDashboardHttp = <Extra extends Rpc.Any = never, E = never, R = never>(
  options: DashboardHttpOptions,
  extensions: DashboardExtensions<Extra, E, R> = {},
) =>
  Effect.gen(function* () {
    const auth = yield* Auth
    const invitations = yield* Invitations
    const oauth = yield* OAuth
    const email = yield* Email
    const limits = yield* RateLimits
    const tenant = yield* TenantScope
    const sessions = yield* Sessions
    const { rateLimits } = yield* AccountsConfig
    const extraGroups: ReadonlyArray<RpcGroup.RpcGroup<Extra>> =
      extensions.rpc === undefined ? [] : [extensions.rpc]
    const rpc = yield* RpcServer.toHttpApp(AccountsRpc.merge(...extraGroups))
    const origin = new URL(options.dashboardUrl).origin
    const secure = options.dashboardUrl.startsWith("https:")
    const headers = securityHeaders(options)
    const cookieOptions = { httpOnly: true, secure, sameSite: "lax", path: "/" } as const

    const requestInfo = Effect.map(
      HttpServerRequest.HttpServerRequest,
      (request): RequestInfo => ({
        ip: Option.getOrElse(request.remoteAddress, () => "unknown"),
        userAgent: request.headers["user-agent"],
      }),
    )

    const checkCsrf = Effect.flatMap(HttpServerRequest.HttpServerRequest, (request) =>
      sameSecret(request.cookies[CSRF_COOKIE] ?? "", request.headers[CSRF_HEADER] ?? "")
        ? Effect.void
        : Effect.fail(
            new CsrfValidationFailed({ detail: `send the token of GET /api/auth/csrf in ${CSRF_HEADER}` }),
          ),
    )

    const sessionToken = Effect.map(
      HttpServerRequest.HttpServerRequest,
      (r) => r.cookies[SESSION_COOKIE] ?? "",
    )
    const signedIn = Effect.flatMap(sessionToken, auth.session)

    const withSession = (response: HttpServerResponse.HttpServerResponse, grant: SessionGrant) =>
      HttpServerResponse.unsafeSetCookie(response, SESSION_COOKIE, grant.token, {
        ...cookieOptions,
        expires: grant.expiresAt,
      })
    const withoutSession = (response: HttpServerResponse.HttpServerResponse) =>
      HttpServerResponse.unsafeSetCookie(response, SESSION_COOKIE, "", {
        ...cookieOptions,
        maxAge: Duration.zero,
      })

    const ok = (body: unknown = { ok: true }, status = 200) => HttpServerResponse.unsafeJson(body, { status })

    // The limit each auth route counts against (dashboard.md §1.7), for the RateLimit-* headers.
    const limitOf = (path: string) =>
      strictRoutes.has(path)
        ? rateLimits.authStrictPerMinute
        : path.startsWith("/api/auth/invite/") && !path.endsWith("/accept")
          ? rateLimits.inviteLookupPerMinute
          : rateLimits.authPerMinute

    const route = <E, R>(
      csrf: boolean,
      handler: Effect.Effect<HttpServerResponse.HttpServerResponse, E, R>,
    ) =>
      Effect.flatMap(HttpServerRequest.HttpServerRequest, (request) =>
        answer(requestIdOf(request), csrf ? Effect.zipRight(checkCsrf, handler) : handler).pipe(
          Effect.map((response) =>
            response.status === 429
              ? HttpServerResponse.setHeaders(response, {
                  "ratelimit-limit": String(limitOf(request.url.split("?")[0]!)),
                  "ratelimit-remaining": "0",
                  "ratelimit-reset": response.headers["retry-after"] ?? "60",
                })
              : response,
          ),
        ),
      )

    // A session is extended on use (at most daily); the cookie's own expiry follows, or the
    // browser would drop it 30 days after login whatever the server decided.
    const rpcRefreshingCookie = Effect.gen(function* () {
      const response = yield* rpc
      const token = yield* sessionToken
      if (token === "") return response
      const expiresAt = yield* sessions.expiryOf(token).pipe(Effect.orElseSucceed(() => Option.none<Date>()))
      return Option.isSome(expiresAt)
        ? HttpServerResponse.unsafeSetCookie(response, SESSION_COOKIE, token, {
            ...cookieOptions,
            expires: expiresAt.value,
          })
        : response
    })

    const router = HttpRouter.empty.pipe(
      HttpRouter.get(
        "/api/auth/csrf",
        Effect.sync(() => {
          const token = randomBytes(32).toString("base64url")
          // Readable by the page's script (not httpOnly): it echoes the value in the header.
          return HttpServerResponse.unsafeSetCookie(ok({ token }), CSRF_COOKIE, token, {
            ...cookieOptions,
            httpOnly: false,
          })
        }),
      ),
      HttpRouter.get(
        "/api/auth/config",
        route(
          false,
          // The ingest URL: onboarding's snippet names it as the SDK's endpoint (§4 step 4).
          Effect.succeed(
            ok({ email: email.enabled, oauthProviders: oauth.providers, ingestUrl: options.ingestUrl }),
          ),
        ),
      ),
      HttpRouter.post(
        "/api/auth/register",
        route(
          true,
          Effect.gen(function* () {
            const field = yield* jsonBody
            const invite = field("inviteToken")
            const result = yield* auth.register(
              {
                email: field("email"),
                password: field("password"),
                name: field("name"),
                ...(invite === "" ? {} : { inviteToken: invite }),
              },
              yield* requestInfo,
            )
            const response = ok(
              { userId: result.userId, verificationRequired: result.session === undefined },
              201,
            )
            return result.session === undefined ? response : withSession(response, result.session)
          }),
        ),
      ),
      HttpRouter.post(
        "/api/auth/login",
        route(
          true,
          Effect.gen(function* () {
            const field = yield* jsonBody
            const grant = yield* auth.login(
              { email: field("email"), password: field("password") },
              yield* requestInfo,
            )
            return withSession(ok({ userId: grant.userId }), grant)
          }),
        ),
      ),
      HttpRouter.post(
        "/api/auth/logout",
        route(
          true,
          Effect.gen(function* () {
            yield* signedIn
            yield* auth.logout(yield* sessionToken)
            return withoutSession(ok())
          }),
        ),
      ),
      HttpRouter.post(
        "/api/auth/verify-email",
        route(
          true,
          Effect.gen(function* () {
            const field = yield* jsonBody
            const grant = yield* auth.verifyEmail({ token: field("token") }, yield* requestInfo)
            return withSession(ok({ userId: grant.userId }), grant)
          }),
        ),
      ),
      HttpRouter.post(
        "/api/auth/resend-verification",
        route(
          true,
          Effect.gen(function* () {
            const field = yield* jsonBody
            yield* auth.resendVerification({ email: field("email") }, yield* requestInfo)
            return ok()
          }),
        ),
      ),
      HttpRouter.post(
        "/api/auth/forgot-password",
        route(
          true,
          Effect.gen(function* () {
            const field = yield* jsonBody
            yield* auth.forgotPassword({ email: field("email") }, yield* requestInfo)
            return ok()
          }),
        ),
      ),
      HttpRouter.post(
        "/api/auth/reset-password",
        route(
          true,
          Effect.gen(function* () {
            const field = yield* jsonBody
            const grant = yield* auth.resetPassword(
              { token: field("token"), password: field("password") },
              yield* requestInfo,
            )
            return withSession(ok({ userId: grant.userId }), grant)
          }),
        ),
      ),
      HttpRouter.post(
        "/api/auth/change-password",
        route(
          true,
          Effect.gen(function* () {
            const user = yield* signedIn
            const field = yield* jsonBody
            const grant = yield* auth
              .changePassword(
                { currentPassword: field("currentPassword"), newPassword: field("newPassword") },
                yield* requestInfo,
              )
              .pipe(Effect.provideService(CurrentUser, user))
            return withSession(ok({ userId: grant.userId }), grant)
          }),
        ),
      ),
      HttpRouter.post(
        "/api/auth/unlock",
        route(
          true,
          Effect.gen(function* () {
            const field = yield* jsonBody
            yield* auth.unlock({ token: field("token") }, yield* requestInfo)
            return ok()
          }),
        ),
      ),
      HttpRouter.get(
        "/api/auth/invite/:token",
        route(
          false,
          Effect.gen(function* () {
            const { token } = yield* HttpRouter.params
            yield* limits.auth("inviteLookup", (yield* requestInfo).ip)
            return ok(yield* invitations.describe(token ?? ""))
          }),
        ),
      ),
      HttpRouter.post(
        "/api/auth/invite/:token/accept",
        route(
          true,
          Effect.gen(function* () {
            const user = yield* signedIn
            const { token } = yield* HttpRouter.params
            const workspace = yield* tenant
              .run(invitations.accept(token ?? ""))
              .pipe(Effect.provideService(CurrentUser, user))
            return ok({ workspaceId: workspace.id, workspaceSlug: workspace.slug, role: workspace.role })
          }),
        ),
      ),
      HttpRouter.del(
        "/api/auth/account",
        route(
          true,
          Effect.gen(function* () {
            const user = yield* signedIn
            const field = yield* jsonBody
            const confirm = field("confirmEmail")
            yield* auth
              .deleteAccount({
                password: field("password"),
                ...(confirm === "" ? {} : { confirmEmail: confirm }),
              })
              .pipe(Effect.provideService(CurrentUser, user))
            return withoutSession(ok())
          }),
        ),
      ),
      // User → Security: the signed-in user's linked providers (and whether a password is set).
      HttpRouter.get(
        "/api/auth/oauth",
        route(
          false,
          Effect.gen(function* () {
            const user = yield* signedIn
            return ok(yield* oauth.linked(user.id))
          }),
        ),
      ),
      // Starting answers JSON errors (an unconfigured provider names its variables); the
      // callback is a browser navigation back from the provider, so it always redirects.
      HttpRouter.get(
        "/api/auth/oauth/:provider",
        route(
          false,
          Effect.gen(function* () {
            const { provider } = yield* HttpRouter.params
            const request = yield* HttpServerRequest.HttpServerRequest
            const next = new URL(request.url, origin).searchParams.get("next") ?? undefined
            const started = yield* oauth.start(provider ?? "", next, yield* requestInfo)
            return HttpServerResponse.unsafeSetCookie(
              HttpServerResponse.redirect(started.location, { status: 302 }),
              OAUTH_STATE_COOKIE,
              started.cookie,
              { ...cookieOptions, path: OAUTH_COOKIE_PATH, maxAge: Duration.seconds(OAUTH_STATE_SECONDS) },
            )
          }),
        ),
      ),
      HttpRouter.get(
        "/api/auth/oauth/:provider/callback",
        Effect.gen(function* () {
          const { provider } = yield* HttpRouter.params
          const request = yield* HttpServerRequest.HttpServerRequest
          const query = new URL(request.url, origin).searchParams
          const param = (name: string) => query.get(name) ?? undefined
          const response = yield* oauth
            .callback(
              provider ?? "",
              {
                code: param("code"),
                state: param("state"),
                error: param("error"),
                errorDescription: param("error_description"),
              },
              request.cookies[OAUTH_STATE_COOKIE],
              yield* requestInfo,
            )
            .pipe(
              Effect.map((signedIn) =>
                withSession(HttpServerResponse.redirect(signedIn.location, { status: 302 }), signedIn.grant),
              ),
              // The detail stays in the log: the login page shows the code only, so a crafted
              // link cannot put its own words on our page.
              Effect.catchAll((error) =>
                Effect.as(
                  Effect.logWarning("oauth sign-in failed").pipe(
                    Effect.annotateLogs({
                      "err.code": error.code,
                      detail: error.detail ?? "",
                      cause: error.cause === undefined ? "" : String(error.cause),
                    }),
                  ),
                  HttpServerResponse.redirect(`/login?error=${error.code}`, { status: 302 }),
                ),
              ),
            )
          // Single use: the state cookie goes whatever the outcome.
          return HttpServerResponse.unsafeSetCookie(response, OAUTH_STATE_COOKIE, "", {
            ...cookieOptions,
            path: OAUTH_COOKIE_PATH,
            maxAge: Duration.zero,
          })
        }),
      ),
      HttpRouter.post("/api/rpc", rpcRefreshingCookie),
      (ours) => (extensions.routes === undefined ? ours : HttpRouter.concat(ours, extensions.routes)),
    )

    const app = yield* HttpRouter.toHttpApp(router)

    // Origin first (every non-GET, RPC included), then the routes; headers on every answer.
    const guarded = Effect.gen(function* () {
      const request = yield* HttpServerRequest.HttpServerRequest
      const safe = request.method === "GET" || request.method === "HEAD" || request.method === "OPTIONS"
      const response =
        !safe && request.headers.origin !== origin
          ? errorResponse(
              new OriginValidationFailed({ detail: `requests must come from ${origin}` }),
              requestIdOf(request),
            )
          : yield* app.pipe(
              Effect.catchTag("RouteNotFound", () =>
                Effect.succeed(HttpServerResponse.empty({ status: 404 })),
              ),
              Effect.catchAllCause((cause) =>
                Cause.isInterruptedOnly(cause)
                  ? Effect.interrupt
                  : Effect.as(
                      Effect.logError("dashboard request failed", Cause.pretty(cause)),
                      errorResponse(new InternalDashboardError({}), requestIdOf(request)),
                    ),
              ),
            )
      return HttpServerResponse.setHeaders(response, headers)
    })
    return guarded
  })
