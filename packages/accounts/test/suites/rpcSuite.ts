import { PgClient } from "@effect/sql-pg/PgClient"
import { expect, type Vitest } from "@effect/vitest"
import { Effect } from "effect"
import { Auth } from "../../src/Auth.js"
import { type AccountsTestServices, headersOf, rpcClient } from "../support/harness.js"
import { type Actor, actors, as, buildWorld, freshUser, outcome, type World } from "../support/world.js"
import { permissionMatrix } from "./permissionMatrix.js"

/** The shared fixture is what the denied calls aimed at: none of them may have changed it. */
const expectFixtureIntact = (w: World) =>
  Effect.gen(function* () {
    const owner = as(w, "owner")
    const a = yield* w.client.getWorkspace({ slug: w.a.slug }, owner)
    expect(a.memberCount).toBe(4)
    const members = yield* w.client.listMembers({ workspaceId: w.a.id }, owner)
    expect(members.map((m) => [m.email, m.role, m.isOwner]).sort()).toEqual(
      (
        [
          [w.emails.admin, "admin", false],
          [w.emails.member, "member", false],
          [w.emails.owner, "admin", true],
          [w.emails.viewer, "viewer", false],
        ] as const
      ).map((x) => [...x]),
    )
    const projects = yield* w.client.listProjects({ workspaceId: w.a.id }, owner)
    expect(projects.map((p) => p.id)).toContain(w.projectA.id)
    const keys = yield* w.client.listApiKeys({ projectId: w.projectA.id }, owner)
    expect(keys.find((k) => k.id === w.keyA.id)?.status).toBe("active")
    const invitations = yield* w.client.listInvitations({ workspaceId: w.a.id }, owner)
    expect(invitations.map((i) => i.id)).toContain(w.pendingInvite.id)
    const keysB = yield* w.client.listApiKeys({ projectId: w.projectB.id }, as(w, "outsider"))
    expect(keysB.map((k) => [k.id, k.status])).toEqual([[w.keyB.id, "active"]])
  })

