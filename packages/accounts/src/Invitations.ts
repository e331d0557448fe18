import { PgClient } from "@effect/sql-pg/PgClient"
import {
  type InsufficientRole,
  type InternalDashboardError,
  InvalidInviteToken,
  type InvalidRole,
  InvitationAlreadyPending,
  InvitationNotFound,
  type NotAWorkspaceMember,
  UserAlreadyAMember,
} from "@yavio/domain"
import { InvitationLanding, InvitationView, type WorkspaceView } from "@yavio/domain/rpc/AccountsModels"
import { CurrentUser } from "@yavio/domain/rpc/CurrentUser"
import type { Role } from "@yavio/domain/rpc/Role"
import { Context, Effect, Layer, Redacted } from "effect"
import { Access } from "./Access.js"
import { AccountsConfig } from "./AccountsConfig.js"
import { Email } from "./Email.js"
import { invitationEmail } from "./EmailTemplates.js"
import { parseRole } from "./Members.js"
import { looksLikeEmail, normalizeEmail } from "./Names.js"
import { isUuid, orInternal } from "./SqlFailure.js"
import { hmacHex, randomToken } from "./Tokens.js"
import { Workspaces } from "./Workspaces.js"

interface InvitationRow {
  readonly id: string
  readonly email: string
  readonly role: Role
  readonly created_at: Date
  readonly expires_at: Date
  readonly expired: boolean
}

const toView = (row: InvitationRow) =>
  new InvitationView({
    id: row.id,
    email: row.email,
    role: row.role,
    invitedAt: row.created_at,
    expiresAt: row.expires_at,
    status: row.expired ? "expired" : "pending",
  })

type ManageError = NotAWorkspaceMember | InsufficientRole | InternalDashboardError

/**
 * Invitations (dashboard.md §2.3): 32-byte URL-safe tokens stored as HMAC-SHA256, valid 7 days,
 * mailed as `/invite/<token>`. Accepting needs a session whose email is the invited one.
 */
export class Invitations extends Context.Tag("@yavio/accounts/Invitations")<
  Invitations,
  {
    readonly create: (input: {
      readonly workspaceId: string
      readonly email: string
      readonly role: string
    }) => Effect.Effect<
      InvitationView,
      ManageError | InvalidRole | InvalidInviteToken | UserAlreadyAMember | InvitationAlreadyPending,
      CurrentUser
    >
    readonly list: (
      workspaceId: string,
    ) => Effect.Effect<ReadonlyArray<InvitationView>, ManageError, CurrentUser>
    readonly cancel: (input: {
      readonly workspaceId: string
      readonly invitationId: string
    }) => Effect.Effect<void, ManageError | InvitationNotFound, CurrentUser>
    readonly resend: (input: {
      readonly workspaceId: string
      readonly invitationId: string
    }) => Effect.Effect<InvitationView, ManageError | InvitationNotFound, CurrentUser>
    /** The public landing of a link: no session needed. */
    readonly describe: (
      token: string,
    ) => Effect.Effect<InvitationLanding, InvalidInviteToken | InternalDashboardError>
    readonly accept: (
      token: string,
    ) => Effect.Effect<WorkspaceView, InvalidInviteToken | InternalDashboardError, CurrentUser>
    /** The invited email of a live invitation, for registering through an invite link. */
    readonly invitedEmail: (token: string) => Effect.Effect<string | undefined, InternalDashboardError>
    /** Joins the invitation's workspace as `userId` (inside the caller's transaction). */
    readonly join: (
      token: string,
      userId: string,
    ) => Effect.Effect<string | undefined, InternalDashboardError>
  }
