import { createFileRoute } from "@tanstack/react-router"
import { ChartPanel } from "../../../../components/charts/ChartPanel"
import { Donut } from "../../../../components/charts/Donut"
import { TimeSeriesChart } from "../../../../components/charts/TimeSeriesChart"
import { CsvButton } from "../../../../components/views/CsvButton"
import { DataTable } from "../../../../components/views/DataTable"
import { FilterBar } from "../../../../components/views/FilterBar"
import { KpiCard } from "../../../../components/views/KpiCard"
import { PageHeader } from "../../../../components/views/PageHeader"
import { EmptyState, FailedCard, ViewSkeleton, viewError } from "../../../../components/views/States"
import { TimelineDrawer } from "../../../../components/views/TimelineDrawer"
import { useViewSearch } from "../../../../components/views/useViewSearch"
import { rpc } from "../../../../lib/rpc"
import { formatAxisDate, formatCount, formatPercent, formatTimestamp } from "../../../../lib/views/format"
import {
  fillBuckets,
  filterOf,
  isHourly,
  loaderDepsOf,
  pagingOf,
  settleFilters,
  validateViewSearch,
} from "../../../../lib/views/search"
import { settleAll, type ValueOf } from "../../../../lib/views/settle"

const CATEGORIES = ["auth", "validation", "timeout", "rate_limit", "server", "unknown"] as const

/** Errors (dashboard.md §3.7): KPIs with trends, rate over time, categories, per-tool rates, grouped list. */
export const Route = createFileRoute("/_app/$workspace/$project/errors")({
  validateSearch: validateViewSearch,
  loaderDeps: loaderDepsOf,
  loader: async ({ context, deps, cause, abortController }) => {
    await settleFilters({ cause, abortController })
    const projectId = context.project.id
    const filter = filterOf(deps)
    const category = deps.errorCategory === undefined ? {} : { errorCategory: deps.errorCategory }
    return settleAll({
      view: rpc((c) => c.errors({ projectId, filter, ...category })),
      list: rpc((c) => c.errorList({ projectId, filter, paging: pagingOf(deps), ...category })),
    })
  },
  head: () => ({ meta: [{ title: "Errors · Yavio" }] }),
  pendingComponent: () => <ViewSkeleton header={ErrorsHeader} kpis={4} charts={2} table />,
  errorComponent: viewError(ErrorsHeader),
  component: ErrorsPage,
})

function ErrorsHeader() {
  const { project } = Route.useRouteContext()
  const [search, set] = useViewSearch()
  return (
    <PageHeader title="Errors">
      <label className="filter">
        <span className="sr-only">Error category</span>
        <select
          value={search.errorCategory ?? ""}
          onChange={(e) => set({ errorCategory: e.target.value === "" ? undefined : e.target.value }, true)}
        >
          <option value="">All categories</option>
          {CATEGORIES.map((c) => (
            <option key={c} value={c}>
              {c}
            </option>
          ))}
        </select>
      </label>
      <FilterBar granularity />
      <CsvButton projectId={project.id} table="errors" />
    </PageHeader>
  )
}

function ErrorsPage() {
  const { view, list } = Route.useLoaderData()
  const { project } = Route.useRouteContext()
  const none =
    view.ok &&
    (view.value.kpis.totalErrors.value ?? 0) === 0 &&
    (view.value.kpis.widgetErrors.value ?? 0) === 0
  return (
    <>
      <ErrorsHeader />
      {view.ok ? (
        <Summary view={view.value} none={none} />
      ) : (
        <FailedCard id="errors" title="Key figures and charts" error={view.error} />
      )}
      {none ? null : list.ok ? (
        <ErrorGroups list={list.value} />
      ) : (
        <FailedCard id="errorGroups" title="Errors by tool, category and message" error={list.error} />
      )}
      <TimelineDrawer projectId={project.id} />
    </>
  )
}

type Loaded = (typeof Route)["types"]["loaderData"]

