import { createFileRoute, Link } from "@tanstack/react-router"
import { BarList } from "../../../../components/charts/BarList"
import { ChartPanel } from "../../../../components/charts/ChartPanel"
import { Donut } from "../../../../components/charts/Donut"
import { TimeSeriesChart } from "../../../../components/charts/TimeSeriesChart"
import { ActiveUsersPanel } from "../../../../components/views/ActiveUsersPanel"
import { FilterBar } from "../../../../components/views/FilterBar"
import { KpiCard } from "../../../../components/views/KpiCard"
import { PageHeader } from "../../../../components/views/PageHeader"
import {
  EmptyState,
  FailedCard,
  SetupGuideLink,
  ViewSkeleton,
  viewError,
} from "../../../../components/views/States"
import { rpc } from "../../../../lib/rpc"
import {
  formatAxisDate,
  formatCount,
  formatDuration,
  formatLatency,
  formatPercent,
  formatRevenue,
} from "../../../../lib/views/format"
import {
  fillBuckets,
  filterOf,
  isHourly,
  loaderDepsOf,
  settleFilters,
  validateViewSearch,
} from "../../../../lib/views/search"
import { settleAll, type ValueOf } from "../../../../lib/views/settle"

/** Overview (dashboard.md §3.2): the twelve KPIs with trends, invocations over time, platforms, top tools, DAU/WAU/MAU. */
export const Route = createFileRoute("/_app/$workspace/$project/overview")({
  validateSearch: validateViewSearch,
  loaderDeps: loaderDepsOf,
  loader: async ({ context, deps, cause, abortController }) => {
    await settleFilters({ cause, abortController })
    const filter = filterOf(deps)
    return settleAll({
      overview: rpc((c) => c.overview({ projectId: context.project.id, filter })),
      users: rpc((c) => c.users({ projectId: context.project.id, filter })),
    })
  },
  head: () => ({ meta: [{ title: "Overview · Yavio" }] }),
  pendingComponent: () => <ViewSkeleton header={OverviewHeader} kpis={12} charts={2} />,
  errorComponent: viewError(OverviewHeader),
  component: OverviewPage,
})

function OverviewHeader() {
  return (
    <PageHeader title="Overview">
      <FilterBar granularity />
    </PageHeader>
  )
}

function OverviewPage() {
  const { overview, users } = Route.useLoaderData()
  return (
    <>
      <OverviewHeader />
      {overview.ok ? (
        <Summary overview={overview.value} />
      ) : (
        <FailedCard id="overview" title="Key figures and charts" error={overview.error} />
      )}
      <div className="chart-grid section">
        {users.ok ? (
          <ActiveUsersPanel users={users.value} />
        ) : (
          <FailedCard id="activeUsers" span="all" title="DAU / WAU / MAU" error={users.error} />
        )}
      </div>
    </>
  )
}

type Loaded = (typeof Route)["types"]["loaderData"]

