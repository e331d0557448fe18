import type { RpcClient, RpcGroup } from "@effect/rpc"
import { isYavioFailure } from "@yavio/domain"
import type { ApiKeyView, InvitationView, ProjectView, WorkspaceView } from "@yavio/domain/rpc/AccountsModels"
import type { AccountsRpc } from "@yavio/domain/rpc/AccountsRpc"
import { Cause, Effect, Exit, Option } from "effect"
import { Auth } from "../../src/Auth.js"
import type { SessionGrant } from "../../src/Sessions.js"
import { freshEmail, Harness, headersOf, request, signUp } from "./harness.js"
import { latestLink } from "./outbox.js"

export type Client = RpcClient.RpcClient<RpcGroup.Rpcs<typeof AccountsRpc>>

export const actors = ["owner", "admin", "member", "viewer", "outsider"] as const
export type Actor = (typeof actors)[number]

/**
 * Two tenants built through the real flows: workspace A with an owner and one admin, member
 * and viewer (invited and accepted), a project and a key; workspace B of an outsider with its
 * own project and key; one pending invitation in A.
 */
export interface World {
  readonly client: Client
  readonly emails: Record<Actor, string>
  readonly sessions: Record<Actor, SessionGrant>
  readonly a: WorkspaceView
  readonly projectA: ProjectView
  readonly keyA: ApiKeyView
  readonly pendingInvite: InvitationView
  readonly b: WorkspaceView
  readonly projectB: ProjectView
  readonly keyB: ApiKeyView
}

export const as = (world: World, actor: Actor) => ({ headers: headersOf(world.sessions[actor]) })

/** The code a call failed with, or "ok": what the matrix compares. */
export const outcome = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
  Effect.map(Effect.exit(effect), (exit): string => {
    if (Exit.isSuccess(exit)) return "ok"
    const failure = Cause.failureOption(exit.cause)
    return Option.isSome(failure) && isYavioFailure(failure.value)
      ? failure.value.code
      : `unexpected: ${Cause.pretty(exit.cause)}`
  })

/** Invite `email` into `workspaceId` as `role` (as `inviter`), and accept with that user's session. */
export const joinAs = (
  client: Client,
  inviter: SessionGrant,
  workspaceId: string,
  email: string,
  role: string,
  invitee: SessionGrant,
) =>
  Effect.gen(function* () {
    const { outboxDir } = yield* Harness
    yield* client.createInvitation({ workspaceId, email, role }, { headers: headersOf(inviter) })
    const { token } = latestLink(outboxDir, email, /invited to/)
    return yield* client.acceptInvitation({ token }, { headers: headersOf(invitee) })
  })

export const buildWorld = (client: Client, label: string) =>
  Effect.gen(function* () {
    const emails = Object.fromEntries(actors.map((a) => [a, freshEmail(`${label}-${a}`)])) as Record<
      Actor,
      string
    >
    const sessions = {} as Record<Actor, SessionGrant>
    for (const actor of actors) sessions[actor] = yield* signUp(emails[actor], `${actor} person`)
    const owner = { headers: headersOf(sessions.owner) }
    const [a] = yield* client.listWorkspaces(undefined, owner)
    for (const role of ["admin", "member", "viewer"] as const) {
      yield* joinAs(client, sessions.owner, a!.id, emails[role], role, sessions[role])
    }
    const projectA = yield* client.createProject({ workspaceId: a!.id, name: "Hotel Booking MCP" }, owner)
    const keyA = (yield* client.createApiKey({ projectId: projectA.id }, owner)).key
    const pendingInvite = yield* client.createInvitation(
      { workspaceId: a!.id, email: freshEmail(`${label}-pending`), role: "member" },
      owner,
    )
    const outsider = { headers: headersOf(sessions.outsider) }
    const [b] = yield* client.listWorkspaces(undefined, outsider)
    const projectB = yield* client.createProject({ workspaceId: b!.id, name: "Secret project" }, outsider)
    const keyB = (yield* client.createApiKey({ projectId: projectB.id }, outsider)).key
    return {
      client,
      emails,
      sessions,
      a: a!,
      projectA,
      keyA,
      pendingInvite,
      b: b!,
      projectB,
      keyB,
    } satisfies World
  })

/** A user who has just signed up, outside every fixture. */
export const freshUser = (label: string) =>
  Effect.gen(function* () {
    const email = freshEmail(label)
    return { email, session: yield* signUp(email) }
  })

export { Auth, request }
