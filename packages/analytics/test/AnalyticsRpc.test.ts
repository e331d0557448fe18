/**
 * AnalyticsRpc end to end over the real accounts services (PGlite) and the real engine (chDB):
 * the session cookie, the caller's membership of the project's workspace (every role reads,
 * viewers cannot export: `YAVIO-3103`), another tenant's project (`YAVIO-3102`, never data), an
 * unknown project (`YAVIO-3153`), no session (`YAVIO-3000`), and bad input's codes.
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

const services = rpcServices("analytics-rpc")

const actors = ["owner", "admin", "member", "viewer", "outsider"] as const
type Actor = (typeof actors)[number]
const H = 60 * 60 * 1000
const t0 = Math.floor(Date.now() / H) * H - 2 * H
const filter = { from: new Date(t0).toISOString(), to: new Date(t0 + H).toISOString() }

/** Five users; owner's workspace A (with a project) has admin, member and viewer; outsider owns B. */
const world = Effect.gen(function* () {
  const auth = yield* Auth
  const sql = yield* PgClient
  const cookies = {} as Record<Actor, string>
  const userIds = {} as Record<Actor, string>
  for (const actor of actors) {
    const registered = yield* auth.register(
      { email: `${actor}-${process.pid}@example.com`, password: "correct horse battery", name: actor },
      { ip: "127.0.0.1", userAgent: "vitest" },
    )
    if (registered.session === undefined) throw new Error("email-disabled registration gave no session")
    cookies[actor] = `yavio_session=${registered.session.token}`
    userIds[actor] = registered.userId
  }
  const asUser =
    (actor: Actor) =>
    <A, E, R>(effect: Effect.Effect<A, E, R>) =>
      Effect.flatMap(auth.session(cookies[actor].split("=")[1]!), (user) =>
        Effect.provideService(effect, CurrentUser, user),
      )
  const [a] = yield* asUser("owner")(Effect.flatMap(Workspaces, (w) => w.list))
  const [b] = yield* asUser("outsider")(Effect.flatMap(Workspaces, (w) => w.list))
  const projectA = yield* asUser("owner")(
    Effect.flatMap(Projects, (p) => p.create({ workspaceId: a!.id, name: "Hotel" })),
  )
  const projectB = yield* asUser("outsider")(
    Effect.flatMap(Projects, (p) => p.create({ workspaceId: b!.id, name: "Secret" })),
  )
  // Fixture, not the behaviour under test: memberships straight into the table.
  for (const role of ["admin", "member", "viewer"] as const) {
    yield* sql`INSERT INTO workspace_members (workspace_id, user_id, role) VALUES (${a!.id}, ${userIds[role]}, ${role})`
  }
  const call = (name: string, event_type = "tool_call", status = "success") => ({
    session_id: `s_${name}`,
    event_type,
    event_name: name,
    status,
    at: 60_000,
    latency_ms: 10,
  })
  yield* insertRows(t0, { workspace_id: a!.id, project_id: projectA.id }, [
    call("search"),
    call("book", "tool_call", "error"),
  ])
  yield* insertRows(t0, { workspace_id: b!.id, project_id: projectB.id }, [call("secret_tool")])
  return { cookies, projectA: projectA.id, projectB: projectB.id }
})

const codeOf = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
  Effect.map(Effect.exit(effect), (exit) => {
    if (Exit.isSuccess(exit)) return "ok"
    const failure = Cause.failureOption(exit.cause)
    return Option.isSome(failure) && isYavioFailure(failure.value)
      ? failure.value.code
      : Cause.pretty(exit.cause)
  })

