import { Context, Layer, type Redacted } from "effect"
import type { OAuthSettings } from "./OAuthSettings.js"

/** Per-window request limits (dashboard.md §1.7); tests lower or raise them. */
export interface RateLimitSettings {
  /** login, register, forgot-password, resend-verification: per IP per minute. */
  readonly authStrictPerMinute: number
  /** Invitation landing lookups: per IP per minute. */
  readonly inviteLookupPerMinute: number
  /** Every other auth endpoint: per IP per minute. */
  readonly authPerMinute: number
  /** Workspace / member / project / key RPCs: per user per minute. */
  readonly managementPerMinute: number
  /** Analytics RPCs (every other group served beside AccountsRpc): per user per minute. */
  readonly analyticsPerMinute?: number
}

export const defaultRateLimits: RateLimitSettings = {
  authStrictPerMinute: 10,
  inviteLookupPerMinute: 10,
  authPerMinute: 30,
  managementPerMinute: 30,
  analyticsPerMinute: 60,
}

export interface AccountsSettings {
  /** Public URL of the dashboard (`DASHBOARD_URL`): links in emails are built from it. */
  readonly dashboardUrl: string
  /**
   * `API_KEY_HASH_SECRET`: API keys, and (same scheme, dashboard.md §1.2) verification,
   * reset, unlock and invitation tokens are stored as HMAC-SHA256 under it.
   */
  readonly apiKeyHashSecret: Redacted.Redacted<string>
  /** Plan of new workspaces: `community` self-hosted, `cloud_free` on the hosted service. */
  readonly defaultPlan: "community" | "cloud_free"
  readonly rateLimits: RateLimitSettings
  /** GitHub / Google sign-in (`oauthSettingsFromEnv`); absent: no provider is offered. */
  readonly oauth?: OAuthSettings | undefined
}

/**
 * The accounts service's settings. The process that runs it (apps/server) already owns the
 * secrets (generated into `secrets.json` in embedded mode, required from the environment on
 * servers), so it hands them over with `layerWith` instead of this package re-reading them.
 */
export class AccountsConfig extends Context.Tag("@yavio/accounts/AccountsConfig")<
  AccountsConfig,
  AccountsSettings
>() {
  static readonly layerWith = (settings: AccountsSettings): Layer.Layer<AccountsConfig> =>
    Layer.succeed(this, settings)
}