export const rpcSuite = (it: Vitest.MethodsNonLive<AccountsTestServices, true>, label: string) => {
  it.scoped(`every AccountsRpc call answers each role as the permission matrix says [${label}]`, () =>
    Effect.gen(function* () {
      const world = yield* buildWorld(yield* rpcClient, "matrix")
      const seen: Record<string, Record<Actor, string>> = {}
      for (const testCase of permissionMatrix) {
        const row = {} as Record<Actor, string>
        for (const actor of actors) {
          row[actor] = yield* outcome(testCase.run(world, actor, testCase.expect[actor] === "ok"))
        }
        seen[testCase.rpc] = row
      }
      expect(seen).toEqual(Object.fromEntries(permissionMatrix.map((c) => [c.rpc, c.expect])))
      yield* expectFixtureIntact(world)
    }),
  )

  it.scoped(`a member of workspace A asking for B's data gets YAVIO-3102, never data [${label}]`, () =>
    Effect.gen(function* () {
      const w = yield* buildWorld(yield* rpcClient, "cross")
      // The owner of A holds every right in A; none of them reaches B.
      for (const actor of ["owner", "admin", "member", "viewer"] as const) {
        const c = w.client
        const h = as(w, actor)
        const calls: Record<string, Effect.Effect<unknown, unknown>> = {
          getWorkspace: c.getWorkspace({ slug: w.b.slug }, h),
          updateWorkspace: c.updateWorkspace({ workspaceId: w.b.id, name: "Taken over" }, h),
          deleteWorkspace: c.deleteWorkspace({ workspaceId: w.b.id }, h),
          listMembers: c.listMembers({ workspaceId: w.b.id }, h),
          changeMemberRole: c.changeMemberRole(
            { workspaceId: w.b.id, userId: w.sessions.outsider.userId, role: "viewer" },
            h,
          ),
          removeMember: c.removeMember({ workspaceId: w.b.id, userId: w.sessions.outsider.userId }, h),
          listInvitations: c.listInvitations({ workspaceId: w.b.id }, h),
          createInvitation: c.createInvitation(
            { workspaceId: w.b.id, email: "spy@example.com", role: "admin" },
            h,
          ),
          listProjects: c.listProjects({ workspaceId: w.b.id }, h),
          createProject: c.createProject({ workspaceId: w.b.id, name: "Implant" }, h),
          updateProject: c.updateProject({ projectId: w.projectB.id, name: "Renamed" }, h),
          deleteProject: c.deleteProject({ projectId: w.projectB.id }, h),
          listApiKeys: c.listApiKeys({ projectId: w.projectB.id }, h),
          createApiKey: c.createApiKey({ projectId: w.projectB.id }, h),
          revokeApiKey: c.revokeApiKey({ projectId: w.projectB.id, keyId: w.keyB.id }, h),
          rotateApiKey: c.rotateApiKey({ projectId: w.projectB.id, keyId: w.keyB.id }, h),
          // Unknown and malformed ids answer like someone else's: a probe learns nothing.
          unknownWorkspace: c.listProjects({ workspaceId: "00000000-0000-4000-8000-000000000000" }, h),
          malformedWorkspace: c.listMembers({ workspaceId: "'; DROP TABLE users; --" }, h),
        }
        const results: Record<string, string> = {}
        for (const [name, call] of Object.entries(calls)) results[name] = yield* outcome(call)
        expect(results).toEqual(Object.fromEntries(Object.keys(calls).map((name) => [name, "YAVIO-3102"])))
        // B's key under A's project id: A's rights do not stretch to B's key.
        if (actor === "owner") {
          expect(yield* outcome(c.revokeApiKey({ projectId: w.projectA.id, keyId: w.keyB.id }, h))).toBe(
            "YAVIO-3250",
          )
          expect(yield* outcome(c.listApiKeys({ projectId: "not-a-project" }, h))).toBe("YAVIO-3153")
        }
        const mine = yield* c.listWorkspaces(undefined, h)
        expect(mine.map((ws) => ws.id)).not.toContain(w.b.id)
        const me = yield* c.me(undefined, h)
        expect(me.memberships.map((m) => m.workspaceId)).not.toContain(w.b.id)
      }
      yield* expectFixtureIntact(w)
      const sql = yield* PgClient
      const [b] = yield* sql<{ name: string }>`SELECT name FROM workspaces WHERE id = ${w.b.id}`
      expect(b?.name).toBe(w.b.name)
    }),
  )

  it.scoped(`without a live session every AccountsRpc call answers YAVIO-3000 [${label}]`, () =>
    Effect.gen(function* () {
      const client = yield* rpcClient
      const auth = yield* Auth
      const { session } = yield* freshUser("anon")
      yield* auth.logout(session.token)
      const sql = yield* PgClient
      const expired = (yield* freshUser("expired")).session
      yield* sql`UPDATE sessions SET expires_at = now() - interval '1 second' WHERE id = ${expired.sessionId}`
      const headerSets: ReadonlyArray<Record<string, string>> = [
        {},
        { cookie: "yavio_session=" },
        { cookie: "yavio_session=forged-token-that-is-not-ours" },
        headersOf(session),
        headersOf(expired),
      ]
      const zero = "00000000-0000-4000-8000-000000000000"
      for (const headers of headerSets) {
        const o = { headers }
        const calls: ReadonlyArray<Effect.Effect<unknown, unknown>> = [
          client.me(undefined, o),
          client.updateProfile({ name: "x" }, o),
          client.listWorkspaces(undefined, o),
          client.getWorkspace({ slug: "local" }, o),
          client.createWorkspace({ name: "x" }, o),
          client.updateWorkspace({ workspaceId: zero }, o),
          client.deleteWorkspace({ workspaceId: zero }, o),
          client.listMembers({ workspaceId: zero }, o),
          client.changeMemberRole({ workspaceId: zero, userId: zero, role: "admin" }, o),
          client.removeMember({ workspaceId: zero, userId: zero }, o),
          client.leaveWorkspace({ workspaceId: zero }, o),
          client.listInvitations({ workspaceId: zero }, o),
          client.createInvitation({ workspaceId: zero, email: "a@b.co", role: "admin" }, o),
          client.resendInvitation({ workspaceId: zero, invitationId: zero }, o),
          client.cancelInvitation({ workspaceId: zero, invitationId: zero }, o),
          client.acceptInvitation({ token: "x" }, o),
          client.listProjects({ workspaceId: zero }, o),
          client.createProject({ workspaceId: zero, name: "x" }, o),
          client.updateProject({ projectId: zero }, o),
          client.deleteProject({ projectId: zero }, o),
          client.listApiKeys({ projectId: zero }, o),
          client.createApiKey({ projectId: zero }, o),
          client.revokeApiKey({ projectId: zero, keyId: zero }, o),
          client.rotateApiKey({ projectId: zero, keyId: zero }, o),
        ]
        const results = []
        for (const call of calls) results.push(yield* outcome(call))
        expect(results).toEqual(calls.map(() => "YAVIO-3000"))
      }
    }),
  )
}
