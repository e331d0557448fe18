import { Effect } from "effect"
import type { Auth } from "../../src/Auth.js"
import { freshEmail, type Harness } from "../support/harness.js"
import type { Actor, Client, World } from "../support/world.js"
import { as, freshUser, joinAs } from "../support/world.js"

type Expect = Readonly<Record<Actor, string>>

// Outcomes per actor. Owner/admin/member/viewer are members of workspace A; outsider is not.
const everyone: Expect = { owner: "ok", admin: "ok", member: "ok", viewer: "ok", outsider: "ok" }
const membersOfA: Expect = { owner: "ok", admin: "ok", member: "ok", viewer: "ok", outsider: "YAVIO-3102" }
const noViewer: Expect = {
  owner: "ok",
  admin: "ok",
  member: "ok",
  viewer: "YAVIO-3100",
  outsider: "YAVIO-3102",
}
const adminsOnly: Expect = {
  owner: "ok",
  admin: "ok",
  member: "YAVIO-3100",
  viewer: "YAVIO-3100",
  outsider: "YAVIO-3102",
}
const ownerOnly: Expect = { ...adminsOnly, admin: "YAVIO-3100" }
const notTheOwner: Expect = {
  owner: "YAVIO-3101",
  admin: "ok",
  member: "ok",
  viewer: "ok",
  outsider: "YAVIO-3102",
}

export interface MatrixCase {
  readonly rpc: string
  readonly expect: Expect
  /**
   * One call by `actor`. An actor expected to succeed acts on a target made for this call
   * (a mutation must not break the shared fixture); one expected to fail acts on the shared
   * fixture, which the suite checks is unchanged afterwards.
   */
  readonly run: (
    world: World,
    actor: Actor,
    allowed: boolean,
  ) => Effect.Effect<unknown, unknown, Harness | Auth>
}

const ownerOf = (w: World) => as(w, "owner")

const freshProject = (w: World) =>
  w.client.createProject({ workspaceId: w.a.id, name: "Throwaway" }, ownerOf(w))

const freshKey = (w: World) =>
  Effect.flatMap(w.client.createApiKey({ projectId: w.projectA.id, name: "throwaway" }, ownerOf(w)), (k) =>
    Effect.succeed(k.key),
  )

const freshInvite = (w: World) =>
  w.client.createInvitation(
    { workspaceId: w.a.id, email: freshEmail("matrix-invite"), role: "viewer" },
    ownerOf(w),
  )

