import { RpcMiddleware } from "@effect/rpc"
import { Schema } from "effect"
import {
  AnalyticsQueryRateLimited,
  InternalDashboardError,
  ManagementRouteRateLimited,
  SessionExpired,
} from "../errors/DashboardErrors.js"
import { CurrentUser } from "./CurrentUser.js"

/**
 * Server-side RPC middleware: resolves the `yavio_session` cookie to `CurrentUser` (401
 * `YAVIO-3000` without a live session) and applies the per-user limit of the call's group
 * (management `YAVIO-3802`, analytics `YAVIO-3801`). Workspace membership is resolved per call inside the services.
 */
export class SessionAuth extends RpcMiddleware.Tag<SessionAuth>()("SessionAuth", {
  provides: CurrentUser,
  failure: Schema.Union(
    SessionExpired,
    ManagementRouteRateLimited,
    AnalyticsQueryRateLimited,
    InternalDashboardError,
  ),
}) {}