>() {
  static readonly make = Effect.gen(function* () {
    const sql = yield* PgClient
    const access = yield* Access
    const email = yield* Email
    const workspaces = yield* Workspaces
    const config = yield* AccountsConfig
    const secret = Redacted.value(config.apiKeyHashSecret)
    const hash = (token: string) => hmacHex(secret, token)
    const db = orInternal

    const select = sql`SELECT id, email, role, created_at, expires_at, expires_at <= now() AS expired FROM invitations`

    const mail = (invitationId: string, token: string) =>
      Effect.gen(function* () {
        const [row] = yield* sql<{
          workspace_name: string
          inviter: string | null
          email: string
          role: string
          expires_at: Date
        }>`
          SELECT w.name AS workspace_name, u.name AS inviter, i.email, i.role, i.expires_at
          FROM invitations i JOIN workspaces w ON w.id = i.workspace_id LEFT JOIN users u ON u.id = i.invited_by
          WHERE i.id = ${invitationId}`
        if (row === undefined) return
        yield* email.send({
          to: row.email,
          ...invitationEmail({
            workspaceName: row.workspace_name,
            inviterName: row.inviter,
            role: row.role,
            link: `${config.dashboardUrl}/invite/${token}`,
            expiresAt: row.expires_at,
          }),
        })
      })

    const create = (input: { readonly workspaceId: string; readonly email: string; readonly role: string }) =>
      Effect.gen(function* () {
        const user = yield* CurrentUser
        yield* access.require(input.workspaceId, "invitations.manage")
        const role = yield* parseRole(input.role)
        const invited = normalizeEmail(input.email)
        if (!looksLikeEmail(invited)) return yield* new InvalidInviteToken({ detail: "not an email address" })
        const [member] = yield* sql<{ one: number }>`
          SELECT 1 AS one FROM workspace_members m JOIN users u ON u.id = m.user_id
          WHERE m.workspace_id = ${input.workspaceId} AND u.email = ${invited}`.pipe(db)
        if (member !== undefined) return yield* new UserAlreadyAMember({})
        const [pending] = yield* sql<{ one: number }>`
          SELECT 1 AS one FROM invitations
          WHERE workspace_id = ${input.workspaceId} AND email = ${invited} AND accepted_at IS NULL AND expires_at > now()`.pipe(
          db,
        )
        if (pending !== undefined) return yield* new InvitationAlreadyPending({})
        const token = randomToken()
        const [row] = yield* sql<InvitationRow>`
          INSERT INTO invitations (workspace_id, email, role, invited_by, token_hash, expires_at)
          VALUES (${input.workspaceId}, ${invited}, ${role}, ${user.id}, ${hash(token)}, now() + interval '7 days')
          RETURNING id, email, role, created_at, expires_at, false AS expired`.pipe(db)
        yield* mail(row!.id, token).pipe(db)
        return toView(row!)
      })

    const list = (workspaceId: string) =>
      Effect.gen(function* () {
        yield* access.require(workspaceId, "invitations.manage")
        const rows = yield* sql<InvitationRow>`${select}
          WHERE workspace_id = ${workspaceId} AND accepted_at IS NULL ORDER BY created_at`.pipe(db)
        return rows.map(toView)
      })

    const cancel = (input: { readonly workspaceId: string; readonly invitationId: string }) =>
      Effect.gen(function* () {
        yield* access.require(input.workspaceId, "invitations.manage")
        if (!isUuid(input.invitationId)) return yield* new InvitationNotFound({})
        const deleted = yield* sql<{ id: string }>`
          DELETE FROM invitations WHERE id = ${input.invitationId} AND workspace_id = ${input.workspaceId}
            AND accepted_at IS NULL RETURNING id`.pipe(db)
        if (deleted.length === 0) return yield* new InvitationNotFound({})
      })

    // A new token and a new expiry: the old link stops working.
    const resend = (input: { readonly workspaceId: string; readonly invitationId: string }) =>
      Effect.gen(function* () {
        yield* access.require(input.workspaceId, "invitations.manage")
        if (!isUuid(input.invitationId)) return yield* new InvitationNotFound({})
        const token = randomToken()
        const [row] = yield* sql<InvitationRow>`
          UPDATE invitations SET token_hash = ${hash(token)}, expires_at = now() + interval '7 days'
          WHERE id = ${input.invitationId} AND workspace_id = ${input.workspaceId} AND accepted_at IS NULL
          RETURNING id, email, role, created_at, expires_at, false AS expired`.pipe(db)
        if (row === undefined) return yield* new InvitationNotFound({})
        yield* mail(row.id, token).pipe(db)
        return toView(row)
      })

    const live = (token: string) =>
      sql<{
        id: string
        workspace_id: string
        email: string
        role: Role
        accepted_at: Date | null
        live: boolean
      }>`
        SELECT id, workspace_id, email, role, accepted_at, expires_at > now() AS live
        FROM invitations WHERE token_hash = ${hash(token)}`.pipe(Effect.map((rows) => rows[0]))

    const describe = (token: string) =>
      Effect.gen(function* () {
        const [row] = yield* sql<{
          workspace_name: string
          workspace_slug: string
          inviter: string | null
          role: Role
          email: string
        }>`
          SELECT w.name AS workspace_name, w.slug AS workspace_slug, u.name AS inviter, i.role, i.email
          FROM invitations i JOIN workspaces w ON w.id = i.workspace_id LEFT JOIN users u ON u.id = i.invited_by
          WHERE i.token_hash = ${hash(token)} AND i.accepted_at IS NULL AND i.expires_at > now()`.pipe(db)
        if (row === undefined) return yield* new InvalidInviteToken({})
        return new InvitationLanding({
          workspaceName: row.workspace_name,
          workspaceSlug: row.workspace_slug,
          inviterName: row.inviter,
          role: row.role,
          email: row.email,
        })
      })

    const join = (token: string, userId: string) =>
      Effect.gen(function* () {
        const invitation = yield* live(token)
        if (invitation === undefined || !invitation.live || invitation.accepted_at !== null) return undefined
        yield* sql`INSERT INTO workspace_members (workspace_id, user_id, role)
                   VALUES (${invitation.workspace_id}, ${userId}, ${invitation.role}) ON CONFLICT DO NOTHING`
        yield* sql`UPDATE invitations SET accepted_at = now() WHERE id = ${invitation.id}`
        return invitation.workspace_id
      }).pipe(db)

    const accept = (token: string) =>
      Effect.gen(function* () {
        const user = yield* CurrentUser
        const invitation = yield* live(token).pipe(db)
        if (invitation === undefined || invitation.email !== user.email)
          return yield* new InvalidInviteToken({})
        const [member] = yield* sql<{ one: number }>`
          SELECT 1 AS one FROM workspace_members WHERE workspace_id = ${invitation.workspace_id} AND user_id = ${user.id}`.pipe(
          db,
        )
        // Joining twice is a no-op; an expired or cancelled link for a non-member is not.
        if (member === undefined) {
          if (!invitation.live || invitation.accepted_at !== null) return yield* new InvalidInviteToken({})
          yield* join(token, user.id).pipe(sql.withTransaction, db)
        } else if (invitation.accepted_at === null) {
          yield* sql`UPDATE invitations SET accepted_at = now() WHERE id = ${invitation.id}`.pipe(db)
        }
        const views = yield* workspaces.list
        const view = views.find((w) => w.id === invitation.workspace_id)
        if (view === undefined) return yield* new InvalidInviteToken({})
        return view
      })

    const invitedEmail = (token: string) =>
      live(token).pipe(
        Effect.map((row) => (row?.live && row.accepted_at === null ? row.email : undefined)),
        db,
      )

    return Invitations.of({ create, list, cancel, resend, describe, accept, invitedEmail, join })
  })

  static readonly layer = Layer.effect(this, this.make)
}
