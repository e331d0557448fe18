import { OauthError } from "@yavio/domain"
import { Config, Context, Effect, Layer, Option } from "effect"

export type OAuthProvider = "github" | "google"

const variables = {
  github: ["GITHUB_CLIENT_ID", "GITHUB_CLIENT_SECRET"],
  google: ["GOOGLE_CLIENT_ID", "GOOGLE_CLIENT_SECRET"],
} as const

/**
 * GitHub and Google sign-in (dashboard.md §1.5), gated by configuration: a provider is offered
 * only when both its variables are set. The authorization-code flow itself is not built yet:
 * starting it answers `YAVIO-3009` saying so, for configured and unconfigured providers alike.
 */
export class OAuth extends Context.Tag("@yavio/accounts/OAuth")<
  OAuth,
  {
    readonly providers: ReadonlyArray<OAuthProvider>
    readonly start: (provider: string) => Effect.Effect<never, OauthError>
  }
>() {
  static readonly make = Effect.gen(function* () {
    const configured = (name: string) =>
      Config.option(Config.nonEmptyString(name)).pipe(
        Effect.map(Option.isSome),
        Effect.orElseSucceed(() => false),
      )
    const providers: Array<OAuthProvider> = []
    for (const provider of ["github", "google"] as const) {
      const [id, secret] = variables[provider]
      if ((yield* configured(id)) && (yield* configured(secret))) providers.push(provider)
    }
    const start = (provider: string) =>
      Effect.fail(
        new OauthError({
          detail: providers.includes(provider as OAuthProvider)
            ? `${provider} sign-in is configured but not implemented in this version; sign in with email and password`
            : `${provider} sign-in is not configured (set ${provider.toUpperCase()}_CLIENT_ID and ${provider.toUpperCase()}_CLIENT_SECRET)`,
        }),
      )
    return OAuth.of({ providers, start })
  })

  static readonly layer = Layer.effect(this, this.make)
}
