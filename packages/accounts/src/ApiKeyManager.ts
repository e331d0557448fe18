import { PgClient } from "@effect/sql-pg/PgClient"
import {
  ApiKeyAlreadyRevoked,
  ApiKeyNotFound,
  type InsufficientRole,
  type InternalDashboardError,
  InvalidGracePeriod,
  type InvalidKeyName,
  type NotAWorkspaceMember,
  type ProjectNotFound,
} from "@yavio/domain"
import { ApiKeyView, CreatedApiKey } from "@yavio/domain/rpc/AccountsModels"
import type { CurrentUser } from "@yavio/domain/rpc/CurrentUser"
import { generateApiKey, hashApiKey } from "@yavio/ingest/ApiKeys"
import { Context, Effect, Layer, Redacted } from "effect"
import { Access } from "./Access.js"
import { AccountsConfig } from "./AccountsConfig.js"
import { keyName } from "./Names.js"
import { isUuid, orInternal } from "./SqlFailure.js"

interface KeyRow {
  readonly id: string
  readonly project_id: string
  readonly name: string
  readonly key_prefix: string
  readonly created_at: Date
  readonly last_used_at: Date | null
  readonly revoked_at: Date | null
  readonly revoked: boolean
}

const toView = (row: KeyRow) =>
  new ApiKeyView({
    id: row.id,
    projectId: row.project_id,
    name: row.name,
    prefix: row.key_prefix,
    createdAt: row.created_at,
    lastUsedAt: row.last_used_at,
    revokedAt: row.revoked_at,
    status: row.revoked ? "revoked" : "active",
  })

const columns = "id, project_id, name, key_prefix, created_at, last_used_at, revoked_at"
const MAX_GRACE_MINUTES = 1440

type ProjectAccessError = ProjectNotFound | NotAWorkspaceMember | InsufficientRole | InternalDashboardError

/**
 * API keys as the dashboard manages them (dashboard.md §2.4). Keys are made and hashed by
 * ingest's own `generateApiKey` / `hashApiKey` (HMAC-SHA256 under API_KEY_HASH_SECRET), so a
 * key created here is the key ingest accepts; the full key is returned once and never stored.
 * A rotated key keeps working until `revoked_at = now + grace`, which ingest honours.
 */
export class ApiKeyManager extends Context.Tag("@yavio/accounts/ApiKeyManager")<
  ApiKeyManager,
  {
    readonly list: (
      projectId: string,
    ) => Effect.Effect<ReadonlyArray<ApiKeyView>, ProjectAccessError, CurrentUser>
    readonly create: (input: {
      readonly projectId: string
      readonly name?: string | undefined
    }) => Effect.Effect<CreatedApiKey, ProjectAccessError | InvalidKeyName, CurrentUser>
    readonly revoke: (input: {
      readonly projectId: string
      readonly keyId: string
    }) => Effect.Effect<ApiKeyView, ProjectAccessError | ApiKeyNotFound | ApiKeyAlreadyRevoked, CurrentUser>
    readonly rotate: (input: {
      readonly projectId: string
      readonly keyId: string
      readonly gracePeriodMinutes?: number | undefined
    }) => Effect.Effect<
      CreatedApiKey,
      ProjectAccessError | ApiKeyNotFound | ApiKeyAlreadyRevoked | InvalidGracePeriod,
      CurrentUser
    >
  }
>() {
  static readonly make = Effect.gen(function* () {
    const sql = yield* PgClient
    const access = yield* Access
    const config = yield* AccountsConfig
    const secret = Redacted.value(config.apiKeyHashSecret)

    const select = (projectId: string) => sql`
      SELECT ${sql.unsafe(columns)}, (revoked_at IS NOT NULL AND revoked_at <= now()) AS revoked
      FROM api_keys WHERE project_id = ${projectId}`

    const insert = (project: { readonly id: string; readonly workspace_id: string }, name: string) =>
      Effect.gen(function* () {
        const fullKey = generateApiKey()
        const [row] = yield* sql<KeyRow>`
          INSERT INTO api_keys (project_id, workspace_id, key_hash, key_prefix, name)
          VALUES (${project.id}, ${project.workspace_id}, ${hashApiKey(secret, fullKey)}, ${fullKey.slice(0, 8)}, ${name})
          RETURNING ${sql.unsafe(columns)}, false AS revoked`
        return new CreatedApiKey({ key: toView(row!), fullKey })
      })

    const liveKey = (projectId: string, keyId: string) =>
      Effect.gen(function* () {
        if (!isUuid(keyId)) return yield* new ApiKeyNotFound({})
        const rows = yield* sql<KeyRow>`${select(projectId)} AND id = ${keyId}`.pipe(orInternal)
        const row = rows[0]
        if (row === undefined) return yield* new ApiKeyNotFound({})
        if (row.revoked) return yield* new ApiKeyAlreadyRevoked({})
        return row
      })

    const list = (projectId: string) =>
      Effect.gen(function* () {
        yield* access.requireProject(projectId, "apiKeys.list")
        const rows = yield* sql<KeyRow>`${select(projectId)} ORDER BY created_at DESC, id`.pipe(orInternal)
        return rows.map(toView)
      })

    const create = (input: { readonly projectId: string; readonly name?: string | undefined }) =>
      Effect.gen(function* () {
        const { project } = yield* access.requireProject(input.projectId, "apiKeys.manage")
        const name = yield* keyName(input.name ?? "Default")
        return yield* insert(project, name).pipe(orInternal)
      })

    const revoke = (input: { readonly projectId: string; readonly keyId: string }) =>
      Effect.gen(function* () {
        yield* access.requireProject(input.projectId, "apiKeys.manage")
        yield* liveKey(input.projectId, input.keyId)
        const [row] = yield* sql<KeyRow>`
          UPDATE api_keys SET revoked_at = now() WHERE id = ${input.keyId}
          RETURNING ${sql.unsafe(columns)}, true AS revoked`.pipe(orInternal)
        return toView(row!)
      })

    const rotate = (input: {
      readonly projectId: string
      readonly keyId: string
      readonly gracePeriodMinutes?: number | undefined
    }) =>
      Effect.gen(function* () {
        const { project } = yield* access.requireProject(input.projectId, "apiKeys.manage")
        const grace = input.gracePeriodMinutes ?? 0
        if (!Number.isInteger(grace) || grace < 0 || grace > MAX_GRACE_MINUTES) {
          return yield* new InvalidGracePeriod({ detail: `whole minutes from 0 to ${MAX_GRACE_MINUTES}` })
        }
        const old = yield* liveKey(input.projectId, input.keyId)
        return yield* Effect.gen(function* () {
          yield* sql`UPDATE api_keys SET revoked_at = now() + ${`${grace} minutes`}::interval WHERE id = ${old.id}`
          return yield* insert(project, old.name)
        }).pipe(sql.withTransaction, orInternal)
      })

    return ApiKeyManager.of({ list, create, revoke, rotate })
  })

  static readonly layer = Layer.effect(this, this.make)
}
