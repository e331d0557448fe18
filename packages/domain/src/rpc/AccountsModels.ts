import { Schema } from "effect"
import { Role } from "./Role.js"

// What the accounts RPCs return. Never a secret: password hashes, token hashes and key hashes
// stay in the service; a full API key appears once, in `CreatedApiKey`.

export class UserProfile extends Schema.Class<UserProfile>("UserProfile")({
  id: Schema.String,
  email: Schema.String,
  name: Schema.NullOr(Schema.String),
  avatarUrl: Schema.NullOr(Schema.String),
  emailVerified: Schema.Boolean,
}) {}

export class MembershipSummary extends Schema.Class<MembershipSummary>("MembershipSummary")({
  workspaceId: Schema.String,
  workspaceName: Schema.String,
  workspaceSlug: Schema.String,
  role: Role,
  isOwner: Schema.Boolean,
}) {}

export class Me extends Schema.Class<Me>("Me")({
  user: UserProfile,
  memberships: Schema.Array(MembershipSummary),
}) {}

export const Plan = Schema.Literal("community", "cloud_free", "cloud_pro", "enterprise")

export class WorkspaceView extends Schema.Class<WorkspaceView>("WorkspaceView")({
  id: Schema.String,
  name: Schema.String,
  slug: Schema.String,
  plan: Plan,
  ownerId: Schema.String,
  /** The caller's own role and ownership in this workspace. */
  role: Role,
  isOwner: Schema.Boolean,
  memberCount: Schema.Number,
  createdAt: Schema.Date,
}) {}

export class MemberView extends Schema.Class<MemberView>("MemberView")({
  userId: Schema.String,
  name: Schema.NullOr(Schema.String),
  email: Schema.String,
  role: Role,
  isOwner: Schema.Boolean,
  joinedAt: Schema.Date,
}) {}

export class InvitationView extends Schema.Class<InvitationView>("InvitationView")({
  id: Schema.String,
  email: Schema.String,
  role: Role,
  invitedAt: Schema.Date,
  expiresAt: Schema.Date,
  status: Schema.Literal("pending", "expired"),
}) {}

/** What an invitation link shows before anyone signs in (`GET /api/auth/invite/$token`). */
export class InvitationLanding extends Schema.Class<InvitationLanding>("InvitationLanding")({
  workspaceName: Schema.String,
  workspaceSlug: Schema.String,
  inviterName: Schema.NullOr(Schema.String),
  role: Role,
  email: Schema.String,
}) {}

export class ProjectView extends Schema.Class<ProjectView>("ProjectView")({
  id: Schema.String,
  workspaceId: Schema.String,
  name: Schema.String,
  slug: Schema.String,
  createdAt: Schema.Date,
}) {}

export class ApiKeyView extends Schema.Class<ApiKeyView>("ApiKeyView")({
  id: Schema.String,
  projectId: Schema.String,
  name: Schema.String,
  /** First 8 characters, e.g. `yav_abc1`; shown as `yav_abc1...`. */
  prefix: Schema.String,
  createdAt: Schema.Date,
  lastUsedAt: Schema.NullOr(Schema.Date),
  /** Set on revoke; in the future while a rotated key's grace period runs. */
  revokedAt: Schema.NullOr(Schema.Date),
  status: Schema.Literal("active", "revoked"),
}) {}

/** A key as created or rotated: the only time the full key leaves the service. */
export class CreatedApiKey extends Schema.Class<CreatedApiKey>("CreatedApiKey")({
  key: ApiKeyView,
  fullKey: Schema.String,
}) {}
