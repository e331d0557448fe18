import { Rpc, RpcGroup } from "@effect/rpc"
import { Schema } from "effect"
import {
  AnalyticsClickhouseUnavailable,
  AnalyticsQueryRejected,
  AnalyticsQueryTimeout,
  InsufficientRole,
  InternalDashboardError,
  InvalidGranularity,
  InvalidPagination,
  InvalidPlatformFilter,
  InvalidSortParameter,
  InvalidTimeRange,
  NotAWorkspaceMember,
  ProjectNotFound,
  SessionExpired,
  ViewerExportDenied,
} from "../errors/DashboardErrors.js"
import { ClickhouseSchemaMismatch } from "../errors/StorageErrors.js"
import {
  AnalyticsFilterPayload,
  CohortView,
  CsvExport,
  ErrorsPage,
  ErrorsView,
  ExportTable,
  FunnelStepView,
  IntentsView,
  Kpi,
  OverviewView,
  PagingPayload,
  PathLinkView,
  SavedFunnelView,
  StickinessBucketView,
  TimelineEventView,
  ToolDetailView,
  ToolsPage,
  UserDetailView,
  UsersPage,
  UsersView,
} from "./AnalyticsModels.js"
import { SessionAuth } from "./SessionAuth.js"

/** Every typed failure an analytics RPC can answer with (dashboard.md §3, error-codes.md 34xx). */
export const AnalyticsRpcError = Schema.Union(
  SessionExpired,
  NotAWorkspaceMember,
  ProjectNotFound,
  InsufficientRole,
  ViewerExportDenied,
  InvalidTimeRange,
  InvalidGranularity,
  InvalidPlatformFilter,
  InvalidPagination,
  InvalidSortParameter,
  AnalyticsQueryTimeout,
  AnalyticsClickhouseUnavailable,
  AnalyticsQueryRejected,
  ClickhouseSchemaMismatch,
  InternalDashboardError,
)
export type AnalyticsRpcError = typeof AnalyticsRpcError.Type

const error = AnalyticsRpcError
const On = { projectId: Schema.String, filter: AnalyticsFilterPayload }
const Funnel = { ...On, steps: Schema.Array(Schema.String), tool: Schema.optional(Schema.String) }

/**
 * The dashboard's analytics API (dashboard.md §3): one call per view or table. Every call
 * needs a session (`SessionAuth`) and membership of the project's workspace; any role may read,
 * viewers may not export (`YAVIO-3103`).
 */
export class AnalyticsRpc extends RpcGroup.make(
  Rpc.make("overview", { payload: On, success: OverviewView, error }),
  Rpc.make("tools", { payload: { ...On, paging: PagingPayload }, success: ToolsPage, error }),
  Rpc.make("toolDetail", { payload: { ...On, tool: Schema.String }, success: ToolDetailView, error }),
  Rpc.make("funnel", { payload: Funnel, success: Schema.Array(FunnelStepView), error }),
  Rpc.make("funnelExamples", {
    payload: { ...Funnel, gap: Schema.Number },
    success: Schema.Array(Schema.String),
    error,
  }),
  Rpc.make("users", { payload: On, success: UsersView, error }),
  /** Overview's identified-session share with its trend, alone (the Users view's fourth KPI). */
  Rpc.make("identifiedShare", { payload: On, success: Kpi, error }),
  Rpc.make("userList", { payload: { ...On, paging: PagingPayload }, success: UsersPage, error }),
  Rpc.make("retention", {
    payload: { ...On, period: Schema.optional(Schema.String) },
    success: Schema.Array(CohortView),
    error,
  }),
  Rpc.make("stickiness", {
    payload: { ...On, per: Schema.Literal("week", "month") },
    success: Schema.Array(StickinessBucketView),
    error,
  }),
  Rpc.make("userDetail", {
    payload: { projectId: Schema.String, userId: Schema.String },
    success: Schema.NullOr(UserDetailView),
    error,
  }),
  Rpc.make("paths", {
    payload: { ...On, startTool: Schema.optional(Schema.String), endTool: Schema.optional(Schema.String) },
    success: Schema.Array(PathLinkView),
    error,
  }),
  Rpc.make("errors", {
    payload: { ...On, errorCategory: Schema.optional(Schema.String) },
    success: ErrorsView,
    error,
  }),
  Rpc.make("errorList", {
    payload: { ...On, paging: PagingPayload, errorCategory: Schema.optional(Schema.String) },
    success: ErrorsPage,
    error,
  }),
  Rpc.make("timeline", {
    payload: {
      projectId: Schema.String,
      traceId: Schema.optional(Schema.String),
      sessionId: Schema.optional(Schema.String),
    },
    success: Schema.Array(TimelineEventView),
    error,
  }),
  // The default funnel "All steps" (§3.4): step names by median step_sequence, then the most
  // common conversion; empty when the project has fewer than two.
  Rpc.make("defaultFunnel", { payload: On, success: Schema.Array(Schema.String), error }),
  // Intents captured by the SDK's `context` parameter, per tool (our decision, sdk.md §2.5).
  // Saved funnels (§3.4, PostgreSQL): any member reads; saving and deleting need member or above.
  Rpc.make("savedFunnels", {
    payload: { projectId: Schema.String },
    success: Schema.Array(SavedFunnelView),
    error,
  }),
  Rpc.make("saveFunnel", {
    payload: { projectId: Schema.String, name: Schema.String, steps: Schema.Array(Schema.String) },
    success: SavedFunnelView,
    error,
  }),
  Rpc.make("deleteFunnel", {
    payload: { projectId: Schema.String, id: Schema.String },
    success: Schema.Boolean,
    error,
  }),
  Rpc.make("intents", {
    payload: { ...On, tool: Schema.optional(Schema.String) },
    success: IntentsView,
    error,
  }),
  Rpc.make("exportCsv", {
    payload: {
      ...On,
      table: ExportTable,
      paging: Schema.optional(PagingPayload),
      errorCategory: Schema.optional(Schema.String),
    },
    success: CsvExport,
    error,
  }),
  // Onboarding's "waiting for your first event" (§4 step 5): when any event of the project was
  // recorded (the first one found, not necessarily the earliest), or null.
  Rpc.make("firstEvent", {
    payload: { projectId: Schema.String },
    success: Schema.Struct({ at: Schema.NullOr(Schema.Date) }),
    error,
  }),
).middleware(SessionAuth) {}
