/**
 * The handlers of `AnalyticsRpc` (dashboard.md §3): each call is authorized first — the caller
 * must belong to the project's workspace (`Access`: `YAVIO-3102` otherwise, also for another
 * tenant's project id; any role may read, §2.2) — and the project's scope then comes from the
 * project row, never from the caller. Exports need a role above viewer (`YAVIO-3103`).
 * Internal causes (driver errors, SQL) are logged and dropped before the answer (accounts' `stripCause`).
 */

import { ClickhouseClient } from "@effect/sql-clickhouse/ClickhouseClient"
import { Access, actorOf, stripCause } from "@yavio/accounts"
import { AnalyticsQueryRejected, ViewerExportDenied } from "@yavio/domain"
import { AnalyticsRpc } from "@yavio/domain/rpc/AnalyticsRpc"
import { Effect, Schema } from "effect"
import { type AnalyticsFilter, decodeFilter } from "./AnalyticsFilter.js"
import { runRows } from "./AnalyticsQuery.js"
import { toCsv } from "./Csv.js"
import { DefaultFunnel } from "./DefaultFunnel.js"
import { decodeErrorCategory, ERROR_LIST_SORTS, Errors } from "./Errors.js"
import { decodeFunnelSteps, Funnels } from "./Funnels.js"
import { Intents } from "./Intents.js"
import { Overview } from "./Overview.js"
import { decodePaging } from "./Paging.js"
import { Paths } from "./Paths.js"
import { type ProjectScope, scopedEventsWhere } from "./ProjectScope.js"
import { SavedFunnels } from "./SavedFunnels.js"
import { Timeline } from "./Timeline.js"
import { ToolDetail } from "./ToolDetail.js"
import { TOOL_SORTS, Tools } from "./Tools.js"
import { decodeRetentionPeriod, USER_SORTS, Users } from "./Users.js"

