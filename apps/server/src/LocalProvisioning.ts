import { randomBytes } from "node:crypto"
import { chmodSync, existsSync, readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { PgClient } from "@effect/sql-pg/PgClient"
import { generateApiKey, hashApiKey } from "@yavio/ingest"
import { postgresError } from "@yavio/storage"
import { Effect } from "effect"
import { hashPassword } from "./PasswordHash.js"

/** `$YAVIO_DATA_DIR/local.json`: everything a developer needs to send a first event and log in. */
export interface LocalInstall {
  readonly apiKey: string
  readonly workspaceId: string
  readonly projectId: string
  readonly email: string
  readonly password: string
  readonly ingestUrl: string
  readonly dashboardUrl: string
}

export const LOCAL_ADMIN_EMAIL = "admin@localhost"

/**
 * First start of an embedded install: with no user in the stores, create a local admin, a
 * workspace, a project and an API key, and keep them in `local.json` (mode 0600). Later starts
 * find the file and provision nothing. Stores that already hold users are never provisioned,
 * even without the file: that install belongs to someone.
 */
export const provisionLocal = (options: {
  readonly dataDir: string
  readonly apiKeyHashSecret: string
  readonly ingestUrl: string
  readonly dashboardUrl: string
}) =>
  Effect.gen(function* () {
    const file = join(options.dataDir, "local.json")
    if (existsSync(file)) {
      const install = JSON.parse(readFileSync(file, "utf8")) as LocalInstall
      return {
        created: false,
        install: { ...install, ingestUrl: options.ingestUrl, dashboardUrl: options.dashboardUrl },
        file,
      } as const
    }
    const sql = yield* PgClient
    const [{ users }] = (yield* sql<{
      users: number
    }>`SELECT count(*)::int AS users FROM users`) as unknown as [{ users: number }]
    if (users > 0) return { created: false, install: undefined, file } as const

    const password = randomBytes(12).toString("base64url")
    const apiKey = generateApiKey()
    const passwordHash = yield* Effect.promise(() => hashPassword(password))
    const ids = yield* sql
      .withTransaction(
        Effect.gen(function* () {
          const [user] = yield* sql<{ id: string }>`
          INSERT INTO users (email, name, password_hash, email_verified)
          VALUES (${LOCAL_ADMIN_EMAIL}, 'Local admin', ${passwordHash}, true) RETURNING id`
          const [workspace] = yield* sql<{ id: string }>`
          INSERT INTO workspaces (name, slug, owner_id) VALUES ('Local', 'local', ${user!.id}) RETURNING id`
          yield* sql`INSERT INTO workspace_members (workspace_id, user_id, role) VALUES (${workspace!.id}, ${user!.id}, 'admin')`
          const [project] = yield* sql<{ id: string }>`
          INSERT INTO projects (workspace_id, name, slug) VALUES (${workspace!.id}, 'My MCP server', 'my-mcp-server') RETURNING id`
          yield* sql`
          INSERT INTO api_keys (project_id, workspace_id, key_hash, key_prefix, name)
          VALUES (${project!.id}, ${workspace!.id}, ${hashApiKey(options.apiKeyHashSecret, apiKey)}, ${apiKey.slice(0, 8)}, 'Local')`
          return { workspaceId: workspace!.id, projectId: project!.id }
        }),
      )
      .pipe(Effect.mapError(postgresError))
    const install: LocalInstall = {
      apiKey,
      workspaceId: ids.workspaceId,
      projectId: ids.projectId,
      email: LOCAL_ADMIN_EMAIL,
      password,
      ingestUrl: options.ingestUrl,
      dashboardUrl: options.dashboardUrl,
    }
    yield* Effect.sync(() => {
      writeFileSync(file, `${JSON.stringify(install, null, 2)}\n`, { mode: 0o600 })
      chmodSync(file, 0o600)
    })
    return { created: true, install, file } as const
  })
