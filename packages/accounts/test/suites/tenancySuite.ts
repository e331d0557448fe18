import { ClickhouseClient } from "@effect/sql-clickhouse/ClickhouseClient"
import { PgClient } from "@effect/sql-pg/PgClient"
import { expect, type Vitest } from "@effect/vitest"
import { CurrentUser } from "@yavio/domain/rpc/CurrentUser"
import { ApiKeys } from "@yavio/ingest/ApiKeys"
import { IngestSecrets } from "@yavio/ingest/IngestSecrets"
import { Metrics } from "@yavio/ingest/Metrics"
import { Effect, Layer } from "effect"
import { Auth } from "../../src/Auth.js"
import { Cleanup } from "../../src/Cleanup.js"
import { Invitations } from "../../src/Invitations.js"
import {
  type AccountsTestServices,
  freshEmail,
  Harness,
  headersOf,
  request,
  rpcClient,
  signUp,
} from "../support/harness.js"
import { latestLink } from "../support/outbox.js"
import { as, buildWorld, freshUser, outcome } from "../support/world.js"

/** Ingest's own key lookup over the same store and secret: what a key created here meets at `POST /v1/events`. */
const ingestKeys = Effect.gen(function* () {
  const { secret } = yield* Harness
  return yield* ApiKeys.make().pipe(
    Effect.provide(
      Layer.merge(IngestSecrets.layer({ jwtSecret: "unused-here", apiKeyHashSecret: secret }), Metrics.layer),
    ),
  )
})

