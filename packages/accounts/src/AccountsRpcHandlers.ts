import { Headers } from "@effect/platform"
import { AccountsRpc } from "@yavio/domain/rpc/AccountsRpc"
import { SessionAuth } from "@yavio/domain/rpc/SessionAuth"
import { Effect, Layer, Option } from "effect"
import { ApiKeyManager } from "./ApiKeyManager.js"
import { Auth } from "./Auth.js"
import { Invitations } from "./Invitations.js"
import { Members } from "./Members.js"
import { Profile } from "./Profile.js"
import { Projects } from "./Projects.js"
import { RateLimits } from "./RateLimits.js"
import { TenantScope } from "./TenantScope.js"
import { Workspaces } from "./Workspaces.js"

/** The dashboard session cookie (dashboard.md §1.3). */
export const SESSION_COOKIE = "yavio_session"

const cookieValue = (header: string | undefined, name: string): string | undefined => {
  if (header === undefined) return undefined
  for (const part of header.split(";")) {
    const [key, ...value] = part.trim().split("=")
    if (key === name) return value.join("=")
  }
  return undefined
}

export interface WireError {
  readonly detail?: string | undefined
  readonly cause?: unknown
  readonly retryAfterSeconds?: number | undefined
}

/**
 * What crosses the wire: the code, message and detail, never the internal cause (a driver
 * error, SQL). The cause is logged here, then dropped from a copy of the same error class.
 */
export const stripCause = <A, E extends WireError, R>(
  effect: Effect.Effect<A, E, R>,
): Effect.Effect<A, E, R> =>
  Effect.catchAll(effect, (error) => {
    if (error.cause === undefined) return Effect.fail(error)
    const Class = error.constructor as new (fields: WireError) => E
    return Effect.zipRight(
      Effect.logError("accounts RPC failed", error.cause),
      Effect.fail(
        new Class({
          ...(error.detail === undefined ? {} : { detail: error.detail }),
          ...(error.retryAfterSeconds === undefined ? {} : { retryAfterSeconds: error.retryAfterSeconds }),
        }),
      ),
    )
  })

/** The accounts calls that only read (the management limit leaves them out, see below). */
const accountsReads = new Set(
  [...AccountsRpc.requests.keys()].filter((tag) => tag === "me" || /^(list|get)[A-Z]/.test(tag)),
)

/**
 * `SessionAuth` on the server: the cookie's session becomes `CurrentUser`, then the per-user
 * limit of the call's group applies (§1.7): accounts calls that change something count against
 * the management limit (30/min, `YAVIO-3802`), every other group served beside them (analytics)
 * against the analytics limit (60/min, `YAVIO-3801`). Our decision: the accounts reads (`me`,
 * `list*`, `get*`) count against neither — they are what every page view of the app makes (the
 * session check, the project selector, the page's table), so with them a user clicking through
 * the settings pages would run out of the management budget before changing anything.
 */
export const SessionAuthLive = Layer.effect(
  SessionAuth,
  Effect.gen(function* () {
    const auth = yield* Auth
    const limits = yield* RateLimits
    return SessionAuth.of(({ headers, rpc }) =>
      stripCause(
        Effect.gen(function* () {
          const token = cookieValue(Option.getOrUndefined(Headers.get(headers, "cookie")), SESSION_COOKIE)
          const user = yield* auth.session(token ?? "")
          if (!AccountsRpc.requests.has(rpc._tag)) yield* limits.analytics(user.id)
          else if (!accountsReads.has(rpc._tag)) yield* limits.management(user.id)
          return user
        }),
      ),
    )
  }),
)

/** The handlers: each one a call into the service that owns the rule, which authorizes it. */
export const AccountsRpcHandlers = AccountsRpc.toLayer(
  Effect.gen(function* () {
    const profile = yield* Profile
    const workspaces = yield* Workspaces
    const members = yield* Members
    const invitations = yield* Invitations
    const projects = yield* Projects
    const keys = yield* ApiKeyManager
    const tenant = yield* TenantScope
    // Every handler runs under row-level security as the caller, and answers without internals.
    const forClient = <A, E extends WireError, R>(effect: Effect.Effect<A, E, R>) =>
      stripCause(tenant.run(effect))
    return AccountsRpc.of({
      me: () => forClient(profile.me),
      updateProfile: (input) => forClient(profile.update(input)),
      listWorkspaces: () => forClient(workspaces.list),
      getWorkspace: ({ slug }) => forClient(workspaces.getBySlug(slug)),
      createWorkspace: (input) => forClient(workspaces.create(input)),
      updateWorkspace: (input) => forClient(workspaces.update(input)),
      deleteWorkspace: ({ workspaceId }) => forClient(workspaces.remove(workspaceId)),
      listMembers: ({ workspaceId }) => forClient(members.list(workspaceId)),
      changeMemberRole: (input) => forClient(members.changeRole(input)),
      removeMember: (input) => forClient(members.remove(input)),
      leaveWorkspace: ({ workspaceId }) => forClient(members.leave(workspaceId)),
      listInvitations: ({ workspaceId }) => forClient(invitations.list(workspaceId)),
      createInvitation: (input) => forClient(invitations.create(input)),
      resendInvitation: (input) => forClient(invitations.resend(input)),
      cancelInvitation: (input) => forClient(invitations.cancel(input)),
      acceptInvitation: ({ token }) => forClient(invitations.accept(token)),
      listProjects: ({ workspaceId }) => forClient(projects.list(workspaceId)),
      createProject: (input) => forClient(projects.create(input)),
      updateProject: (input) => forClient(projects.update(input)),
      deleteProject: ({ projectId }) => forClient(projects.remove(projectId)),
      listApiKeys: ({ projectId }) => forClient(keys.list(projectId)),
      createApiKey: (input) => forClient(keys.create(input)),
      revokeApiKey: (input) => forClient(keys.revoke(input)),
      rotateApiKey: (input) => forClient(keys.rotate(input)),
    })
  }),
)
