/**
 * `firstEvent` (onboarding step 5, dashboard.md §4) over the real accounts services (PGlite) and
 * chDB: null for a project without events, an instant once one arrives — also for a viewer —
 * and never for another tenant's project (`YAVIO-3102`) or without a session (`YAVIO-3000`).
 */
import { RpcTest } from "@effect/rpc"
import { PgClient } from "@effect/sql-pg/PgClient"
import { expect, layer } from "@effect/vitest"
import { Auth, Projects, Workspaces } from "@yavio/accounts"
import { isYavioFailure } from "@yavio/domain"
import { AnalyticsRpc } from "@yavio/domain/rpc/AnalyticsRpc"
import { CurrentUser } from "@yavio/domain/rpc/CurrentUser"
import { Cause, Effect, Exit, Option } from "effect"
import { rpcServices } from "./support/rpcServices.js"
import { insertRows } from "./support/store.js"

const services = rpcServices("analytics-first-event")

const actors = ["owner", "viewer", "outsider"] as const
type Actor = (typeof actors)[number]

const codeOf = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
  Effect.map(Effect.exit(effect), (exit) => {
    if (Exit.isSuccess(exit)) return "ok"
    const failure = Cause.failureOption(exit.cause)
    return Option.isSome(failure) && isYavioFailure(failure.value)
      ? failure.value.code
      : Cause.pretty(exit.cause)
  })

layer(services, { timeout: "120 seconds", excludeTestServices: true })("firstEvent [pglite + chdb]", (it) => {
  it.scoped("null until the project has an event, then when it was; members only", () =>
    Effect.gen(function* () {
      const auth = yield* Auth
      const sql = yield* PgClient
      const cookies = {} as Record<Actor, string>
      const userIds = {} as Record<Actor, string>
      for (const actor of actors) {
        const registered = yield* auth.register(
          {
            email: `first-${actor}-${process.pid}@example.com`,
            password: "correct horse battery",
            name: actor,
          },
          { ip: "127.0.0.1", userAgent: "vitest" },
        )
        if (registered.session === undefined) throw new Error("email-disabled registration gave no session")
        cookies[actor] = `yavio_session=${registered.session.token}`
        userIds[actor] = registered.userId
      }
      const owner = yield* auth.session(cookies.owner.split("=")[1]!)
      const [workspace] = yield* Effect.provideService(
        Effect.flatMap(Workspaces, (w) => w.list),
        CurrentUser,
        owner,
      )
      const create = (name: string) =>
        Effect.provideService(
          Effect.flatMap(Projects, (p) => p.create({ workspaceId: workspace!.id, name })),
          CurrentUser,
          owner,
        )
      const quiet = yield* create("Quiet")
      const busy = yield* create("Busy")
      // Fixture, not the behaviour under test: the viewer's membership straight into the table.
      yield* sql`INSERT INTO workspace_members (workspace_id, user_id, role) VALUES (${workspace!.id}, ${userIds.viewer}, 'viewer')`

      const client = yield* RpcTest.makeClient(AnalyticsRpc)
      const as = (actor: Actor) => ({ headers: { cookie: cookies[actor] } })

      expect((yield* client.firstEvent({ projectId: busy.id }, as("owner"))).at).toBeNull()

      // An event from weeks ago still counts: "any event", whatever the time.
      const t0 = Math.floor(Date.now() / 1000) * 1000 - 40 * 24 * 60 * 60 * 1000
      yield* insertRows(t0, { workspace_id: workspace!.id, project_id: busy.id }, [
        { session_id: "s1", event_type: "tool_call", event_name: "search", at: 1_000 },
      ])
      for (const actor of ["owner", "viewer"] as const) {
        const found = yield* client.firstEvent({ projectId: busy.id }, as(actor))
        expect([actor, found.at?.getTime()]).toEqual([actor, t0 + 1_000])
      }
      expect((yield* client.firstEvent({ projectId: quiet.id }, as("owner"))).at).toBeNull()

      expect(yield* codeOf(client.firstEvent({ projectId: busy.id }, as("outsider")))).toBe("YAVIO-3102")
      expect(yield* codeOf(client.firstEvent({ projectId: busy.id }, { headers: {} }))).toBe("YAVIO-3000")
    }),
  )
})
