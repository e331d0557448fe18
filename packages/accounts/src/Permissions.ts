import type { Role } from "@yavio/domain/rpc/Role"

/** Who is asking, inside one workspace: a stored role, plus ownership (never stored as a role). */
export interface Membership {
  readonly workspaceId: string
  readonly role: Role
  readonly isOwner: boolean
}

export type Actor = "owner" | "admin" | "member" | "viewer"

export const actorOf = (membership: Membership): Actor => (membership.isOwner ? "owner" : membership.role)

/**
 * The permission matrix of dashboard.md §2.2 for what the accounts service does, as data: the
 * services check it, the tests walk it, the UI can read it to hide controls.
 */
export const permissionMatrix = {
  "workspace.view": ["owner", "admin", "member"],
  "workspace.update": ["owner", "admin"],
  "workspace.delete": ["owner"],
  "workspace.leave": ["admin", "member", "viewer"],
  "members.list": ["owner", "admin", "member"],
  "members.manage": ["owner", "admin"],
  "invitations.manage": ["owner", "admin"],
  "projects.list": ["owner", "admin", "member", "viewer"],
  "projects.view": ["owner", "admin", "member"],
  "projects.manage": ["owner", "admin"],
  "apiKeys.list": ["owner", "admin", "member"],
  "apiKeys.manage": ["owner", "admin"],
} as const satisfies Record<string, ReadonlyArray<Actor>>

export type Capability = keyof typeof permissionMatrix

export const can = (membership: Membership, capability: Capability): boolean =>
  (permissionMatrix[capability] as ReadonlyArray<Actor>).includes(actorOf(membership))