export const tenancySuite = (it: Vitest.MethodsNonLive<AccountsTestServices, true>, label: string) => {
  it.scoped(`workspace and project slugs: generated, de-duplicated, validated, unique [${label}]`, () =>
    Effect.gen(function* () {
      const client = yield* rpcClient
      const { session } = yield* freshUser("slugs")
      const h = { headers: headersOf(session) }
      const name = `Acme Labs ${process.pid}`
      const first = yield* client.createWorkspace({ name }, h)
      const second = yield* client.createWorkspace({ name }, h)
      expect(first.slug).toBe(`acme-labs-${process.pid}`)
      expect(second.slug).toBe(`acme-labs-${process.pid}-2`)
      expect(first).toMatchObject({ role: "admin", isOwner: true, memberCount: 1, plan: "community" })
      expect(yield* outcome(client.createWorkspace({ name: "X", slug: first.slug }, h))).toBe("YAVIO-3150")
      expect(yield* outcome(client.createWorkspace({ name: "X", slug: "settings" }, h))).toBe("YAVIO-3156")
      expect(yield* outcome(client.createWorkspace({ name: "X", slug: "Bad_Slug" }, h))).toBe("YAVIO-3156")
      expect(yield* outcome(client.createWorkspace({ name: "X", slug: "a" }, h))).toBe("YAVIO-3156")
      expect(yield* outcome(client.createWorkspace({ name: "<script>" }, h))).toBe("YAVIO-3154")
      expect(yield* outcome(client.createWorkspace({ name: "x".repeat(101) }, h))).toBe("YAVIO-3154")
      expect(yield* outcome(client.createWorkspace({ name: "   " }, h))).toBe("YAVIO-3154")
      expect(yield* outcome(client.updateWorkspace({ workspaceId: second.id, slug: first.slug }, h))).toBe(
        "YAVIO-3150",
      )
      const renamed = yield* client.updateWorkspace(
        { workspaceId: second.id, name: "Acme & Sons' Co.", slug: `acme-sons-${process.pid}` },
        h,
      )
      expect(yield* client.getWorkspace({ slug: renamed.slug }, h)).toMatchObject({
        id: second.id,
        name: "Acme & Sons' Co.",
      })
      expect(yield* outcome(client.getWorkspace({ slug: second.slug }, h))).toBe("YAVIO-3151")

      const p1 = yield* client.createProject({ workspaceId: first.id, name: "Hotel Booking MCP" }, h)
      const p2 = yield* client.createProject({ workspaceId: first.id, name: "Hotel Booking MCP" }, h)
      expect([p1.slug, p2.slug]).toEqual(["hotel-booking-mcp", "hotel-booking-mcp-2"])
      // Unique per workspace only.
      const elsewhere = yield* client.createProject(
        { workspaceId: second.id, name: "Other", slug: "hotel-booking-mcp" },
        h,
      )
      expect(elsewhere.slug).toBe("hotel-booking-mcp")
      expect(
        yield* outcome(
          client.createProject({ workspaceId: first.id, name: "Y", slug: "hotel-booking-mcp" }, h),
        ),
      ).toBe("YAVIO-3152")
      expect(yield* outcome(client.updateProject({ projectId: p2.id, slug: "hotel-booking-mcp" }, h))).toBe(
        "YAVIO-3152",
      )
      expect(yield* outcome(client.createProject({ workspaceId: first.id, name: "" }, h))).toBe("YAVIO-3155")
      expect(yield* outcome(client.createProject({ workspaceId: first.id, name: "Ünïcödé ✓" }, h))).toBe(
        "YAVIO-3155",
      )
      const updated = yield* client.updateProject(
        { projectId: p2.id, name: "Flights MCP", slug: "flights" },
        h,
      )
      expect(updated).toMatchObject({ name: "Flights MCP", slug: "flights" })
      const projects = yield* client.listProjects({ workspaceId: first.id }, h)
      expect(projects.map((p) => p.slug)).toEqual(["hotel-booking-mcp", "flights"])
    }),
  )

  it.scoped(`members: the owner is never removed or downgraded; roles are validated [${label}]`, () =>
    Effect.gen(function* () {
      const w = yield* buildWorld(yield* rpcClient, "members")
      const c = w.client
      const admin = as(w, "admin")
      const ownerId = w.sessions.owner.userId
      expect(
        yield* outcome(c.changeMemberRole({ workspaceId: w.a.id, userId: ownerId, role: "viewer" }, admin)),
      ).toBe("YAVIO-3101")
      expect(yield* outcome(c.removeMember({ workspaceId: w.a.id, userId: ownerId }, admin))).toBe(
        "YAVIO-3101",
      )
      expect(yield* outcome(c.leaveWorkspace({ workspaceId: w.a.id }, as(w, "owner")))).toBe("YAVIO-3101")
      const memberId = w.sessions.member.userId
      expect(
        yield* outcome(c.changeMemberRole({ workspaceId: w.a.id, userId: memberId, role: "owner" }, admin)),
      ).toBe("YAVIO-3303")
      expect(
        yield* outcome(c.removeMember({ workspaceId: w.a.id, userId: w.sessions.outsider.userId }, admin)),
      ).toBe("YAVIO-3300")
      const promoted = yield* c.changeMemberRole(
        { workspaceId: w.a.id, userId: memberId, role: "admin" },
        admin,
      )
      expect(promoted).toMatchObject({ email: w.emails.member, role: "admin", isOwner: false })
      // The promotion takes effect on the next call.
      yield* c.createProject({ workspaceId: w.a.id, name: "Promoted" }, as(w, "member"))
      yield* c.removeMember({ workspaceId: w.a.id, userId: w.sessions.viewer.userId }, admin)
      expect(yield* outcome(c.listProjects({ workspaceId: w.a.id }, as(w, "viewer")))).toBe("YAVIO-3102")
    }),
  )

  it.scoped(
    `invitations: mailed link, landing, accept by the invited email only, 7 days, cancel, resend [${label}]`,
    () =>
      Effect.gen(function* () {
        const { outboxDir } = yield* Harness
        const w = yield* buildWorld(yield* rpcClient, "invites")
        const c = w.client
        const owner = as(w, "owner")
        const guest = yield* freshUser("guest")
        const intruder = yield* freshUser("intruder")
        const created = yield* c.createInvitation(
          { workspaceId: w.a.id, email: guest.email.toUpperCase(), role: "member" },
          owner,
        )
        expect(created).toMatchObject({ email: guest.email, role: "member", status: "pending" })
        expect((created.expiresAt.getTime() - created.invitedAt.getTime()) / 86_400_000).toBeCloseTo(7, 3)
        const { mail, token } = latestLink(outboxDir, guest.email, /invited to/)
        expect(mail.text).toContain(`http://localhost:3000/invite/${token}`)
        expect(mail.text).toContain(w.a.name)
        const service = yield* Invitations
        expect(yield* service.describe(token)).toMatchObject({
          workspaceName: w.a.name,
          role: "member",
          email: guest.email,
          inviterName: "owner person",
        })

        expect(
          yield* outcome(
            c.createInvitation({ workspaceId: w.a.id, email: guest.email, role: "viewer" }, owner),
          ),
        ).toBe("YAVIO-3302")
        expect(
          yield* outcome(
            c.createInvitation({ workspaceId: w.a.id, email: w.emails.member, role: "viewer" }, owner),
          ),
        ).toBe("YAVIO-3301")
        expect(
          yield* outcome(
            c.createInvitation({ workspaceId: w.a.id, email: freshEmail("r"), role: "owner" }, owner),
          ),
        ).toBe("YAVIO-3303")
        expect(
          yield* outcome(
            c.cancelInvitation(
              { workspaceId: w.a.id, invitationId: "00000000-0000-4000-8000-000000000000" },
              owner,
            ),
          ),
        ).toBe("YAVIO-3304")

        expect(yield* outcome(c.acceptInvitation({ token }, { headers: headersOf(intruder.session) }))).toBe(
          "YAVIO-3008",
        )
        const joined = yield* c.acceptInvitation({ token }, { headers: headersOf(guest.session) })
        expect(joined).toMatchObject({ id: w.a.id, role: "member", isOwner: false })
        // Joining twice is a no-op; the landing no longer shows a used link.
        expect((yield* c.acceptInvitation({ token }, { headers: headersOf(guest.session) })).id).toBe(w.a.id)
        expect(yield* outcome(service.describe(token))).toBe("YAVIO-3008")
        expect((yield* c.listInvitations({ workspaceId: w.a.id }, owner)).map((i) => i.email)).not.toContain(
          guest.email,
        )

        // Cancelled and expired links are dead; resend issues a new link and kills the old one.
        const late = yield* freshUser("late")
        const lateInvite = yield* c.createInvitation(
          { workspaceId: w.a.id, email: late.email, role: "viewer" },
          owner,
        )
        const lateToken = latestLink(outboxDir, late.email, /invited to/).token
        const sql = yield* PgClient
        yield* sql`UPDATE invitations SET expires_at = now() - interval '1 second' WHERE id = ${lateInvite.id}`
        expect(
          (yield* c.listInvitations({ workspaceId: w.a.id }, owner)).find((i) => i.id === lateInvite.id)
            ?.status,
        ).toBe("expired")
        expect(yield* outcome(service.describe(lateToken))).toBe("YAVIO-3008")
        expect(
          yield* outcome(c.acceptInvitation({ token: lateToken }, { headers: headersOf(late.session) })),
        ).toBe("YAVIO-3008")
        const resent = yield* c.resendInvitation({ workspaceId: w.a.id, invitationId: lateInvite.id }, owner)
        expect(resent.status).toBe("pending")
        const newToken = latestLink(outboxDir, late.email, /invited to/).token
        expect(newToken).not.toBe(lateToken)
        yield* c.cancelInvitation({ workspaceId: w.a.id, invitationId: lateInvite.id }, owner)
        expect(
          yield* outcome(c.acceptInvitation({ token: newToken }, { headers: headersOf(late.session) })),
        ).toBe("YAVIO-3008")

        // No account yet: registering through the link verifies the address and joins at once.
        const newcomer = freshEmail("newcomer")
        yield* c.createInvitation({ workspaceId: w.a.id, email: newcomer, role: "viewer" }, owner)
        const inviteToken = latestLink(outboxDir, newcomer, /invited to/).token
        const auth = yield* Auth
        const registered = yield* auth.register(
          { email: newcomer, password: "correct horse battery", inviteToken },
          request,
        )
        expect(registered.session).toBeDefined()
        const mine = yield* c.listWorkspaces(undefined, { headers: headersOf(registered.session!) })
        expect(mine.find((ws) => ws.id === w.a.id)?.role).toBe("viewer")
      }),
  )

  it.scoped(
    `API keys: created here, accepted by ingest; list masks; revoke and rotate with grace [${label}]`,
    () =>
      Effect.gen(function* () {
        const w = yield* buildWorld(yield* rpcClient, "keys")
        const c = w.client
        const owner = as(w, "owner")
        const created = yield* c.createApiKey({ projectId: w.projectA.id }, owner)
        expect(created.fullKey).toMatch(/^yav_[A-Za-z0-9_-]{32}$/)
        expect(created.key).toMatchObject({
          name: "Default",
          prefix: created.fullKey.slice(0, 8),
          status: "active",
        })
        expect(
          JSON.stringify(yield* c.listApiKeys({ projectId: w.projectA.id }, as(w, "member"))),
        ).not.toContain(created.fullKey)

        const ingest = yield* ingestKeys
        expect(yield* ingest.resolve(created.fullKey)).toEqual({
          keyId: created.key.id,
          projectId: w.projectA.id,
          workspaceId: w.a.id,
        })

        // Rotation with grace: both keys work until the old one's revoked_at passes.
        const rotated = yield* c.rotateApiKey(
          { projectId: w.projectA.id, keyId: created.key.id, gracePeriodMinutes: 10 },
          owner,
        )
        expect(rotated.fullKey).not.toBe(created.fullKey)
        const fresh = yield* ingestKeys
        expect((yield* fresh.resolve(created.fullKey)).keyId).toBe(created.key.id)
        expect((yield* fresh.resolve(rotated.fullKey)).keyId).toBe(rotated.key.id)
        const listed = yield* c.listApiKeys({ projectId: w.projectA.id }, owner)
        const old = listed.find((k) => k.id === created.key.id)!
        expect(old.status).toBe("active")
        expect((old.revokedAt!.getTime() - Date.now()) / 60_000).toBeGreaterThan(9)

        expect(
          yield* outcome(
            c.rotateApiKey(
              { projectId: w.projectA.id, keyId: rotated.key.id, gracePeriodMinutes: 1441 },
              owner,
            ),
          ),
        ).toBe("YAVIO-3253")
        expect(
          yield* outcome(
            c.rotateApiKey(
              { projectId: w.projectA.id, keyId: rotated.key.id, gracePeriodMinutes: -1 },
              owner,
            ),
          ),
        ).toBe("YAVIO-3253")
        expect(
          yield* outcome(
            c.rotateApiKey(
              { projectId: w.projectA.id, keyId: rotated.key.id, gracePeriodMinutes: 1.5 },
              owner,
            ),
          ),
        ).toBe("YAVIO-3253")
        expect(yield* outcome(c.createApiKey({ projectId: w.projectA.id, name: " " }, owner))).toBe(
          "YAVIO-3252",
        )
        expect(
          yield* outcome(c.createApiKey({ projectId: w.projectA.id, name: "x".repeat(101) }, owner)),
        ).toBe("YAVIO-3252")
        expect(
          yield* outcome(
            c.revokeApiKey(
              { projectId: w.projectA.id, keyId: "00000000-0000-4000-8000-000000000000" },
              owner,
            ),
          ),
        ).toBe("YAVIO-3250")

        const revoked = yield* c.revokeApiKey({ projectId: w.projectA.id, keyId: rotated.key.id }, owner)
        expect(revoked.status).toBe("revoked")
        expect(
          yield* outcome(c.revokeApiKey({ projectId: w.projectA.id, keyId: rotated.key.id }, owner)),
        ).toBe("YAVIO-3251")
        expect(
          yield* outcome(c.rotateApiKey({ projectId: w.projectA.id, keyId: rotated.key.id }, owner)),
        ).toBe("YAVIO-3251")
        expect(yield* outcome((yield* ingestKeys).resolve(rotated.fullKey))).toBe("YAVIO-2003")

        // Deleting the project takes its keys: ingest no longer knows them.
        const doomed = yield* c.createApiKey({ projectId: w.projectA.id, name: "doomed" }, owner)
        yield* c.deleteProject({ projectId: w.projectA.id }, owner)
        expect(yield* outcome((yield* ingestKeys).resolve(doomed.fullKey))).toBe("YAVIO-2001")
        expect(yield* outcome(c.listApiKeys({ projectId: w.projectA.id }, owner))).toBe("YAVIO-3153")
      }),
  )

  it.scoped(
    `account deletion: password required, owned workspaces and every membership removed [${label}]`,
    () =>
      Effect.gen(function* () {
        const w = yield* buildWorld(yield* rpcClient, "delete")
        const auth = yield* Auth
        const sql = yield* PgClient
        const admin = yield* auth.session(w.sessions.admin.token)
        const asAdmin = <A, E>(e: Effect.Effect<A, E, CurrentUser>) =>
          Effect.provideService(e, CurrentUser, admin)
        expect(yield* outcome(asAdmin(auth.deleteAccount({})))).toBe("YAVIO-3700")
        expect(yield* outcome(asAdmin(auth.deleteAccount({ password: "wrong" })))).toBe("YAVIO-3701")
        // The admin owns their personal workspace and is a member of A.
        const owned = yield* sql<{ id: string }>`SELECT id FROM workspaces WHERE owner_id = ${admin.id}`
        const deleted = yield* asAdmin(auth.deleteAccount({ password: "correct horse battery" }))
        expect([...deleted].sort()).toEqual(owned.map((o) => o.id).sort())
        const left = yield* sql<{ t: string; n: number }>`
        SELECT 'users' AS t, count(*)::int AS n FROM users WHERE id = ${admin.id}
        UNION ALL SELECT 'sessions', count(*)::int FROM sessions WHERE user_id = ${admin.id}
        UNION ALL SELECT 'members', count(*)::int FROM workspace_members WHERE user_id = ${admin.id}
        UNION ALL SELECT 'workspaces', count(*)::int FROM workspaces WHERE owner_id = ${admin.id}
        UNION ALL SELECT 'tokens', count(*)::int FROM verification_tokens WHERE user_id = ${admin.id}`
        expect(Object.fromEntries(left.map((r) => [r.t, r.n]))).toEqual({
          users: 0,
          sessions: 0,
          members: 0,
          workspaces: 0,
          tokens: 0,
        })
        expect(yield* outcome(w.client.me(undefined, as(w, "admin")))).toBe("YAVIO-3000")
        // Workspace A, owned by someone else, lives on without them.
        expect((yield* w.client.getWorkspace({ slug: w.a.slug }, as(w, "owner"))).memberCount).toBe(3)

        // The owner of A deletes their account: A goes, with its projects and keys.
        const owner = yield* auth.session(w.sessions.owner.token)
        yield* Effect.provideService(
          auth.deleteAccount({ password: "correct horse battery" }),
          CurrentUser,
          owner,
        )
        const [{ n }] = (yield* sql<{
          n: number
        }>`SELECT count(*)::int AS n FROM projects WHERE workspace_id = ${w.a.id}`) as unknown as [
          { n: number },
        ]
        expect(n).toBe(0)
        expect(yield* outcome(w.client.listProjects({ workspaceId: w.a.id }, as(w, "member")))).toBe(
          "YAVIO-3102",
        )
      }),
  )

  it.scoped(
    `deleting a project, a workspace or an account removes their ClickHouse analytics [${label}]`,
    () =>
      Effect.gen(function* () {
        const w = yield* buildWorld(yield* rpcClient, "purge")
        const c = w.client
        const ch = yield* ClickhouseClient
        const owner = as(w, "owner")
        const second = yield* c.createProject({ workspaceId: w.a.id, name: "Second" }, owner)
        const now = new Date().toISOString().replace("T", " ").replace("Z", "")
        const event = (workspaceId: string, projectId: string, n: number) => ({
          event_id: `${projectId}-${n}`,
          workspace_id: workspaceId,
          project_id: projectId,
          session_id: `ses_${projectId}`,
          user_id: `user_${n}`,
          event_type: "tool_call",
          event_name: "search",
          timestamp: now,
          source: "server",
        })
        yield* ch.insertQuery({
          table: "events",
          format: "JSONEachRow",
          values: [w.projectA, second, w.projectB].flatMap((p) =>
            [1, 2, 3].map((n) => event(p.workspaceId, p.id, n)),
          ),
        })
        const counts = Effect.gen(function* () {
          const rows = yield* ch<{ t: string; project_id: string; n: string }>`
          SELECT 'events' AS t, project_id, count() AS n FROM events GROUP BY project_id
          UNION ALL SELECT 'sessions', project_id, count() FROM sessions_agg GROUP BY project_id
          UNION ALL SELECT 'users', project_id, count() FROM users_agg GROUP BY project_id
          UNION ALL SELECT 'counted', toString(project_id), count() FROM counted_events_by_bucket GROUP BY project_id
          UNION ALL SELECT 'activity', toString(project_id), count() FROM session_activity GROUP BY project_id
          UNION ALL SELECT 'buckets', toString(project_id), count() FROM session_buckets GROUP BY project_id`
          const of = (projectId: string) =>
            Object.fromEntries(rows.filter((r) => r.project_id === projectId).map((r) => [r.t, Number(r.n)]))
          return { a: of(w.projectA.id), second: of(second.id), b: of(w.projectB.id) }
        })
        expect(yield* counts).toEqual({
          a: { events: 3, sessions: 1, users: 3, counted: 3, activity: 1, buckets: 1 },
          second: { events: 3, sessions: 1, users: 3, counted: 3, activity: 1, buckets: 1 },
          b: { events: 3, sessions: 1, users: 3, counted: 3, activity: 1, buckets: 1 },
        })

        yield* c.deleteProject({ projectId: w.projectA.id }, owner)
        expect(yield* counts).toEqual({
          a: {},
          second: { events: 3, sessions: 1, users: 3, counted: 3, activity: 1, buckets: 1 },
          b: { events: 3, sessions: 1, users: 3, counted: 3, activity: 1, buckets: 1 },
        })

        // The owner deletes their account: workspace A goes, and with it the second project's rows.
        const auth = yield* Auth
        const user = yield* auth.session(w.sessions.owner.token)
        yield* Effect.provideService(
          auth.deleteAccount({ password: "correct horse battery" }),
          CurrentUser,
          user,
        )
        expect(yield* counts).toEqual({
          a: {},
          second: {},
          b: { events: 3, sessions: 1, users: 3, counted: 3, activity: 1, buckets: 1 },
        })

        yield* c.deleteWorkspace({ workspaceId: w.b.id }, as(w, "outsider"))
        expect(yield* counts).toEqual({ a: {}, second: {}, b: {} })
      }),
  )

  it.effect(`clean-up jobs remove exactly what has expired [${label}]`, () =>
    Effect.gen(function* () {
      const sql = yield* PgClient
      const cleanup = yield* Cleanup
      const { userId: staleUser } = yield* (yield* Auth).register(
        { email: freshEmail("stale"), password: "correct horse battery" },
        request,
      )
      yield* sql`UPDATE users SET created_at = now() - interval '25 hours' WHERE id = ${staleUser}`
      const { userId: newUser } = yield* (yield* Auth).register(
        { email: freshEmail("new"), password: "correct horse battery" },
        request,
      )
      const live = yield* signUp(freshEmail("live"))
      const dead = yield* signUp(freshEmail("dead"))
      yield* sql`UPDATE sessions SET expires_at = now() - interval '1 second' WHERE id = ${dead.sessionId}`
      yield* sql`INSERT INTO login_attempts (email, attempted_at) VALUES ('old@cleanup.test', now() - interval '25 hours'), ('new@cleanup.test', now())`
      yield* sql`INSERT INTO stripe_webhook_events (event_id, event_type, processed_at) VALUES
                 (${`evt_old_${process.pid}`}, 'x', now() - interval '31 days'), (${`evt_new_${process.pid}`}, 'x', now())`
      const client = yield* rpcClient
      const h = { headers: headersOf(live) }
      const [ws] = yield* client.listWorkspaces(undefined, h)
      const project = yield* client.createProject({ workspaceId: ws!.id, name: "Cleanup" }, h)
      const oldKey = yield* client.createApiKey({ projectId: project.id, name: "old" }, h)
      const recentKey = yield* client.createApiKey({ projectId: project.id, name: "recent" }, h)
      yield* sql`UPDATE api_keys SET revoked_at = now() - interval '13 months' WHERE id = ${oldKey.key.id}`
      yield* sql`UPDATE api_keys SET revoked_at = now() - interval '11 months' WHERE id = ${recentKey.key.id}`
      const expiredInvite = yield* client.createInvitation(
        { workspaceId: ws!.id, email: freshEmail("x"), role: "viewer" },
        h,
      )
      const pendingInvite = yield* client.createInvitation(
        { workspaceId: ws!.id, email: freshEmail("y"), role: "viewer" },
        h,
      )
      yield* sql`UPDATE invitations SET expires_at = now() - interval '1 second' WHERE id = ${expiredInvite.id}`

      const hourly = yield* cleanup.hourly
      const daily = yield* cleanup.daily
      expect(hourly.expiredSessions).toBeGreaterThanOrEqual(1)
      expect(hourly.unverifiedUsers).toBeGreaterThanOrEqual(1)
      expect(daily.oldRevokedKeys).toBeGreaterThanOrEqual(1)

      const exists = (query: Effect.Effect<ReadonlyArray<unknown>, unknown>) =>
        Effect.map(query, (rows) => rows.length > 0)
      expect({
        staleUser: yield* exists(sql`SELECT 1 FROM users WHERE id = ${staleUser}`),
        newUser: yield* exists(sql`SELECT 1 FROM users WHERE id = ${newUser}`),
        deadSession: yield* exists(sql`SELECT 1 FROM sessions WHERE id = ${dead.sessionId}`),
        liveSession: yield* exists(sql`SELECT 1 FROM sessions WHERE id = ${live.sessionId}`),
        oldAttempt: yield* exists(sql`SELECT 1 FROM login_attempts WHERE email = 'old@cleanup.test'`),
        newAttempt: yield* exists(sql`SELECT 1 FROM login_attempts WHERE email = 'new@cleanup.test'`),
        oldWebhook: yield* exists(
          sql`SELECT 1 FROM stripe_webhook_events WHERE event_id = ${`evt_old_${process.pid}`}`,
        ),
        newWebhook: yield* exists(
          sql`SELECT 1 FROM stripe_webhook_events WHERE event_id = ${`evt_new_${process.pid}`}`,
        ),
        oldKey: yield* exists(sql`SELECT 1 FROM api_keys WHERE id = ${oldKey.key.id}`),
        recentKey: yield* exists(sql`SELECT 1 FROM api_keys WHERE id = ${recentKey.key.id}`),
        expiredInvite: yield* exists(sql`SELECT 1 FROM invitations WHERE id = ${expiredInvite.id}`),
        pendingInvite: yield* exists(sql`SELECT 1 FROM invitations WHERE id = ${pendingInvite.id}`),
        usedTokens: yield* exists(sql`SELECT 1 FROM verification_tokens WHERE used_at IS NOT NULL`),
        unusedLiveTokens: yield* exists(sql`SELECT 1 FROM verification_tokens WHERE user_id = ${newUser}`),
      }).toEqual({
        staleUser: false,
        newUser: true,
        deadSession: false,
        liveSession: true,
        oldAttempt: false,
        newAttempt: true,
        oldWebhook: false,
        newWebhook: true,
        oldKey: false,
        recentKey: true,
        expiredInvite: false,
        pendingInvite: true,
        usedTokens: false,
        unusedLiveTokens: true,
      })
    }).pipe(Effect.scoped),
  )
}
