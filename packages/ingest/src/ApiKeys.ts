import { createHmac, randomBytes } from "node:crypto"
import { PgClient } from "@effect/sql-pg/PgClient"
import { ApiKeyRevoked, InvalidApiKey, PostgresUnavailable } from "@yavio/domain"
import { Context, Effect, Layer, Redacted } from "effect"
import { IngestSecrets } from "./IngestSecrets.js"
import { LruCache } from "./LruCache.js"
import { Metrics } from "./Metrics.js"

/** The project an API key sends for. */
export interface KeyOwner {
  readonly keyId: string
  readonly projectId: string
  readonly workspaceId: string
}

export const API_KEY_PATTERN = /^yav_[A-Za-z0-9_-]{32}$/

/** How keys are stored: HMAC-SHA256 under API_KEY_HASH_SECRET, hex. Shared by every writer of keys. */
export const hashApiKey = (secret: string, key: string): string =>
  createHmac("sha256", secret).update(key).digest("hex")

/** A new key: `yav_` + 32 URL-safe random characters (192 bits). */
export const generateApiKey = (): string => `yav_${randomBytes(24).toString("base64url")}`

/** Cache sizes and times from the spec; the negative TTL is our decision (a key scan stays cheap). */
export interface ApiKeyCacheOptions {
  readonly capacity: number
  readonly ttlMs: number
  readonly negativeTtlMs: number
  /** `last_used_at` is written at most this often per key, off the request path. */
  readonly touchIntervalMs: number
}

export const defaultApiKeyCacheOptions: ApiKeyCacheOptions = {
  capacity: 10_000,
  ttlMs: 60_000,
  negativeTtlMs: 5_000,
  touchIntervalMs: 60_000,
}

type Lookup =
  | { readonly _tag: "Owner"; readonly owner: KeyOwner }
  | { readonly _tag: "Revoked" }
  | { readonly _tag: "Unknown" }

/**
 * Resolves `yav_…` keys to their project. Keys are stored only as
 * HMAC-SHA256(API_KEY_HASH_SECRET, key); the cache is keyed by that hash too, so raw keys are
 * never kept in memory beyond the request. A cached key keeps working while PostgreSQL is
 * down; a miss then answers `YAVIO-2403` (retryable) rather than rejecting a valid key.
 * Revocation takes effect within the cache TTL.
 */
export class ApiKeys extends Context.Tag("@yavio/ingest/ApiKeys")<
  ApiKeys,
  {
    readonly hash: (key: string) => string
    readonly resolve: (
      key: string,
    ) => Effect.Effect<KeyOwner, InvalidApiKey | ApiKeyRevoked | PostgresUnavailable>
  }
>() {
  static readonly make = (options: ApiKeyCacheOptions = defaultApiKeyCacheOptions) =>
    Effect.gen(function* () {
      const sql = yield* PgClient
      const secrets = yield* IngestSecrets
      const metrics = yield* Metrics
      const secret = Redacted.value(secrets.apiKeyHashSecret)
      const cache = new LruCache<string, Lookup>(options.capacity)
      const touchedAt = new Map<string, number>()

      const hash = (key: string) => hashApiKey(secret, key)

      // A key being rotated keeps working until its `revoked_at` (the grace period) passes.
      const lookup = (keyHash: string) =>
        sql<{ id: string; project_id: string; workspace_id: string; live: boolean }>`
          SELECT id, project_id, workspace_id, (revoked_at IS NULL OR revoked_at > now()) AS live
          FROM api_keys WHERE key_hash = ${keyHash}
          ORDER BY revoked_at DESC NULLS FIRST LIMIT 1`.pipe(
          Effect.map((rows): Lookup => {
            const row = rows[0]
            if (row === undefined) return { _tag: "Unknown" }
            if (!row.live) return { _tag: "Revoked" }
            return {
              _tag: "Owner",
              owner: { keyId: row.id, projectId: row.project_id, workspaceId: row.workspace_id },
            }
          }),
          Effect.mapError((cause) => new PostgresUnavailable({ cause, retryAfterSeconds: 5 })),
        )

      const touch = (keyId: string, now: number) => {
        const last = touchedAt.get(keyId)
        if (last !== undefined && now - last < options.touchIntervalMs) return Effect.void
        touchedAt.set(keyId, now)
        if (touchedAt.size > options.capacity) touchedAt.delete(touchedAt.keys().next().value as string)
        return sql`UPDATE api_keys SET last_used_at = now() WHERE id = ${keyId}`.pipe(
          Effect.ignore,
          Effect.forkDaemon,
          Effect.asVoid,
        )
      }

      const resolve = (key: string) =>
        Effect.suspend((): Effect.Effect<KeyOwner, InvalidApiKey | ApiKeyRevoked | PostgresUnavailable> => {
          if (!API_KEY_PATTERN.test(key)) {
            return Effect.fail(new InvalidApiKey({ detail: "API keys are `yav_` followed by 32 characters" }))
          }
          const keyHash = hash(key)
          const now = Date.now()
          const cached = cache.get(keyHash, now)
          if (cached === undefined) metrics.keyCacheMisses.inc()
          else metrics.keyCacheHits.inc()
          const found =
            cached !== undefined
              ? Effect.succeed(cached)
              : lookup(keyHash).pipe(
                  Effect.tap((result) =>
                    Effect.sync(() =>
                      cache.set(
                        keyHash,
                        result,
                        now + (result._tag === "Owner" ? options.ttlMs : options.negativeTtlMs),
                      ),
                    ),
                  ),
                )
          return Effect.flatMap(found, (result): Effect.Effect<KeyOwner, InvalidApiKey | ApiKeyRevoked> => {
            switch (result._tag) {
              case "Owner":
                return Effect.as(touch(result.owner.keyId, now), result.owner)
              case "Revoked":
                return Effect.fail(new ApiKeyRevoked({}))
              case "Unknown":
                return Effect.fail(new InvalidApiKey({}))
            }
          })
        })

      return ApiKeys.of({ hash, resolve })
    })

  static readonly layer = Layer.effect(this, this.make())
}
