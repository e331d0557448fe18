import type { SqlError } from "@effect/sql/SqlError"
import { PgClient } from "@effect/sql-pg/PgClient"
import { Context, Effect, Layer, Redacted } from "effect"
import { AccountsConfig } from "./AccountsConfig.js"
import { hmacHex, randomToken } from "./Tokens.js"

/** The single-use emailed tokens of `verification_tokens` and how long each lives. */
export const tokenLifetimes = {
  email_verification: "24 hours",
  password_reset: "1 hour",
  account_unlock: "24 hours",
} as const

export type OneTimeTokenType = keyof typeof tokenLifetimes

/**
 * Email verification, password reset and unlock links: 32 random bytes, stored as
 * HMAC-SHA256, single use. Issuing one invalidates the user's earlier unused ones of the same
 * type; consuming is one UPDATE, so two concurrent uses cannot both succeed.
 */
export class OneTimeTokens extends Context.Tag("@yavio/accounts/OneTimeTokens")<
  OneTimeTokens,
  {
    readonly issue: (userId: string, type: OneTimeTokenType) => Effect.Effect<string, SqlError>
    /** The user the token was for, or undefined when it is unknown, expired or used. */
    readonly consume: (token: string, type: OneTimeTokenType) => Effect.Effect<string | undefined, SqlError>
  }
>() {
  static readonly make = Effect.gen(function* () {
    const sql = yield* PgClient
    const secret = Redacted.value((yield* AccountsConfig).apiKeyHashSecret)

    const issue = (userId: string, type: OneTimeTokenType) =>
      Effect.gen(function* () {
        const token = randomToken()
        yield* sql`DELETE FROM verification_tokens WHERE user_id = ${userId} AND type = ${type} AND used_at IS NULL`
        yield* sql`INSERT INTO verification_tokens (user_id, token_hash, type, expires_at)
                   VALUES (${userId}, ${hmacHex(secret, token)}, ${type}, now() + ${tokenLifetimes[type]}::interval)`
        return token
      })

    const consume = (token: string, type: OneTimeTokenType) =>
      sql<{ user_id: string }>`
        UPDATE verification_tokens SET used_at = now()
        WHERE token_hash = ${hmacHex(secret, token)} AND type = ${type} AND used_at IS NULL AND expires_at > now()
        RETURNING user_id`.pipe(Effect.map((rows) => rows[0]?.user_id))

    return OneTimeTokens.of({ issue, consume })
  })

  static readonly layer = Layer.effect(this, this.make)
}
