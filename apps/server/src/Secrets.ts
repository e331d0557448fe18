import { randomBytes } from "node:crypto"
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { oauthSettingsFromEnv } from "@yavio/accounts"
import { InvalidEnv, RequiredEnvMissing } from "@yavio/domain"
import { Config, Effect, Option } from "effect"

export interface PlatformSecrets {
  readonly jwtSecret: string
  readonly apiKeyHashSecret: string
  /**
   * `ENCRYPTION_KEY`, the AES-256-GCM key for OAuth tokens at rest. Always present in embedded
   * mode (generated like the others); on servers only when set — it is required there only
   * once an OAuth provider is configured, which the accounts service checks at start.
   */
  readonly encryptionKey: string | undefined
}

const NAMES = { jwtSecret: "JWT_SECRET", apiKeyHashSecret: "API_KEY_HASH_SECRET" } as const

const fromEnv = Effect.all({
  jwtSecret: Config.option(Config.nonEmptyString(NAMES.jwtSecret)),
  apiKeyHashSecret: Config.option(Config.nonEmptyString(NAMES.apiKeyHashSecret)),
  encryptionKey: Config.option(Config.nonEmptyString("ENCRYPTION_KEY")),
}).pipe(Effect.mapError((error) => new InvalidEnv({ detail: String(error) })))

/**
 * The server-only secrets. In embedded mode they are generated once and kept in
 * `$YAVIO_DATA_DIR/secrets.json` (mode 0600), so API keys and widget tokens stay valid across
 * restarts; the environment still wins when set. In server mode they must come from the
 * environment: a generated secret would differ between instances, and a lost one would
 * invalidate every stored API key.
 */
export const loadSecrets = (mode: "embedded" | "server", dataDir: string) =>
  Effect.gen(function* () {
    const env = yield* fromEnv
    if (mode === "server") {
      const missing = Object.entries(NAMES)
        .filter(([key]) => Option.isNone(env[key as keyof typeof NAMES]))
        .map(([, name]) => name)
      if (missing.length > 0) {
        return yield* new RequiredEnvMissing({
          detail: `${missing.join(" and ")} (required when DATABASE_URL or CLICKHOUSE_URL is set; generate with: openssl rand -base64 32)`,
        })
      }
    }
    const file = join(dataDir, "secrets.json")
    const stored = yield* Effect.try({
      try: (): Partial<PlatformSecrets> => (existsSync(file) ? JSON.parse(readFileSync(file, "utf8")) : {}),
      catch: (cause) => new InvalidEnv({ detail: `${file} is not valid JSON`, cause }),
    })
    const secrets: PlatformSecrets = {
      jwtSecret: Option.getOrElse(
        env.jwtSecret,
        () => stored.jwtSecret ?? randomBytes(32).toString("base64url"),
      ),
      apiKeyHashSecret: Option.getOrElse(
        env.apiKeyHashSecret,
        () => stored.apiKeyHashSecret ?? randomBytes(32).toString("base64url"),
      ),
      // Losing it makes stored OAuth tokens unreadable, so embedded mode keeps it beside the others.
      encryptionKey: Option.getOrElse(env.encryptionKey, () =>
        mode === "embedded" ? (stored.encryptionKey ?? randomBytes(32).toString("base64")) : undefined,
      ),
    }
    if (
      mode === "embedded" &&
      (stored.jwtSecret === undefined ||
        stored.apiKeyHashSecret === undefined ||
        stored.encryptionKey === undefined)
    ) {
      yield* Effect.sync(() => {
        mkdirSync(dataDir, { recursive: true })
        const keep = {
          jwtSecret: stored.jwtSecret ?? secrets.jwtSecret,
          apiKeyHashSecret: stored.apiKeyHashSecret ?? secrets.apiKeyHashSecret,
          encryptionKey: stored.encryptionKey ?? secrets.encryptionKey,
        }
        writeFileSync(file, `${JSON.stringify(keep, null, 2)}\n`, { mode: 0o600 })
        chmodSync(file, 0o600)
      })
    }
    // A configured OAuth provider without a usable ENCRYPTION_KEY stops the start here, before
    // any store is touched, rather than when the dashboard layer is built.
    yield* oauthSettingsFromEnv({ encryptionKey: secrets.encryptionKey })
    return secrets
  })