/** Every AccountsRpc call that acts on a workspace, with who may call it (dashboard.md §2.2). */
export const permissionMatrix: ReadonlyArray<MatrixCase> = [
  { rpc: "me", expect: everyone, run: (w, actor) => w.client.me(undefined, as(w, actor)) },
  {
    rpc: "updateProfile",
    expect: everyone,
    run: (w, actor) => w.client.updateProfile({ name: `${actor} person` }, as(w, actor)),
  },
  {
    rpc: "listWorkspaces",
    expect: everyone,
    run: (w, actor) => w.client.listWorkspaces(undefined, as(w, actor)),
  },
  {
    rpc: "createWorkspace",
    expect: everyone,
    run: (w, actor) => w.client.createWorkspace({ name: `${actor}'s side project` }, as(w, actor)),
  },
  {
    rpc: "getWorkspace",
    expect: membersOfA,
    run: (w, actor) => w.client.getWorkspace({ slug: w.a.slug }, as(w, actor)),
  },
  {
    rpc: "updateWorkspace",
    expect: adminsOnly,
    run: (w, actor) => w.client.updateWorkspace({ workspaceId: w.a.id, name: w.a.name }, as(w, actor)),
  },
  {
    rpc: "deleteWorkspace",
    expect: ownerOnly,
    run: (w, actor, allowed) =>
      Effect.gen(function* () {
        const target = allowed
          ? (yield* w.client.createWorkspace({ name: "Doomed" }, as(w, actor))).id
          : w.a.id
        return yield* w.client.deleteWorkspace({ workspaceId: target }, as(w, actor))
      }),
  },
  {
    rpc: "listMembers",
    expect: noViewer,
    run: (w, actor) => w.client.listMembers({ workspaceId: w.a.id }, as(w, actor)),
  },
  {
    rpc: "changeMemberRole",
    expect: adminsOnly,
    run: (w, actor) =>
      Effect.gen(function* () {
        const viewer = (yield* w.client.me(undefined, as(w, "viewer"))).user.id
        return yield* w.client.changeMemberRole(
          { workspaceId: w.a.id, userId: viewer, role: "viewer" },
          as(w, actor),
        )
      }),
  },
  {
    rpc: "removeMember",
    expect: adminsOnly,
    run: (w, actor, allowed) =>
      Effect.gen(function* () {
        let target = (yield* w.client.me(undefined, as(w, "viewer"))).user.id
        if (allowed) {
          const extra = yield* freshUser("matrix-removed")
          yield* joinAs(w.client, w.sessions.owner, w.a.id, extra.email, "member", extra.session)
          target = extra.session.userId
        }
        return yield* w.client.removeMember({ workspaceId: w.a.id, userId: target }, as(w, actor))
      }),
  },
  {
    rpc: "leaveWorkspace",
    expect: notTheOwner,
    run: (w, actor, allowed) =>
      Effect.gen(function* () {
        let target = w.a.id
        if (allowed) {
          // A workspace of its own where the actor holds the same role, so leaving breaks nothing.
          const other = yield* w.client.createWorkspace({ name: "Leave me" }, ownerOf(w))
          yield* joinAs(w.client, w.sessions.owner, other.id, w.emails[actor], actor, w.sessions[actor])
          target = other.id
        }
        return yield* w.client.leaveWorkspace({ workspaceId: target }, as(w, actor))
      }),
  },
  {
    rpc: "listInvitations",
    expect: adminsOnly,
    run: (w, actor) => w.client.listInvitations({ workspaceId: w.a.id }, as(w, actor)),
  },
  {
    rpc: "createInvitation",
    expect: adminsOnly,
    run: (w, actor) =>
      w.client.createInvitation(
        { workspaceId: w.a.id, email: freshEmail("matrix-new"), role: "member" },
        as(w, actor),
      ),
  },
  {
    rpc: "resendInvitation",
    expect: adminsOnly,
    run: (w, actor, allowed) =>
      Effect.gen(function* () {
        const invitation = allowed ? yield* freshInvite(w) : w.pendingInvite
        return yield* w.client.resendInvitation(
          { workspaceId: w.a.id, invitationId: invitation.id },
          as(w, actor),
        )
      }),
  },
  {
    rpc: "cancelInvitation",
    expect: adminsOnly,
    run: (w, actor, allowed) =>
      Effect.gen(function* () {
        const invitation = allowed ? yield* freshInvite(w) : w.pendingInvite
        return yield* w.client.cancelInvitation(
          { workspaceId: w.a.id, invitationId: invitation.id },
          as(w, actor),
        )
      }),
  },
  {
    rpc: "listProjects",
    expect: membersOfA,
    run: (w, actor) => w.client.listProjects({ workspaceId: w.a.id }, as(w, actor)),
  },
  {
    rpc: "createProject",
    expect: adminsOnly,
    run: (w, actor) =>
      w.client.createProject({ workspaceId: w.a.id, name: `${actor} project` }, as(w, actor)),
  },
  {
    rpc: "updateProject",
    expect: adminsOnly,
    run: (w, actor) =>
      w.client.updateProject({ projectId: w.projectA.id, name: w.projectA.name }, as(w, actor)),
  },
  {
    rpc: "deleteProject",
    expect: adminsOnly,
    run: (w, actor, allowed) =>
      Effect.gen(function* () {
        const project = allowed ? yield* freshProject(w) : w.projectA
        return yield* w.client.deleteProject({ projectId: project.id }, as(w, actor))
      }),
  },
  {
    rpc: "listApiKeys",
    expect: noViewer,
    run: (w, actor) => w.client.listApiKeys({ projectId: w.projectA.id }, as(w, actor)),
  },
  {
    rpc: "createApiKey",
    expect: adminsOnly,
    run: (w, actor) =>
      w.client.createApiKey({ projectId: w.projectA.id, name: `${actor} key` }, as(w, actor)),
  },
  {
    rpc: "revokeApiKey",
    expect: adminsOnly,
    run: (w, actor, allowed) =>
      Effect.gen(function* () {
        const key = allowed ? yield* freshKey(w) : w.keyA
        return yield* w.client.revokeApiKey({ projectId: w.projectA.id, keyId: key.id }, as(w, actor))
      }),
  },
  {
    rpc: "rotateApiKey",
    expect: adminsOnly,
    run: (w, actor, allowed) =>
      Effect.gen(function* () {
        const key = allowed ? yield* freshKey(w) : w.keyA
        return yield* w.client.rotateApiKey(
          { projectId: w.projectA.id, keyId: key.id, gracePeriodMinutes: 5 },
          as(w, actor),
        )
      }),
  },
]

export type { Client }
