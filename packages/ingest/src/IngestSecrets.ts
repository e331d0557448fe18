import { Context, Effect, Layer, Redacted } from "effect"

/**
 * The two server-only secrets of ingest. `JWT_SECRET` signs widget tokens; it must never be
 * the API key, since developers know their keys and could forge tokens. `API_KEY_HASH_SECRET`
 * keys the HMAC under which API keys are stored, so a leaked database cannot be matched
 * against precomputed hashes. Where they come from (environment, or generated into the
 * embedded data directory) is decided by the process that starts ingest.
 */
export class IngestSecrets extends Context.Tag("@yavio/ingest/IngestSecrets")<
  IngestSecrets,
  {
    readonly jwtSecret: Redacted.Redacted<string>
    readonly apiKeyHashSecret: Redacted.Redacted<string>
  }
>() {
  static readonly layer = (secrets: { readonly jwtSecret: string; readonly apiKeyHashSecret: string }) =>
    Layer.succeed(this, {
      jwtSecret: Redacted.make(secrets.jwtSecret),
      apiKeyHashSecret: Redacted.make(secrets.apiKeyHashSecret),
    })

  static readonly layerEffect = <E, R>(
    load: Effect.Effect<{ readonly jwtSecret: string; readonly apiKeyHashSecret: string }, E, R>,
  ) =>
    Layer.effect(
      this,
      Effect.map(load, (s) =>
        IngestSecrets.of({
          jwtSecret: Redacted.make(s.jwtSecret),
          apiKeyHashSecret: Redacted.make(s.apiKeyHashSecret),
        }),
      ),
    )
}
