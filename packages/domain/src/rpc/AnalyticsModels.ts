import { Schema } from "effect"

// What the analytics RPCs take and return (dashboard.md §3). Plain structs: the analytics
// services build plain objects, and the same shapes cross the wire as JSON.

const N = Schema.Number
const NullN = Schema.NullOr(Schema.Number)
const S = Schema.String
const NullS = Schema.NullOr(Schema.String)
const Counts = Schema.Record({ key: S, value: N })

/** The shared filters (§3.1), as the URL and the RPC carry them; decoded by the service. */
export const AnalyticsFilterPayload = Schema.Struct({
  from: Schema.optional(S),
  to: Schema.optional(S),
  platforms: Schema.optional(Schema.Array(S)),
  granularity: Schema.optional(S),
  sources: Schema.optional(Schema.Array(S)),
  tz: Schema.optional(S),
  /** User-trait conditions, `key = value` on the latest traits (Users and Paths only). */
  traits: Schema.optional(Schema.Array(Schema.Struct({ key: S, value: S }))),
})

export const PagingPayload = Schema.Struct({
  page: Schema.optional(N),
  pageSize: Schema.optional(N),
  sort: Schema.optional(S),
  order: Schema.optional(S),
})

export const Kpi = Schema.Struct({ value: NullN, previous: NullN, change: NullN })
export const RevenueKpi = Schema.Struct({ ...Kpi.fields, currency: NullS, byCurrency: Counts })
export const Share = Schema.Struct({ key: S, count: N })
export const TimePoint = Schema.Struct({ bucket: S, count: N })

const page = <A, I>(row: Schema.Schema<A, I>) =>
  Schema.Struct({ rows: Schema.Array(row), total: N, page: N, pageSize: N })

export const OverviewView = Schema.Struct({
  kpis: Schema.Struct({
    invocations: Kpi,
    sessions: Kpi,
    errorRate: Kpi,
    avgLatencyMs: Kpi,
    conversions: Kpi,
    revenue: RevenueKpi,
    sessionConversionRate: Kpi,
    widgetEngagementRate: Kpi,
    medianTimeToFirstInteractionMs: Kpi,
    medianTimeToFirstToolCallMs: Kpi,
    avgSessionDurationMs: Kpi,
    identifiedSessionShare: Kpi,
  }),
  invocationsOverTime: Schema.Array(TimePoint),
  platforms: Schema.Array(Share),
  topTools: Schema.Array(Share),
})

export const ToolRowView = Schema.Struct({
  tool: S,
  invocations: N,
  rank: N,
  successRate: NullN,
  errorRate: NullN,
  avgLatencyMs: NullN,
  p95LatencyMs: NullN,
  zeroResultRate: NullN,
})
export const ToolsPage = page(ToolRowView)

export const ToolDetailView = Schema.Struct({
  kpis: Schema.Struct({
    invocations: N,
    errorRate: NullN,
    avgLatencyMs: NullN,
    p50LatencyMs: NullN,
    p95LatencyMs: NullN,
    p99LatencyMs: NullN,
    avgResponseBytes: NullN,
    zeroResultRate: NullN,
    discoveryToInvocation: NullN,
  }),
  latencyHistogram: Schema.Array(Schema.Struct({ fromMs: N, toMs: NullN, count: N })),
  errorsOverTime: Schema.Array(Schema.Struct({ bucket: S, success: N, error: N })),
  errorCategories: Schema.Array(Share),
  fillRates: Schema.Array(Schema.Struct({ key: S, rate: N })),
  topValues: Schema.Array(Schema.Struct({ key: S, value: S, count: N })),
  combinations: Schema.Array(Schema.Struct({ keys: Schema.Array(S), count: N })),
  contentTypes: Schema.Array(Share),
  zeroResultByPattern: Schema.Array(
    Schema.Struct({ keys: Schema.Array(S), calls: N, zeroResultRate: NullN }),
  ),
})

export const FunnelStepView = Schema.Struct({
  name: S,
  traces: N,
  ofFirst: NullN,
  toNext: NullN,
  medianMsToNext: NullN,
})

export const UsersView = Schema.Struct({
  kpis: Schema.Struct({ activeUsers: N, newUsers: N, returningUsers: N }),
  active: Schema.Array(Schema.Struct({ day: S, dau: N, wau: N, mau: N })),
  newVsReturning: Schema.Array(Schema.Struct({ bucket: S, newUsers: N, returningUsers: N })),
})

export const UserRowView = Schema.Struct({
  userId: S,
  sessions: N,
  toolCalls: N,
  conversions: N,
  revenue: Counts,
  firstSeen: S,
  lastSeen: S,
})
export const UsersPage = page(UserRowView)

export const CohortView = Schema.Struct({ period: S, users: N, retention: Schema.Array(N) })
export const StickinessBucketView = Schema.Struct({ days: N, users: N })

export const UserDetailView = Schema.Struct({
  userId: S,
  traits: Schema.NullOr(Schema.Record({ key: S, value: Schema.Unknown })),
  firstSeen: S,
  lastSeen: S,
  lastPlatform: NullS,
  lastCountry: NullS,
  sessions: N,
  toolCalls: N,
  conversions: N,
  revenue: Counts,
  timeline: Schema.Array(
    Schema.Struct({
      sessionId: S,
      events: Schema.Array(
        Schema.Struct({ timestamp: S, eventType: S, eventName: NullS, traceId: NullS, status: NullS }),
      ),
    }),
  ),
})

export const PathLinkView = Schema.Struct({ depth: N, from: S, to: S, sessions: N })

export const ErrorsView = Schema.Struct({
  kpis: Schema.Struct({ totalErrors: Kpi, errorRate: Kpi, retrySuccessRate: Kpi, widgetErrors: Kpi }),
  rateOverTime: Schema.Array(Schema.Struct({ bucket: S, calls: N, errors: N, errorRate: NullN })),
  categories: Schema.Array(Share),
  perTool: Schema.Array(Schema.Struct({ tool: S, calls: N, errors: N, errorRate: NullN })),
})

export const ErrorGroupView = Schema.Struct({
  tool: S,
  category: S,
  message: S,
  count: N,
  firstSeen: S,
  lastSeen: S,
  lastTraceId: NullS,
})
export const ErrorsPage = page(ErrorGroupView)

export const TimelineEventView = Schema.Struct({
  id: S,
  offsetMs: N,
  timestamp: S,
  source: S,
  eventType: S,
  eventName: NullS,
  traceId: NullS,
  sessionId: S,
  latencyMs: NullN,
  status: NullS,
  stepSequence: NullN,
  metadata: NullS,
})

export const IntentsView = Schema.Struct({
  coverage: Schema.Array(Schema.Struct({ tool: S, calls: N, withIntent: N, share: NullN })),
  top: Schema.Array(Schema.Struct({ tool: S, text: S, source: S, count: N, lastSeen: S })),
})

export const SavedFunnelView = Schema.Struct({ id: S, name: S, steps: Schema.Array(S), createdAt: S })

/** Tables that can be exported as CSV. */
export const ExportTable = Schema.Literal("tools", "errors", "users")

export const CsvExport = Schema.Struct({ filename: S, contentType: S, csv: S })
