import { Schema } from "effect"

/**
 * A stored membership role (dashboard.md §2.2). Owner is not a role: it is
 * `workspaces.owner_id`, who always holds `admin`.
 */
export const Role = Schema.Literal("admin", "member", "viewer")
export type Role = typeof Role.Type