layer(services, { timeout: "120 seconds", excludeTestServices: true })(
  "AnalyticsRpc [pglite + chdb]",
  (it) => {
    it.scoped(
      "every role reads its project; viewers cannot export; other tenants and strangers get codes, never data",
      () =>
        Effect.gen(function* () {
          const w = yield* world
          const client = yield* RpcTest.makeClient(AnalyticsRpc)
          const as = (actor: Actor) => ({ headers: { cookie: w.cookies[actor] } })

          for (const actor of ["owner", "admin", "member", "viewer"] as const) {
            const view = yield* client.overview({ projectId: w.projectA, filter }, as(actor))
            expect([actor, view.kpis.invocations.value, view.topTools.map((t) => t.key)]).toEqual([
              actor,
              2,
              ["book", "search"],
            ])
            const csv = yield* codeOf(
              client.exportCsv({ projectId: w.projectA, filter, table: "tools" }, as(actor)),
            )
            expect([actor, csv]).toEqual([actor, actor === "viewer" ? "YAVIO-3103" : "ok"])
          }
          const exported = yield* client.exportCsv(
            { projectId: w.projectA, filter, table: "errors" },
            as("member"),
          )
          expect(exported.csv.split("\r\n")[1]).toMatch(/^book,unknown,,1,/)

          // The outsider owns B and sees only B; A's project answers 3102 on every call.
          const own = yield* client.tools({ projectId: w.projectB, filter, paging: {} }, as("outsider"))
          expect(own.rows.map((r) => r.tool)).toEqual(["secret_tool"])
          const denied: Record<string, Effect.Effect<unknown, unknown>> = {
            overview: client.overview({ projectId: w.projectA, filter }, as("outsider")),
            tools: client.tools({ projectId: w.projectA, filter, paging: {} }, as("outsider")),
            toolDetail: client.toolDetail({ projectId: w.projectA, filter, tool: "search" }, as("outsider")),
            funnel: client.funnel({ projectId: w.projectA, filter, steps: ["a", "b"] }, as("outsider")),
            users: client.users({ projectId: w.projectA, filter }, as("outsider")),
            identifiedShare: client.identifiedShare({ projectId: w.projectA, filter }, as("outsider")),
            retention: client.retention({ projectId: w.projectA, filter }, as("outsider")),
            userDetail: client.userDetail({ projectId: w.projectA, userId: "u1" }, as("outsider")),
            paths: client.paths({ projectId: w.projectA, filter }, as("outsider")),
            errors: client.errors({ projectId: w.projectA, filter }, as("outsider")),
            errorList: client.errorList({ projectId: w.projectA, filter, paging: {} }, as("outsider")),
            timeline: client.timeline({ projectId: w.projectA, sessionId: "s_search" }, as("outsider")),
            exportCsv: client.exportCsv({ projectId: w.projectA, filter, table: "users" }, as("outsider")),
          }
          for (const [name, call] of Object.entries(denied))
            expect([name, yield* codeOf(call)]).toEqual([name, "YAVIO-3102"])

          expect(
            yield* codeOf(client.overview({ projectId: crypto.randomUUID(), filter }, as("owner"))),
          ).toBe("YAVIO-3153")
          expect(yield* codeOf(client.overview({ projectId: w.projectA, filter }, { headers: {} }))).toBe(
            "YAVIO-3000",
          )
          expect(
            yield* codeOf(
              client.overview({ projectId: w.projectA, filter: { granularity: "minute" } }, as("owner")),
            ),
          ).toBe("YAVIO-3401")
          expect(
            yield* codeOf(
              client.tools({ projectId: w.projectA, filter, paging: { pageSize: 500 } }, as("owner")),
            ),
          ).toBe("YAVIO-3403")

          // Saved funnels (PostgreSQL, row-level security): members save, a name saved again
          // replaces its steps, viewers read but cannot save, other tenants get 3102.
          const booking = yield* client.saveFunnel(
            { projectId: w.projectA, name: " Booking ", steps: ["search", "book"] },
            as("member"),
          )
          expect([booking.name, booking.steps]).toEqual(["Booking", ["search", "book"]])
          const replaced = yield* client.saveFunnel(
            { projectId: w.projectA, name: "Booking", steps: ["a", "b", "c"] },
            as("admin"),
          )
          expect(replaced.id).toBe(booking.id)
          const listed = yield* client.savedFunnels({ projectId: w.projectA }, as("viewer"))
          expect(listed.map((f) => [f.name, f.steps])).toEqual([["Booking", ["a", "b", "c"]]])
          expect(
            yield* codeOf(
              client.saveFunnel({ projectId: w.projectA, name: "x", steps: ["a", "b"] }, as("viewer")),
            ),
          ).toBe("YAVIO-3100")
          expect(
            yield* codeOf(
              client.saveFunnel({ projectId: w.projectA, name: "x", steps: ["a"] }, as("member")),
            ),
          ).toBe("YAVIO-3407")
          expect(yield* codeOf(client.savedFunnels({ projectId: w.projectA }, as("outsider")))).toBe(
            "YAVIO-3102",
          )
          expect(yield* client.savedFunnels({ projectId: w.projectB }, as("outsider"))).toEqual([])
          expect(yield* client.deleteFunnel({ projectId: w.projectA, id: booking.id }, as("member"))).toBe(
            true,
          )
          expect(yield* client.savedFunnels({ projectId: w.projectA }, as("owner"))).toEqual([])
        }),
    )
  },
)
