import { Layer } from "effect"
import { Access } from "./Access.js"
import { AccountsRpcHandlers, SessionAuthLive } from "./AccountsRpcHandlers.js"
import { AnalyticsPurge } from "./AnalyticsPurge.js"
import { ApiKeyManager } from "./ApiKeyManager.js"
import { Auth } from "./Auth.js"
import { Cleanup } from "./Cleanup.js"
import { Invitations } from "./Invitations.js"
import { LoginThrottle } from "./LoginThrottle.js"
import { Members } from "./Members.js"
import { OAuth } from "./OAuth.js"
import { OneTimeTokens } from "./OneTimeTokens.js"
import { Profile } from "./Profile.js"
import { Projects } from "./Projects.js"
import { RateLimits } from "./RateLimits.js"
import { Sessions } from "./Sessions.js"
import { TenantScope } from "./TenantScope.js"
import { Workspaces } from "./Workspaces.js"

const foundation = Layer.mergeAll(
  Access.layer,
  Sessions.layer,
  LoginThrottle.layer,
  RateLimits.layer,
  OneTimeTokens.layer,
  Profile.layer,
  Cleanup.layer,
  TenantScope.layer,
  AnalyticsPurge.layer,
)

const tenancy = Layer.mergeAll(Workspaces.layer, Members.layer, Projects.layer, ApiKeyManager.layer).pipe(
  Layer.provideMerge(foundation),
)

/**
 * Every accounts service. Needs the application store (`PgClient`), the analytics store
 * (`ClickhouseClient`, for the deletion cascades), `AccountsConfig`, `Email` and `PasswordHasher` — the last two chosen by the process (SMTP, outbox or none; the
 * production scrypt cost or a test one).
 */
// OAuth signs users in and creates them with a default workspace, so it sits beside Auth.
export const AccountsLive = Layer.merge(Auth.layer, OAuth.layer).pipe(
  Layer.provideMerge(Invitations.layer.pipe(Layer.provideMerge(tenancy))),
)

/** The `AccountsRpc` handlers and the `SessionAuth` middleware, over the services. */
export const AccountsRpcLive = Layer.mergeAll(AccountsRpcHandlers, SessionAuthLive).pipe(
  Layer.provideMerge(AccountsLive),
)