/** KPIs with trends, rate over time, categories and per-tool rates: the Errors query. */
function Summary({ view, none }: { readonly view: ValueOf<Loaded["view"]>; readonly none: boolean }) {
  const search = Route.useSearch()
  const k = view.kpis
  const rate = fillBuckets(view.rateOverTime, search, (bucket) => ({
    bucket,
    calls: 0,
    errors: 0,
    errorRate: null,
  }))
  return (
    <>
      <section className="kpi-grid section" aria-label="Key figures">
        <KpiCard
          id="totalErrors"
          label="Total errors"
          value={formatCount(k.totalErrors.value)}
          change={k.totalErrors.change}
          lowerIsBetter
        />
        <KpiCard
          id="errorRate"
          label="Error rate"
          value={formatPercent(k.errorRate.value)}
          change={k.errorRate.change}
          lowerIsBetter
        />
        <KpiCard
          id="retrySuccess"
          label="Retry success rate"
          value={formatPercent(k.retrySuccessRate.value)}
          change={k.retrySuccessRate.change}
        />
        <KpiCard
          id="widgetErrors"
          label="Widget errors"
          value={formatCount(k.widgetErrors.value)}
          change={k.widgetErrors.change}
          lowerIsBetter
        />
      </section>
      {none ? (
        <EmptyState title="No errors in this period" />
      ) : (
        <div className="chart-grid section">
          <ChartPanel
            id="errorRate"
            wide
            title="Error rate over time"
            summary={`Area of the error rate per period; ${formatPercent(k.errorRate.value)} overall`}
            table={{
              head: ["Period", "Calls", "Errors", "Error rate"],
              rows: rate.map((p) => [
                formatAxisDate(p.bucket, isHourly(search)),
                p.calls,
                p.errors,
                formatPercent(p.errorRate),
              ]),
            }}
          >
            <TimeSeriesChart
              mode="area"
              hourly={isHourly(search)}
              format={(n) => formatPercent(n)}
              buckets={rate.map((p) => p.bucket)}
              series={[
                {
                  label: "Error rate",
                  values: rate.map((p) => p.errorRate ?? 0),
                  color: "var(--error)",
                },
              ]}
            />
          </ChartPanel>
          <ChartPanel
            id="categories"
            title="Categories"
            summary={`Donut of errors by category: ${view.categories.map((c) => `${c.key} ${c.count}`).join(", ")}`}
          >
            <Donut slices={view.categories} />
          </ChartPanel>
          <section className="card span-2" data-chart="perTool">
            <h2 className="card-title">Per-tool error rates</h2>
            <DataTable
              label="Per-tool error rates"
              testId="perTool"
              rows={view.perTool}
              rowKey={(r) => r.tool}
              columns={[
                { label: "Tool", render: (r) => <span className="mono">{r.tool}</span> },
                { label: "Calls", numeric: true, render: (r) => formatCount(r.calls) },
                { label: "Errors", numeric: true, render: (r) => formatCount(r.errors) },
                { label: "Error rate", numeric: true, render: (r) => formatPercent(r.errorRate) },
              ]}
            />
          </section>
        </div>
      )}
    </>
  )
}

/** The grouped error list, a page of it (last trace → the timeline drawer). */
function ErrorGroups({ list }: { readonly list: ValueOf<Loaded["list"]> }) {
  const [, set] = useViewSearch()
  return (
    <section className="card section">
      <h2 className="card-title">Errors by tool, category and message</h2>
      <DataTable
        label="Error groups"
        testId="errorGroups"
        rows={list.rows}
        rowKey={(r) => `${r.tool}|${r.category}|${r.message}`}
        paged={{ total: list.total, page: list.page, pageSize: list.pageSize, defaultSort: "count" }}
        columns={[
          { label: "Tool", render: (r) => <span className="mono">{r.tool}</span> },
          { label: "Category", render: (r) => <span className="badge error">{r.category}</span> },
          { label: "Message", render: (r) => r.message },
          { label: "Count", numeric: true, sort: "count", render: (r) => formatCount(r.count) },
          { label: "First seen", sort: "firstSeen", render: (r) => formatTimestamp(r.firstSeen) },
          { label: "Last seen", sort: "lastSeen", render: (r) => formatTimestamp(r.lastSeen) },
          {
            label: "Last trace",
            render: (r) =>
              r.lastTraceId === null ? (
                "—"
              ) : (
                <button
                  type="button"
                  className="link-button mono"
                  onClick={() => set({ trace: r.lastTraceId ?? undefined })}
                >
                  {r.lastTraceId.slice(0, 12)}…
                </button>
              ),
          },
        ]}
      />
    </section>
  )
}
