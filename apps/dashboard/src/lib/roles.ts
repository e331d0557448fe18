import type { MembershipSummary } from "@yavio/domain/rpc/AccountsModels"

/**
 * dashboard.md §2.2 for the UI: which controls a role sees. The services check the same rules
 * (accounts' `permissionMatrix`); hiding a control is courtesy, the answer of the service is
 * authoritative and shown with its code when it refuses.
 */
export type Actor = "owner" | "admin" | "member" | "viewer"

export const actorOf = (m: Pick<MembershipSummary, "role" | "isOwner">): Actor =>
  m.isOwner ? "owner" : m.role

const matrix = {
  "settings.open": ["owner", "admin", "member"],
  "workspace.update": ["owner", "admin"],
  "workspace.delete": ["owner"],
  "workspace.leave": ["admin", "member", "viewer"],
  "members.manage": ["owner", "admin"],
  "projects.manage": ["owner", "admin"],
  "apiKeys.manage": ["owner", "admin"],
} as const satisfies Record<string, ReadonlyArray<Actor>>

export type UiCapability = keyof typeof matrix

export const can = (m: Pick<MembershipSummary, "role" | "isOwner">, capability: UiCapability): boolean =>
  (matrix[capability] as ReadonlyArray<Actor>).includes(actorOf(m))
