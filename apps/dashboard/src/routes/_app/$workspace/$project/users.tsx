import { createFileRoute, useNavigate } from "@tanstack/react-router"
import { BarList } from "../../../../components/charts/BarList"
import { ChartPanel } from "../../../../components/charts/ChartPanel"
import { RetentionHeatmap } from "../../../../components/charts/RetentionHeatmap"
import { TimeSeriesChart } from "../../../../components/charts/TimeSeriesChart"
import { CsvButton } from "../../../../components/views/CsvButton"
import { DataTable } from "../../../../components/views/DataTable"
import { FilterBar } from "../../../../components/views/FilterBar"
import { KpiCard } from "../../../../components/views/KpiCard"
import { PageHeader } from "../../../../components/views/PageHeader"
import { EmptyState, ViewError, ViewSkeleton } from "../../../../components/views/States"
import { useViewSearch } from "../../../../components/views/useViewSearch"
import { rpc } from "../../../../lib/rpc"
import {
  formatAxisDate,
  formatCount,
  formatPercent,
  formatRevenue,
  formatTimestamp,
} from "../../../../lib/views/format"
import {
  fillBuckets,
  filterOf,
  loaderDepsOf,
  pagingOf,
  settleFilters,
  validateViewSearch,
} from "../../../../lib/views/search"

const revenueText = (byCurrency: Readonly<Record<string, number>>) => {
  const entries = Object.entries(byCurrency)
  return entries.length === 0 ? "—" : entries.map(([c, v]) => formatRevenue(v, c)).join(" · ")
}

/**
 * Users (dashboard.md §3.5): active / new / returning users and the identified-session share,
 * DAU/WAU/MAU, new vs returning, the retention heatmap (day / week / month cohorts), stickiness,
 * and the user list (row → user detail).
 */
export const Route = createFileRoute("/_app/$workspace/$project/users")({
  validateSearch: validateViewSearch,
  loaderDeps: loaderDepsOf,
  loader: async ({ context, deps, cause, abortController }) => {
    await settleFilters({ cause, abortController })
    const projectId = context.project.id
    const filter = filterOf(deps)
    const [view, list, retention, stickiness, overview] = await Promise.all([
      rpc((c) => c.users({ projectId, filter })),
      rpc((c) => c.userList({ projectId, filter, paging: pagingOf(deps) })),
      rpc((c) =>
        c.retention({ projectId, filter, ...(deps.period === undefined ? {} : { period: deps.period }) }),
      ),
      rpc((c) => c.stickiness({ projectId, filter, per: deps.period === "month" ? "month" : "week" })),
      rpc((c) => c.overview({ projectId, filter })),
    ])
    return { view, list, retention, stickiness, identifiedShare: overview.kpis.identifiedSessionShare }
  },
  head: () => ({ meta: [{ title: "Users · Yavio" }] }),
  pendingComponent: () => <ViewSkeleton kpis={4} charts={2} table />,
  errorComponent: ViewError,
  component: UsersPage,
})

