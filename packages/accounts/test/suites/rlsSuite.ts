import { PgClient } from "@effect/sql-pg/PgClient"
import { expect, type Vitest } from "@effect/vitest"
import { CurrentUser } from "@yavio/domain/rpc/CurrentUser"
import { Effect } from "effect"
import { Auth } from "../../src/Auth.js"
import { TenantScope } from "../../src/TenantScope.js"
import { type AccountsTestServices, rpcClient } from "../support/harness.js"
import { buildWorld, outcome } from "../support/world.js"

class Rollback {
  readonly _tag = "Rollback"
}

export const rlsSuite = (it: Vitest.MethodsNonLive<AccountsTestServices, true>, label: string) => {
  it.scoped(`row-level security: a query that forgets its tenant filter still cannot leak [${label}]`, () =>
    Effect.gen(function* () {
      const w = yield* buildWorld(yield* rpcClient, "rls")
      const sql = yield* PgClient
      const tenant = yield* TenantScope
      expect(tenant.enforced).toBe(true)
      const owner = yield* (yield* Auth).session(w.sessions.owner.token)
      const asOwnerOfA = <A, E>(effect: Effect.Effect<A, E>) =>
        Effect.provideService(tenant.run(effect), CurrentUser, owner)

      // The same unfiltered statements, as the service role, see both tenants: the filter is what is missing.
      const everything = yield* sql<{ workspace_id: string }>`SELECT workspace_id FROM projects`
      expect(everything.map((r) => r.workspace_id)).toContain(w.b.id)

      const seen = yield* asOwnerOfA(
        Effect.all({
          workspaces: sql<{ id: string }>`SELECT id FROM workspaces`,
          members: sql<{ workspace_id: string }>`SELECT workspace_id FROM workspace_members`,
          projects: sql<{ id: string; workspace_id: string }>`SELECT id, workspace_id FROM projects`,
          keys: sql<{ id: string }>`SELECT id FROM api_keys`,
          invitations: sql<{ workspace_id: string }>`SELECT workspace_id FROM invitations`,
          users: sql<{ email: string }>`SELECT email FROM users`,
        }),
      )
      const mine = new Set(seen.workspaces.map((r) => r.id))
      expect(mine.has(w.a.id)).toBe(true)
      expect(mine.has(w.b.id)).toBe(false)
      expect(seen.members.every((r) => mine.has(r.workspace_id))).toBe(true)
      expect(seen.projects.every((r) => mine.has(r.workspace_id))).toBe(true)
      expect(seen.projects.map((r) => r.id)).toContain(w.projectA.id)
      expect(seen.keys.map((r) => r.id)).toEqual([w.keyA.id])
      expect(seen.invitations.every((r) => mine.has(r.workspace_id))).toBe(true)
      expect(seen.users.map((r) => r.email).sort()).toEqual(
        [w.emails.owner, w.emails.admin, w.emails.member, w.emails.viewer].sort(),
      )

      // Tables of the service role only: not even readable.
      expect(yield* outcome(asOwnerOfA(sql`SELECT token_hash FROM sessions`))).toBe("YAVIO-3999")
      expect(yield* outcome(asOwnerOfA(sql`SELECT token_hash FROM verification_tokens`))).toBe("YAVIO-3999")

      // Unfiltered writes reach only the caller's rows (rolled back afterwards); inserts into another tenant fail.
      const writes = asOwnerOfA(
        Effect.gen(function* () {
          const renamed = yield* sql<{ id: string }>`UPDATE projects SET name = 'hijacked' RETURNING id`
          const deleted = yield* sql<{ id: string }>`DELETE FROM api_keys RETURNING id`
          expect(renamed.map((r) => r.id)).not.toContain(w.projectB.id)
          expect(deleted.map((r) => r.id)).toEqual([w.keyA.id])
          return yield* Effect.fail(new Rollback())
        }),
      )
      expect(yield* Effect.flip(writes)).toBeInstanceOf(Rollback)
      expect(
        yield* outcome(
          asOwnerOfA(
            sql`INSERT INTO projects (workspace_id, name, slug) VALUES (${w.b.id}, 'implant', 'implant')`,
          ),
        ),
      ).toBe("YAVIO-3999")
      const [projectB] = yield* sql<{ name: string }>`SELECT name FROM projects WHERE id = ${w.projectB.id}`
      expect(projectB?.name).toBe("Secret project")
      const [keyB] = yield* sql<{
        revoked_at: Date | null
      }>`SELECT revoked_at FROM api_keys WHERE id = ${w.keyB.id}`
      expect(keyB).toEqual({ revoked_at: null })
      const [keyA] = yield* sql<{ id: string }>`SELECT id FROM api_keys WHERE id = ${w.keyA.id}`
      expect(keyA?.id).toBe(w.keyA.id)

      // The role without a user sees nothing at all.
      const anonymous = yield* Effect.gen(function* () {
        yield* sql`SET LOCAL ROLE yavio_app`
        return yield* sql<{
          n: number
        }>`SELECT (SELECT count(*) FROM projects)::int + (SELECT count(*) FROM workspaces)::int AS n`
      }).pipe(sql.withTransaction)
      expect(anonymous[0]?.n).toBe(0)
    }),
  )
}