export const AnalyticsRpcHandlers = AnalyticsRpc.toLayer(
  Effect.gen(function* () {
    const access = yield* Access
    const overview = yield* Overview
    const tools = yield* Tools
    const toolDetail = yield* ToolDetail
    const funnels = yield* Funnels
    const users = yield* Users
    const paths = yield* Paths
    const errors = yield* Errors
    const timeline = yield* Timeline
    const defaultFunnel = yield* DefaultFunnel
    const intents = yield* Intents
    const saved = yield* SavedFunnels

    /** Membership of the project's workspace (every role reads); the scope from the project row. */
    const authorized = (projectId: string) =>
      Effect.map(access.requireProject(projectId, "projects.list"), ({ project, membership }) => ({
        scope: { workspaceId: project.workspace_id, projectId: project.id } satisfies ProjectScope,
        membership,
      }))
    const scopeOf = (projectId: string) => Effect.map(authorized(projectId), ({ scope }) => scope)

    return AnalyticsRpc.of({
      overview: ({ projectId, filter }) =>
        stripCause(
          Effect.gen(function* () {
            const scope = yield* scopeOf(projectId)
            const f = yield* decodeFilter(filter)
            return yield* overview.page(scope, f)
          }),
        ),
      identifiedShare: ({ projectId, filter }) =>
        stripCause(
          Effect.gen(function* () {
            const scope = yield* scopeOf(projectId)
            return yield* overview.identifiedShare(scope, yield* decodeFilter(filter))
          }),
        ),
      tools: ({ projectId, filter, paging }) =>
        stripCause(
          Effect.gen(function* () {
            const scope = yield* scopeOf(projectId)
            return yield* tools.list(
              scope,
              yield* decodeFilter(filter),
              yield* decodePaging(paging, TOOL_SORTS, "invocations"),
            )
          }),
        ),
      toolDetail: ({ projectId, filter, tool }) =>
        stripCause(
          Effect.gen(function* () {
            const scope = yield* scopeOf(projectId)
            return yield* toolDetail.detail(scope, yield* decodeFilter(filter), tool)
          }),
        ),
      funnel: ({ projectId, filter, steps, tool }) =>
        stripCause(
          Effect.gen(function* () {
            const scope = yield* scopeOf(projectId)
            const f = yield* decodeFilter(filter)
            const checked = yield* decodeFunnelSteps(steps)
            return yield* funnels.steps(
              scope,
              f,
              tool === undefined ? { steps: checked } : { steps: checked, tool },
            )
          }),
        ),
      funnelExamples: ({ projectId, filter, steps, tool, gap }) =>
        stripCause(
          Effect.gen(function* () {
            const scope = yield* scopeOf(projectId)
            const f = yield* decodeFilter(filter)
            const checked = yield* decodeFunnelSteps(steps)
            return yield* funnels.examples(
              scope,
              f,
              tool === undefined ? { steps: checked } : { steps: checked, tool },
              gap,
            )
          }),
        ),
      users: ({ projectId, filter }) =>
        stripCause(
          Effect.gen(function* () {
            const scope = yield* scopeOf(projectId)
            const f = yield* decodeFilter(filter)
            return yield* Effect.all(
              {
                kpis: users.kpis(scope, f),
                active: users.activeUsers(scope, f),
                newVsReturning: users.newVsReturning(scope, f),
              },
              { concurrency: "unbounded" },
            )
          }),
        ),
      userList: ({ projectId, filter, paging }) =>
        stripCause(
          Effect.gen(function* () {
            const scope = yield* scopeOf(projectId)
            return yield* users.list(
              scope,
              yield* decodeFilter(filter),
              yield* decodePaging(paging, USER_SORTS, "lastSeen"),
            )
          }),
        ),
      retention: ({ projectId, filter, period }) =>
        stripCause(
          Effect.gen(function* () {
            const scope = yield* scopeOf(projectId)
            return yield* users.retention(
              scope,
              yield* decodeFilter(filter),
              yield* decodeRetentionPeriod(period),
            )
          }),
        ),
      stickiness: ({ projectId, filter, per }) =>
        stripCause(
          Effect.gen(function* () {
            const scope = yield* scopeOf(projectId)
            return yield* users.stickiness(scope, yield* decodeFilter(filter), per)
          }),
        ),
      userDetail: ({ projectId, userId }) =>
        stripCause(
          Effect.gen(function* () {
            const scope = yield* scopeOf(projectId)
            return (yield* users.detail(scope, userId)) ?? null
          }),
        ),
      paths: ({ projectId, filter, startTool, endTool }) =>
        stripCause(
          Effect.gen(function* () {
            const scope = yield* scopeOf(projectId)
            return yield* paths.links(scope, yield* decodeFilter(filter), {
              ...(startTool === undefined ? {} : { startTool }),
              ...(endTool === undefined ? {} : { endTool }),
            })
          }),
        ),
      errors: ({ projectId, filter, errorCategory }) =>
        stripCause(
          Effect.gen(function* () {
            const scope = yield* scopeOf(projectId)
            const f = yield* decodeFilter(filter)
            const category = yield* decodeErrorCategory(errorCategory)
            return yield* Effect.all(
              {
                kpis: errors.kpis(scope, f),
                rateOverTime: errors.rateOverTime(scope, f),
                categories: errors.categories(scope, f),
                perTool: errors.perTool(scope, f, category),
              },
              { concurrency: "unbounded" },
            )
          }),
        ),
      errorList: ({ projectId, filter, paging, errorCategory }) =>
        stripCause(
          Effect.gen(function* () {
            const scope = yield* scopeOf(projectId)
            const f = yield* decodeFilter(filter)
            const category = yield* decodeErrorCategory(errorCategory)
            return yield* errors.list(
              scope,
              f,
              yield* decodePaging(paging, ERROR_LIST_SORTS, "count"),
              category,
            )
          }),
        ),
      timeline: ({ projectId, traceId, sessionId }) =>
        stripCause(
          Effect.gen(function* () {
            const scope = yield* scopeOf(projectId)
            if (traceId !== undefined) return yield* timeline.timeline(scope, { traceId })
            if (sessionId !== undefined) return yield* timeline.timeline(scope, { sessionId })
            return []
          }),
        ),
      defaultFunnel: ({ projectId, filter }) =>
        stripCause(
          Effect.gen(function* () {
            const scope = yield* scopeOf(projectId)
            return yield* defaultFunnel.steps(scope, yield* decodeFilter(filter))
          }),
        ),
      savedFunnels: ({ projectId }) =>
        stripCause(Effect.flatMap(scopeOf(projectId), (scope) => saved.list(scope.projectId))),
      saveFunnel: ({ projectId, name, steps }) =>
        stripCause(
          Effect.gen(function* () {
            // Viewers read only (§2.2): saving a definition needs member or above.
            const { project } = yield* access.requireProject(projectId, "projects.view")
            const checked = yield* decodeFunnelSteps(steps)
            const trimmed = name.trim()
            if (trimmed === "" || trimmed.length > 100)
              return yield* new AnalyticsQueryRejected({ detail: "a funnel's name has 1 to 100 characters" })
            return yield* saved.save(project.id, trimmed, checked)
          }),
        ),
      deleteFunnel: ({ projectId, id }) =>
        stripCause(
          Effect.gen(function* () {
            const { project } = yield* access.requireProject(projectId, "projects.view")
            return yield* saved.remove(project.id, id)
          }),
        ),
      intents: ({ projectId, filter, tool }) =>
        stripCause(
          Effect.gen(function* () {
            const scope = yield* scopeOf(projectId)
            const f = yield* decodeFilter(filter)
            return yield* Effect.all(
              { coverage: intents.coverage(scope, f), top: intents.top(scope, f, tool) },
              { concurrency: "unbounded" },
            )
          }),
        ),
      exportCsv: ({ projectId, filter, table, paging, errorCategory }) =>
        stripCause(
          Effect.gen(function* () {
            const { scope, membership } = yield* authorized(projectId)
            if (actorOf(membership) === "viewer") return yield* new ViewerExportDenied({})
            const f = yield* decodeFilter(filter)
            // Up to 100 rows per page, as on screen; the caller pages through for more.
            const day = f.to.toISOString().slice(0, 10)
            switch (table) {
              case "tools": {
                const rows = (yield* tools.list(
                  scope,
                  f,
                  yield* decodePaging(paging ?? { pageSize: 100 }, TOOL_SORTS, "invocations"),
                )).rows
                return {
                  filename: `tools-${day}.csv`,
                  contentType: "text/csv; charset=utf-8",
                  csv: toCsv(
                    [
                      { header: "Tool", value: (r: (typeof rows)[number]) => r.tool },
                      { header: "Invocations", value: (r) => r.invocations },
                      { header: "Rank", value: (r) => r.rank },
                      { header: "Success rate", value: (r) => r.successRate },
                      { header: "Error rate", value: (r) => r.errorRate },
                      { header: "Avg latency (ms)", value: (r) => r.avgLatencyMs },
                      { header: "p95 latency (ms)", value: (r) => r.p95LatencyMs },
                      { header: "Zero-result rate", value: (r) => r.zeroResultRate },
                    ],
                    rows,
                  ),
                }
              }
              case "errors": {
                const category = yield* decodeErrorCategory(errorCategory)
                const rows = (yield* errors.list(
                  scope,
                  f,
                  yield* decodePaging(paging ?? { pageSize: 100 }, ERROR_LIST_SORTS, "count"),
                  category,
                )).rows
                return {
                  filename: `errors-${day}.csv`,
                  contentType: "text/csv; charset=utf-8",
                  csv: toCsv(
                    [
                      { header: "Tool", value: (r: (typeof rows)[number]) => r.tool },
                      { header: "Category", value: (r) => r.category },
                      { header: "Message", value: (r) => r.message },
                      { header: "Count", value: (r) => r.count },
                      { header: "First seen", value: (r) => r.firstSeen },
                      { header: "Last seen", value: (r) => r.lastSeen },
                      { header: "Last trace", value: (r) => r.lastTraceId },
                    ],
                    rows,
                  ),
                }
              }
              case "users": {
                const rows = (yield* users.list(
                  scope,
                  f,
                  yield* decodePaging(paging ?? { pageSize: 100 }, USER_SORTS, "lastSeen"),
                )).rows
                return {
                  filename: `users-${day}.csv`,
                  contentType: "text/csv; charset=utf-8",
                  csv: toCsv(
                    [
                      { header: "User", value: (r: (typeof rows)[number]) => r.userId },
                      { header: "Sessions", value: (r) => r.sessions },
                      { header: "Tool calls", value: (r) => r.toolCalls },
                      { header: "Conversions", value: (r) => r.conversions },
                      { header: "Revenue", value: (r) => r.revenue },
                      { header: "First seen", value: (r) => r.firstSeen },
                      { header: "Last seen", value: (r) => r.lastSeen },
                    ],
                    rows,
                  ),
                }
              }
            }
          }),
        ),
      firstEvent: ({ projectId }) =>
        stripCause(
          Effect.gen(function* () {
            const scope = yield* scopeOf(projectId)
            const ch = yield* ClickhouseClient
            // Any event at all: every time, platform and source; one row is enough.
            const everything: AnalyticsFilter = {
              from: new Date(0),
              to: new Date("2200-01-01T00:00:00Z"),
              platforms: [],
              granularity: "day",
              sources: [],
              tz: "UTC",
              traits: [],
            }
            const rows = yield* runRows(
              "firstEvent",
              Schema.Struct({ ts_ms: Schema.Number }),
              ch`SELECT toFloat64(toUnixTimestamp64Milli(timestamp)) AS ts_ms FROM events
                 WHERE ${scopedEventsWhere(ch, scope, everything)} LIMIT 1`,
            )
            return { at: rows[0] === undefined ? null : new Date(rows[0].ts_ms) }
          }),
        ),
    })
  }),
)