function UsersPage() {
  const { view, list, retention, stickiness, identifiedShare } = Route.useLoaderData()
  const { project } = Route.useRouteContext()
  const params = Route.useParams()
  const navigate = useNavigate()
  const [search, set] = useViewSearch()
  const period = search.period ?? "week"
  const daily = { ...search, granularity: "day" as const }
  const active = fillBuckets(
    view.active.map((d) => ({ ...d, bucket: d.day })),
    daily,
    (bucket) => ({ bucket, day: bucket, dau: 0, wau: 0, mau: 0 }),
  )
  const newVsReturning = fillBuckets(view.newVsReturning, search, (bucket) => ({
    bucket,
    newUsers: 0,
    returningUsers: 0,
  }))
  return (
    <>
      <PageHeader title="Users">
        <FilterBar trait />
        <CsvButton projectId={project.id} table="users" />
      </PageHeader>
      {view.kpis.activeUsers === 0 && list.total === 0 ? (
        <EmptyState title="No identified users yet">
          These views need identify(): call <code>yavio.identify(userId, traits)</code> on the server or{" "}
          <code>useYavio().identify(userId)</code> in the widget. Anonymous sessions are counted apart.
        </EmptyState>
      ) : null}
      <section className="kpi-grid section" aria-label="Key figures">
        <KpiCard id="activeUsers" label="Active users" value={formatCount(view.kpis.activeUsers)} />
        <KpiCard id="newUsers" label="New users" value={formatCount(view.kpis.newUsers)} />
        <KpiCard id="returningUsers" label="Returning users" value={formatCount(view.kpis.returningUsers)} />
        <KpiCard
          id="identifiedShare"
          label="Identified sessions"
          value={formatPercent(identifiedShare.value)}
          change={identifiedShare.change}
        />
      </section>
      <div className="chart-grid section">
        <ChartPanel
          id="activeUsers"
          wide
          title="DAU / WAU / MAU"
          summary="Lines of daily, trailing 7-day and trailing 30-day active users"
          table={{
            head: ["Day", "DAU", "WAU", "MAU"],
            rows: active.map((d) => [formatAxisDate(d.day), d.dau, d.wau, d.mau]),
          }}
        >
          {active.length === 0 ? (
            <p className="secondary plot-empty">No identified activity.</p>
          ) : (
            <TimeSeriesChart
              mode="lines"
              buckets={active.map((d) => d.day)}
              series={[
                { label: "DAU", values: active.map((d) => d.dau), color: "var(--chart-0)" },
                { label: "WAU", values: active.map((d) => d.wau), color: "var(--chart-1)" },
                { label: "MAU", values: active.map((d) => d.mau), color: "var(--chart-2)" },
              ]}
            />
          )}
        </ChartPanel>
        <ChartPanel
          id="newVsReturning"
          wide
          title="New vs returning"
          summary="Stacked area of new and returning users per period"
          table={{
            head: ["Period", "New", "Returning"],
            rows: newVsReturning.map((p) => [formatAxisDate(p.bucket), p.newUsers, p.returningUsers]),
          }}
        >
          {newVsReturning.length === 0 ? (
            <p className="secondary plot-empty">No identified activity.</p>
          ) : (
            <TimeSeriesChart
              mode="stacked"
              buckets={newVsReturning.map((p) => p.bucket)}
              series={[
                { label: "New", values: newVsReturning.map((p) => p.newUsers), color: "var(--chart-0)" },
                {
                  label: "Returning",
                  values: newVsReturning.map((p) => p.returningUsers),
                  color: "var(--chart-2)",
                },
              ]}
            />
          )}
        </ChartPanel>
        <ChartPanel
          id="retention"
          wide
          title="Retention"
          summary={`Retention heatmap by ${period} cohort: ${retention.length} cohorts`}
          actions={
            <label className="filter">
              <span className="sr-only">Cohort period</span>
              <select
                value={period}
                onChange={(e) => set({ period: e.target.value as "day" | "week" | "month" })}
              >
                <option value="day">Daily</option>
                <option value="week">Weekly</option>
                <option value="month">Monthly</option>
              </select>
            </label>
          }
        >
          {retention.length === 0 ? (
            <p className="secondary plot-empty">No cohorts in this range.</p>
          ) : (
            <RetentionHeatmap cohorts={retention} period={period} />
          )}
        </ChartPanel>
        <ChartPanel
          id="stickiness"
          title={`Stickiness (active days per ${period === "month" ? "month" : "week"})`}
          summary="Bars of users by number of distinct active days"
        >
          <BarList
            items={stickiness.map((b) => ({
              key: `${b.days} day${b.days === 1 ? "" : "s"}`,
              value: b.users,
            }))}
          />
        </ChartPanel>
      </div>
      <section className="card section">
        <h2 className="card-title">Identified users</h2>
        <DataTable
          label="Users"
          testId="users"
          rows={list.rows}
          rowKey={(r) => r.userId}
          onRowClick={(r) =>
            void navigate({
              to: "/$workspace/$project/users/$userId",
              params: { ...params, userId: r.userId },
              search: {},
            })
          }
          paged={{ total: list.total, page: list.page, pageSize: list.pageSize, defaultSort: "lastSeen" }}
          columns={[
            { label: "User", sort: "userId", render: (r) => <span className="mono">{r.userId}</span> },
            { label: "Sessions", numeric: true, sort: "sessions", render: (r) => formatCount(r.sessions) },
            {
              label: "Tool calls",
              numeric: true,
              sort: "toolCalls",
              render: (r) => formatCount(r.toolCalls),
            },
            {
              label: "Conversions",
              numeric: true,
              sort: "conversions",
              render: (r) => formatCount(r.conversions),
            },
            { label: "Revenue", numeric: true, render: (r) => revenueText(r.revenue) },
            { label: "First seen", sort: "firstSeen", render: (r) => formatTimestamp(r.firstSeen) },
            { label: "Last seen", sort: "lastSeen", render: (r) => formatTimestamp(r.lastSeen) },
          ]}
        />
      </section>
    </>
  )
}
