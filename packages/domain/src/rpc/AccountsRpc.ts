import { Rpc, RpcGroup } from "@effect/rpc"
import { Schema } from "effect"
import {
  ApiKeyAlreadyRevoked,
  ApiKeyNotFound,
  EmailNotVerified,
  InsufficientRole,
  InternalDashboardError,
  InvalidGracePeriod,
  InvalidInviteToken,
  InvalidKeyName,
  InvalidProjectName,
  InvalidRole,
  InvalidSlugFormat,
  InvalidWorkspaceName,
  InvitationAlreadyPending,
  InvitationNotFound,
  MemberNotFound,
  NotAWorkspaceMember,
  ProjectNotFound,
  ProjectSlugAlreadyExists,
  SessionExpired,
  UserAlreadyAMember,
  WorkspaceNotFound,
  WorkspaceOwnerCannotBeRemoved,
  WorkspaceSlugAlreadyExists,
} from "../errors/DashboardErrors.js"
import {
  ApiKeyView,
  CreatedApiKey,
  InvitationView,
  Me,
  MemberView,
  ProjectView,
  UserProfile,
  WorkspaceView,
} from "./AccountsModels.js"
import { SessionAuth } from "./SessionAuth.js"

/**
 * Every typed failure an accounts RPC can answer with. One union for the group keeps the
 * client's error channel simple; each handler's own type is narrower.
 */
export const AccountsRpcError = Schema.Union(
  SessionExpired,
  EmailNotVerified,
  InsufficientRole,
  WorkspaceOwnerCannotBeRemoved,
  NotAWorkspaceMember,
  WorkspaceSlugAlreadyExists,
  WorkspaceNotFound,
  ProjectSlugAlreadyExists,
  ProjectNotFound,
  InvalidWorkspaceName,
  InvalidProjectName,
  InvalidSlugFormat,
  ApiKeyNotFound,
  ApiKeyAlreadyRevoked,
  InvalidKeyName,
  InvalidGracePeriod,
  MemberNotFound,
  UserAlreadyAMember,
  InvitationAlreadyPending,
  InvalidRole,
  InvitationNotFound,
  InvalidInviteToken,
  InternalDashboardError,
)
export type AccountsRpcError = typeof AccountsRpcError.Type

const error = AccountsRpcError
const WorkspaceRef = { workspaceId: Schema.String }
const ProjectRef = { projectId: Schema.String }
/** Roles arrive as plain strings so an unknown one is answered with `YAVIO-3303`, not a decode defect. */
const RoleInput = Schema.String

/**
 * The dashboard's accounts API (dashboard.md §0.2, §2): profile, workspaces, members,
 * invitations, projects and API keys. Every call needs a session (`SessionAuth`); the
 * services check the caller's membership and role.
 */
export class AccountsRpc extends RpcGroup.make(
  Rpc.make("me", { success: Me, error }),
  Rpc.make("updateProfile", {
    payload: { name: Schema.String, avatarUrl: Schema.optional(Schema.NullOr(Schema.String)) },
    success: UserProfile,
    error,
  }),

  Rpc.make("listWorkspaces", { success: Schema.Array(WorkspaceView), error }),
  Rpc.make("getWorkspace", { payload: { slug: Schema.String }, success: WorkspaceView, error }),
  Rpc.make("createWorkspace", {
    payload: { name: Schema.String, slug: Schema.optional(Schema.String) },
    success: WorkspaceView,
    error,
  }),
  Rpc.make("updateWorkspace", {
    payload: { ...WorkspaceRef, name: Schema.optional(Schema.String), slug: Schema.optional(Schema.String) },
    success: WorkspaceView,
    error,
  }),
  Rpc.make("deleteWorkspace", { payload: WorkspaceRef, error }),

  Rpc.make("listMembers", { payload: WorkspaceRef, success: Schema.Array(MemberView), error }),
  Rpc.make("changeMemberRole", {
    payload: { ...WorkspaceRef, userId: Schema.String, role: RoleInput },
    success: MemberView,
    error,
  }),
  Rpc.make("removeMember", { payload: { ...WorkspaceRef, userId: Schema.String }, error }),
  Rpc.make("leaveWorkspace", { payload: WorkspaceRef, error }),

  Rpc.make("listInvitations", { payload: WorkspaceRef, success: Schema.Array(InvitationView), error }),
  Rpc.make("createInvitation", {
    payload: { ...WorkspaceRef, email: Schema.String, role: RoleInput },
    success: InvitationView,
    error,
  }),
  Rpc.make("resendInvitation", {
    payload: { ...WorkspaceRef, invitationId: Schema.String },
    success: InvitationView,
    error,
  }),
  Rpc.make("cancelInvitation", { payload: { ...WorkspaceRef, invitationId: Schema.String }, error }),
  Rpc.make("acceptInvitation", { payload: { token: Schema.String }, success: WorkspaceView, error }),

  Rpc.make("listProjects", { payload: WorkspaceRef, success: Schema.Array(ProjectView), error }),
  Rpc.make("createProject", {
    payload: { ...WorkspaceRef, name: Schema.String, slug: Schema.optional(Schema.String) },
    success: ProjectView,
    error,
  }),
  Rpc.make("updateProject", {
    payload: { ...ProjectRef, name: Schema.optional(Schema.String), slug: Schema.optional(Schema.String) },
    success: ProjectView,
    error,
  }),
  Rpc.make("deleteProject", { payload: ProjectRef, error }),

  Rpc.make("listApiKeys", { payload: ProjectRef, success: Schema.Array(ApiKeyView), error }),
  Rpc.make("createApiKey", {
    payload: { ...ProjectRef, name: Schema.optional(Schema.String) },
    success: CreatedApiKey,
    error,
  }),
  Rpc.make("revokeApiKey", { payload: { ...ProjectRef, keyId: Schema.String }, success: ApiKeyView, error }),
  Rpc.make("rotateApiKey", {
    payload: { ...ProjectRef, keyId: Schema.String, gracePeriodMinutes: Schema.optional(Schema.Number) },
    success: CreatedApiKey,
    error,
  }),
).middleware(SessionAuth) {}
