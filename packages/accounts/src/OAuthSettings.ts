import { InvalidEnv, RequiredEnvMissing } from "@yavio/domain"
import { Config, Effect, Either, Option, Redacted } from "effect"
import { parseEncryptionKey } from "./TokenCipher.js"

export type OAuthProvider = "github" | "google"
export const oauthProviders: ReadonlyArray<OAuthProvider> = ["github", "google"]

/**
 * Where a provider lives. The public defaults below are what production uses; tests (and a
 * GitHub Enterprise install) point them elsewhere — dashboard.md §7.2 tests the flow against a
 * local stub provider.
 */
export interface OAuthEndpoints {
  readonly authorizeUrl: string
  readonly tokenUrl: string
  /** GitHub: `GET /user`. Google: the OpenID Connect userinfo endpoint. */
  readonly userUrl: string
  /** GitHub only: `GET /user/emails`, where the primary address and its verified flag are. */
  readonly emailsUrl?: string | undefined
}

export interface OAuthClient {
  readonly clientId: string
  readonly clientSecret: Redacted.Redacted<string>
  readonly endpoints: OAuthEndpoints
}

export interface OAuthSettings {
  /** Only the configured providers are present: a provider is offered when both its variables are set. */
  readonly clients: Partial<Record<OAuthProvider, OAuthClient>>
  /** `ENCRYPTION_KEY` (32 bytes): provider tokens are stored under it. Required when a client is set. */
  readonly encryptionKey: Redacted.Redacted<Buffer> | undefined
}

export const defaultEndpoints: Record<OAuthProvider, OAuthEndpoints> = {
  github: {
    authorizeUrl: "https://github.com/login/oauth/authorize",
    tokenUrl: "https://github.com/login/oauth/access_token",
    userUrl: "https://api.github.com/user",
    emailsUrl: "https://api.github.com/user/emails",
  },
  google: {
    authorizeUrl: "https://accounts.google.com/o/oauth2/v2/auth",
    tokenUrl: "https://oauth2.googleapis.com/token",
    userUrl: "https://openidconnect.googleapis.com/v1/userinfo",
  },
}

/** The variables naming a provider's client, for settings and for error details. */
export const clientVariables = (provider: OAuthProvider) =>
  [`${provider.toUpperCase()}_CLIENT_ID`, `${provider.toUpperCase()}_CLIENT_SECRET`] as const

const optional = (name: string) =>
  Config.option(Config.string(name)).pipe(
    Effect.map(Option.filter((v) => v.trim() !== "")),
    Effect.map(Option.map((v) => v.trim())),
    Effect.mapError((error) => new InvalidEnv({ detail: `${name}: ${String(error)}` })),
  )

/**
 * OAuth settings from the environment: `GITHUB_CLIENT_ID`/`_SECRET`, `GOOGLE_CLIENT_ID`/`_SECRET`,
 * and per-endpoint overrides `<PROVIDER>_AUTHORIZE_URL`, `_TOKEN_URL`, `_USER_URL`
 * (`GITHUB_EMAILS_URL`). The encryption key is the process's (generated and kept in embedded
 * mode, see apps/server Secrets.ts); with a provider configured and no key, start fails with
 * `YAVIO-7200` naming `ENCRYPTION_KEY` — tokens are never stored in the clear.
 */
export const oauthSettingsFromEnv = (options: { readonly encryptionKey: string | undefined }) =>
  Effect.gen(function* () {
    const clients: Partial<Record<OAuthProvider, OAuthClient>> = {}
    for (const provider of oauthProviders) {
      const [idName, secretName] = clientVariables(provider)
      const id = yield* optional(idName)
      const secret = yield* optional(secretName)
      if (Option.isNone(id) || Option.isNone(secret)) continue
      const prefix = provider.toUpperCase()
      const defaults = defaultEndpoints[provider]
      const emailsUrl = provider === "github" ? yield* optional(`${prefix}_EMAILS_URL`) : Option.none()
      clients[provider] = {
        clientId: id.value,
        clientSecret: Redacted.make(secret.value),
        endpoints: {
          authorizeUrl: Option.getOrElse(
            yield* optional(`${prefix}_AUTHORIZE_URL`),
            () => defaults.authorizeUrl,
          ),
          tokenUrl: Option.getOrElse(yield* optional(`${prefix}_TOKEN_URL`), () => defaults.tokenUrl),
          userUrl: Option.getOrElse(yield* optional(`${prefix}_USER_URL`), () => defaults.userUrl),
          emailsUrl: Option.getOrElse(emailsUrl, () => defaults.emailsUrl),
        },
      }
    }
    return yield* oauthSettingsWith({ clients, encryptionKey: options.encryptionKey })
  })

/** Settings from values (tests, or a process with its own configuration), checked like the environment's. */
export const oauthSettingsWith = (input: {
  readonly clients: Partial<Record<OAuthProvider, OAuthClient>>
  readonly encryptionKey: string | undefined
}): Effect.Effect<OAuthSettings, InvalidEnv | RequiredEnvMissing> =>
  Effect.gen(function* () {
    const configured = Object.keys(input.clients)
    if (input.encryptionKey === undefined || input.encryptionKey.trim() === "") {
      if (configured.length === 0) return { clients: {}, encryptionKey: undefined }
      return yield* new RequiredEnvMissing({
        detail: `ENCRYPTION_KEY (required when ${configured.map((p) => clientVariables(p as OAuthProvider)[0]).join(" or ")} is set: OAuth tokens are stored encrypted; generate with: openssl rand -base64 32)`,
      })
    }
    const key = parseEncryptionKey(input.encryptionKey)
    if (Either.isLeft(key)) return yield* key.left
    return { clients: input.clients, encryptionKey: Redacted.make(key.right) }
  })
