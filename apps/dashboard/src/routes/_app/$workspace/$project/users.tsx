import { createFileRoute, useNavigate } from "@tanstack/react-router"
import { BarList } from "../../../../components/charts/BarList"
import { ChartPanel } from "../../../../components/charts/ChartPanel"
import { RetentionHeatmap } from "../../../../components/charts/RetentionHeatmap"
import { TimeSeriesChart } from "../../../../components/charts/TimeSeriesChart"
import { ActiveUsersPanel } from "../../../../components/views/ActiveUsersPanel"
import { CsvButton } from "../../../../components/views/CsvButton"
import { DataTable } from "../../../../components/views/DataTable"
import { FilterBar } from "../../../../components/views/FilterBar"
import { KpiCard } from "../../../../components/views/KpiCard"
import { PageHeader } from "../../../../components/views/PageHeader"
import {
  EmptyState,
  FailedCard,
  FailedKpiCard,
  ViewSkeleton,
  viewError,
} from "../../../../components/views/States"
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
import { settleAll, type ValueOf } from "../../../../lib/views/settle"

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
    return settleAll({
      view: rpc((c) => c.users({ projectId, filter })),
      list: rpc((c) => c.userList({ projectId, filter, paging: pagingOf(deps) })),
      retention: rpc((c) =>
        c.retention({ projectId, filter, ...(deps.period === undefined ? {} : { period: deps.period }) }),
      ),
      stickiness: rpc((c) =>
        c.stickiness({ projectId, filter, per: deps.period === "month" ? "month" : "week" }),
      ),
      identifiedShare: rpc((c) => c.identifiedShare({ projectId, filter })),
    })
  },
  head: () => ({ meta: [{ title: "Users · Yavio" }] }),
  pendingComponent: () => <ViewSkeleton header={UsersHeader} kpis={4} charts={2} table />,
  errorComponent: viewError(UsersHeader),
  component: UsersPage,
})

function UsersHeader() {
  const { project } = Route.useRouteContext()
  return (
    <PageHeader title="Users">
      <FilterBar trait />
      <CsvButton projectId={project.id} table="users" />
    </PageHeader>
  )
}

function UsersPage() {
  const { view, list, retention, stickiness, identifiedShare } = Route.useLoaderData()
  const [search, set] = useViewSearch()
  const period = search.period ?? "week"
  // The cohort period also sets stickiness's "per week / month": it stays when retention failed.
  const periodPicker = (
    <label className="filter">
      <span className="sr-only">Cohort period</span>
      <select value={period} onChange={(e) => set({ period: e.target.value as "day" | "week" | "month" })}>
        <option value="day">Daily</option>
        <option value="week">Weekly</option>
        <option value="month">Monthly</option>
      </select>
    </label>
  )
  return (
    <>
      <UsersHeader />
      {view.ok && list.ok && view.value.kpis.activeUsers === 0 && list.value.total === 0 ? (
        <EmptyState title="No identified users yet">
          These views need identify(): call <code>yavio.identify(userId, traits)</code> on the server or{" "}
          <code>useYavio().identify(userId)</code> in the widget. Anonymous sessions are counted apart.
        </EmptyState>
      ) : null}
      <section className="kpi-grid section" aria-label="Key figures">
        {view.ok ? (
          <>
            <KpiCard id="activeUsers" label="Active users" value={formatCount(view.value.kpis.activeUsers)} />
            <KpiCard id="newUsers" label="New users" value={formatCount(view.value.kpis.newUsers)} />
            <KpiCard
              id="returningUsers"
              label="Returning users"
              value={formatCount(view.value.kpis.returningUsers)}
            />
          </>
        ) : (
          <>
            <FailedKpiCard id="activeUsers" label="Active users" error={view.error} />
            <FailedKpiCard id="newUsers" label="New users" error={view.error} quiet />
            <FailedKpiCard id="returningUsers" label="Returning users" error={view.error} quiet />
          </>
        )}
        {identifiedShare.ok ? (
          <KpiCard
            id="identifiedShare"
            label="Identified sessions"
            value={formatPercent(identifiedShare.value.value)}
            change={identifiedShare.value.change}
          />
        ) : (
          <FailedKpiCard id="identifiedShare" label="Identified sessions" error={identifiedShare.error} />
        )}
      </section>
      <div className="chart-grid section">
        {view.ok ? (
          <Activity view={view.value} />
        ) : (
          <>
            <FailedCard id="activeUsers" span="all" title="DAU / WAU / MAU" error={view.error} quiet />
            <FailedCard id="newVsReturning" span="all" title="New vs returning" error={view.error} quiet />
          </>
        )}
        {retention.ok ? (
          <ChartPanel
            id="retention"
            wide
            title="Retention"
            summary={`Retention heatmap by ${period} cohort: ${retention.value.length} cohorts`}
            actions={periodPicker}
          >
            {retention.value.length === 0 ? (
              <p className="secondary plot-empty">No cohorts in this range.</p>
            ) : (
              <RetentionHeatmap cohorts={retention.value} period={period} />
            )}
          </ChartPanel>
        ) : (
          <FailedCard
            id="retention"
            span="all"
            title="Retention"
            error={retention.error}
            actions={periodPicker}
          />
        )}
        {stickiness.ok ? (
          <ChartPanel
            id="stickiness"
            title={`Stickiness (active days per ${period === "month" ? "month" : "week"})`}
            summary="Bars of users by number of distinct active days"
          >
            <BarList
              items={stickiness.value.map((b) => ({
                key: `${b.days} day${b.days === 1 ? "" : "s"}`,
                value: b.users,
              }))}
            />
          </ChartPanel>
        ) : (
          <FailedCard
            id="stickiness"
            span="half"
            title={`Stickiness (active days per ${period === "month" ? "month" : "week"})`}
            error={stickiness.error}
          />
        )}
      </div>
      {list.ok ? (
        <UserList list={list.value} />
      ) : (
        <FailedCard id="users" title="Identified users" error={list.error} />
      )}
    </>
  )
}

type Loaded = (typeof Route)["types"]["loaderData"]

/** DAU/WAU/MAU and new vs returning: the Users query. */
function Activity({ view }: { readonly view: ValueOf<Loaded["view"]> }) {
  const search = Route.useSearch()
  const newVsReturning = fillBuckets(view.newVsReturning, search, (bucket) => ({
    bucket,
    newUsers: 0,
    returningUsers: 0,
  }))
  return (
    <>
      <ActiveUsersPanel users={view} />
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
    </>
  )
}

/** The identified users, a page of them (row → user detail). */
function UserList({ list }: { readonly list: ValueOf<Loaded["list"]> }) {
  const params = Route.useParams()
  const navigate = useNavigate()
  return (
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
  )
}