/** The twelve KPIs and the invocation, platform and top-tool charts: one query. */
function Summary({ overview }: { readonly overview: ValueOf<Loaded["overview"]> }) {
  const search = Route.useSearch()
  const params = Route.useParams()
  const k = overview.kpis
  const invocations = fillBuckets(overview.invocationsOverTime, search, (bucket) => ({ bucket, count: 0 }))
  const revenueTitle = Object.entries(k.revenue.byCurrency)
    .map(([currency, value]) => formatRevenue(value, currency))
    .join(" · ")
  const empty = (k.sessions.value ?? 0) === 0 && (k.invocations.value ?? 0) === 0
  return (
    <>
      {empty ? (
        <EmptyState title="No events recorded yet" action={<SetupGuideLink />}>
          Events appear here once the SDK sends data for this project and time range.
        </EmptyState>
      ) : null}
      <section className="kpi-grid section" aria-label="Key figures">
        <KpiCard
          id="invocations"
          label="Total invocations"
          value={formatCount(k.invocations.value)}
          change={k.invocations.change}
        />
        <KpiCard
          id="sessions"
          label="Unique sessions"
          value={formatCount(k.sessions.value)}
          change={k.sessions.change}
        />
        <KpiCard
          id="errorRate"
          label="Error rate"
          value={formatPercent(k.errorRate.value)}
          change={k.errorRate.change}
          lowerIsBetter
        />
        <KpiCard
          id="avgLatency"
          label="Avg latency"
          value={formatLatency(k.avgLatencyMs.value)}
          change={k.avgLatencyMs.change}
          lowerIsBetter
        />
        <KpiCard
          id="conversions"
          label="Total conversions"
          value={formatCount(k.conversions.value)}
          change={k.conversions.change}
        />
        <KpiCard
          id="revenue"
          label="Total revenue"
          value={formatRevenue(k.revenue.value ?? 0, k.revenue.currency)}
          change={k.revenue.change}
          {...(revenueTitle === "" ? {} : { title: revenueTitle })}
        />
        <KpiCard
          id="sessionConversion"
          label="Session-to-conversion rate"
          value={formatPercent(k.sessionConversionRate.value)}
          change={k.sessionConversionRate.change}
        />
        <KpiCard
          id="widgetEngagement"
          label="Widget engagement rate"
          value={formatPercent(k.widgetEngagementRate.value)}
          change={k.widgetEngagementRate.change}
        />
        <KpiCard
          id="ttfi"
          label="Time to first interaction"
          value={formatDuration(k.medianTimeToFirstInteractionMs.value)}
          change={k.medianTimeToFirstInteractionMs.change}
          lowerIsBetter
        />
        <KpiCard
          id="ttftc"
          label="Time to first tool call"
          value={formatDuration(k.medianTimeToFirstToolCallMs.value)}
          change={k.medianTimeToFirstToolCallMs.change}
          lowerIsBetter
        />
        <KpiCard
          id="sessionDuration"
          label="Avg session duration"
          value={formatDuration(k.avgSessionDurationMs.value)}
          change={k.avgSessionDurationMs.change}
        />
        <KpiCard
          id="identifiedShare"
          label="Identified sessions"
          value={formatPercent(k.identifiedSessionShare.value)}
          change={k.identifiedSessionShare.change}
        />
      </section>
      <div className="chart-grid section">
        <ChartPanel
          id="invocations"
          wide
          title="Invocations over time"
          summary={`Area chart of tool invocations per ${search.granularity ?? "period"}: ${formatCount(k.invocations.value)} in range`}
          table={{
            head: ["Period", "Invocations"],
            rows: invocations.map((p) => [formatAxisDate(p.bucket, isHourly(search)), p.count]),
          }}
        >
          {overview.invocationsOverTime.length === 0 ? (
            <p className="secondary plot-empty">No tool calls in this range.</p>
          ) : (
            <TimeSeriesChart
              mode="area"
              hourly={isHourly(search)}
              buckets={invocations.map((p) => p.bucket)}
              series={[
                {
                  label: "Invocations",
                  values: invocations.map((p) => p.count),
                  color: "var(--chart-0)",
                },
              ]}
            />
          )}
        </ChartPanel>
        <ChartPanel
          id="platforms"
          title="Platform breakdown"
          summary={`Donut of tool calls by platform: ${overview.platforms.map((p) => `${p.key} ${p.count}`).join(", ")}`}
        >
          {overview.platforms.length === 0 ? (
            <p className="secondary plot-empty">No tool calls.</p>
          ) : (
            <Donut slices={overview.platforms} />
          )}
        </ChartPanel>
        <ChartPanel
          id="topTools"
          interactive
          title="Top tools by invocation"
          summary={`Bars of the ten most called tools: ${overview.topTools.map((t) => `${t.key} ${t.count}`).join(", ")}`}
        >
          {overview.topTools.length === 0 ? (
            <p className="secondary plot-empty">No tool calls.</p>
          ) : (
            <BarList
              items={overview.topTools.map((t) => ({ key: t.key, value: t.count }))}
              label={(tool) => (
                <Link to="/$workspace/$project/tools/$tool" params={{ ...params, tool }} search={{}}>
                  {tool}
                </Link>
              )}
            />
          )}
        </ChartPanel>
      </div>
    </>
  )
}
