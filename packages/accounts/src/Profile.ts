import { PgClient } from "@effect/sql-pg/PgClient"
import { type InternalDashboardError, SessionExpired } from "@yavio/domain"
import { Me, MembershipSummary, UserProfile } from "@yavio/domain/rpc/AccountsModels"
import { CurrentUser } from "@yavio/domain/rpc/CurrentUser"
import type { Role } from "@yavio/domain/rpc/Role"
import { Context, Effect, Layer } from "effect"
import { orInternal } from "./SqlFailure.js"

interface UserRow {
  readonly id: string
  readonly email: string
  readonly name: string | null
  readonly avatar_url: string | null
  readonly email_verified: boolean
}

const toProfile = (row: UserRow) =>
  new UserProfile({
    id: row.id,
    email: row.email,
    name: row.name,
    avatarUrl: row.avatar_url,
    emailVerified: row.email_verified,
  })

/** The signed-in user's own data: `Accounts.me` (dashboard.md §1.3) and the profile page. */
export class Profile extends Context.Tag("@yavio/accounts/Profile")<
  Profile,
  {
    readonly me: Effect.Effect<Me, SessionExpired | InternalDashboardError, CurrentUser>
    readonly update: (input: {
      readonly name: string
      readonly avatarUrl?: string | null | undefined
    }) => Effect.Effect<UserProfile, SessionExpired | InternalDashboardError, CurrentUser>
  }
>() {
  static readonly make = Effect.gen(function* () {
    const sql = yield* PgClient

    const me = Effect.gen(function* () {
      const current = yield* CurrentUser
      const [user] = yield* sql<UserRow>`
        SELECT id, email, name, avatar_url, email_verified FROM users WHERE id = ${current.id}`.pipe(
        orInternal,
      )
      // The session outlived its user (deleted meanwhile): the caller must sign in again.
      if (user === undefined) return yield* new SessionExpired({})
      const memberships = yield* sql<{
        id: string
        name: string
        slug: string
        role: Role
        is_owner: boolean
      }>`
        SELECT w.id, w.name, w.slug, m.role, w.owner_id = m.user_id AS is_owner
        FROM workspace_members m JOIN workspaces w ON w.id = m.workspace_id
        WHERE m.user_id = ${current.id} ORDER BY w.created_at, w.slug`.pipe(orInternal)
      return new Me({
        user: toProfile(user),
        memberships: memberships.map(
          (m) =>
            new MembershipSummary({
              workspaceId: m.id,
              workspaceName: m.name,
              workspaceSlug: m.slug,
              role: m.role,
              isOwner: m.is_owner,
            }),
        ),
      })
    })

    const update = (input: { readonly name: string; readonly avatarUrl?: string | null | undefined }) =>
      Effect.gen(function* () {
        const current = yield* CurrentUser
        const name = input.name.trim().slice(0, 100) || null
        // Only http(s) avatars: anything else would end up in an <img src> as-is.
        const avatar =
          input.avatarUrl === undefined
            ? undefined
            : input.avatarUrl !== null && /^https?:\/\/\S+$/.test(input.avatarUrl)
              ? input.avatarUrl.slice(0, 2048)
              : null
        const [user] = yield* sql<UserRow>`
          UPDATE users SET name = ${name},
            avatar_url = ${avatar === undefined ? sql`avatar_url` : avatar}
          WHERE id = ${current.id} RETURNING id, email, name, avatar_url, email_verified`.pipe(orInternal)
        if (user === undefined) return yield* new SessionExpired({})
        return toProfile(user)
      })

    return Profile.of({ me, update })
  })

  static readonly layer = Layer.effect(this, this.make)
}
