import { createFileRoute, Link } from "@tanstack/react-router"
import { BarList } from "../../../../components/charts/BarList"
import { ChartPanel } from "../../../../components/charts/ChartPanel"
import { Donut } from "../../../../components/charts/Donut"
import { Histogram } from "../../../../components/charts/Histogram"
import { TimeSeriesChart } from "../../../../components/charts/TimeSeriesChart"
import { DataTable } from "../../../../components/views/DataTable"
import { FilterBar } from "../../../../components/views/FilterBar"
import { KpiCard } from "../../../../components/views/KpiCard"
import { PageHeader } from "../../../../components/views/PageHeader"
import { EmptyState, ViewSkeleton, viewError } from "../../../../components/views/States"
import { rpc } from "../../../../lib/rpc"
import {
  formatAxisDate,
  formatBytes,
  formatCount,
  formatLatency,
  formatPercent,
} from "../../../../lib/views/format"
import {
  fillBuckets,
  filterOf,
  isHourly,
  loaderDepsOf,
  settleFilters,
  validateViewSearch,
} from "../../../../lib/views/search"

const binLabel = (fromMs: number, toMs: number | null) => {
  const ms = (n: number) => (n >= 1000 ? `${n / 1000}s` : `${n}`)
  return toMs === null ? `>${ms(fromMs)}` : `${ms(fromMs)}–${ms(toMs)}`
}
const keysLabel = (keys: ReadonlyArray<string>) => (keys.length === 0 ? "(no inputs)" : keys.join(" + "))

/** Tool detail (dashboard.md §3.3): KPIs with percentiles, latency histogram, errors, parameters, results. */
export const Route = createFileRoute("/_app/$workspace/$project/tools_/$tool")({
  validateSearch: validateViewSearch,
  loaderDeps: loaderDepsOf,
  loader: async ({ context, deps, params, cause, abortController }) => {
    await settleFilters({ cause, abortController })
    return rpc((c) =>
      c.toolDetail({ projectId: context.project.id, filter: filterOf(deps), tool: params.tool }),
    )
  },
  head: ({ params }) => ({ meta: [{ title: `${params.tool} · Tool Explorer · Yavio` }] }),
  pendingComponent: () => <ViewSkeleton header={ToolHeader} kpis={9} charts={2} />,
  errorComponent: viewError(ToolHeader),
  component: ToolPage,
})

function ToolHeader() {
  const params = Route.useParams()
  return (
    <PageHeader
      title={params.tool}
      crumbs={
        <>
          <Link to="/$workspace/$project/tools" params={params} search={{}}>
            Tool Explorer
          </Link>{" "}
          / <span className="mono">{params.tool}</span>
        </>
      }
    >
      <FilterBar granularity />
    </PageHeader>
  )
}

function ToolPage() {
  const d = Route.useLoaderData()
  const params = Route.useParams()
  const search = Route.useSearch()
  const k = d.kpis
  const overTime = fillBuckets(d.errorsOverTime, search, (bucket) => ({ bucket, success: 0, error: 0 }))
  return (
    <>
      <ToolHeader />
      {k.invocations === 0 ? (
        <EmptyState title="No calls of this tool in this range">
          Pick a longer range or another platform.
        </EmptyState>
      ) : null}
      <section className="kpi-grid section" aria-label="Key figures">
        <KpiCard id="invocations" label="Invocations" value={formatCount(k.invocations)} />
        <KpiCard id="errorRate" label="Error rate" value={formatPercent(k.errorRate)} />
        <KpiCard id="avgLatency" label="Avg latency" value={formatLatency(k.avgLatencyMs)} />
        <KpiCard id="p50" label="Latency p50" value={formatLatency(k.p50LatencyMs)} />
        <KpiCard id="p95" label="Latency p95" value={formatLatency(k.p95LatencyMs)} />
        <KpiCard id="p99" label="Latency p99" value={formatLatency(k.p99LatencyMs)} />
        <KpiCard id="responseSize" label="Avg response size" value={formatBytes(k.avgResponseBytes)} />
        <KpiCard id="zeroResult" label="Zero-result rate" value={formatPercent(k.zeroResultRate)} />
        <KpiCard
          id="discovery"
          label="Discovery → invocation"
          value={formatPercent(k.discoveryToInvocation)}
        />
      </section>
      <div className="chart-grid section">
        <ChartPanel
          id="latency"
          wide
          title="Latency distribution"
          summary={`Histogram of ${params.tool} latency: p50 ${formatLatency(k.p50LatencyMs)}, p95 ${formatLatency(k.p95LatencyMs)}`}
          table={{
            head: ["Latency (ms)", "Calls"],
            rows: d.latencyHistogram.map((b) => [binLabel(b.fromMs, b.toMs), b.count]),
          }}
        >
          <Histogram
            bins={d.latencyHistogram.map((b) => ({ label: binLabel(b.fromMs, b.toMs), count: b.count }))}
          />
        </ChartPanel>
        <ChartPanel
          id="errorsOverTime"
          title="Errors over time"
          summary={`Stacked area of successful and failed calls of ${params.tool}; error rate ${formatPercent(k.errorRate)}`}
          table={{
            head: ["Period", "Success", "Error"],
            rows: overTime.map((p) => [formatAxisDate(p.bucket, isHourly(search)), p.success, p.error]),
          }}
        >
          {overTime.length === 0 ? (
            <p className="secondary plot-empty">No calls.</p>
          ) : (
            <TimeSeriesChart
              mode="stacked"
              hourly={isHourly(search)}
              buckets={overTime.map((p) => p.bucket)}
              series={[
                { label: "Success", values: overTime.map((p) => p.success), color: "var(--success)" },
                { label: "Error", values: overTime.map((p) => p.error), color: "var(--error)" },
              ]}
            />
          )}
        </ChartPanel>
        <ChartPanel
          id="errorCategories"
          title="Error categories"
          summary={`Donut of ${params.tool} errors by category`}
        >
          {d.errorCategories.length === 0 ? (
            <p className="secondary plot-empty">No errors.</p>
          ) : (
            <Donut slices={d.errorCategories} />
          )}
        </ChartPanel>
        <ChartPanel id="contentTypes" title="Content types" summary="Donut of result content types">
          {d.contentTypes.length === 0 ? (
            <p className="secondary plot-empty">No content types recorded.</p>
          ) : (
            <Donut slices={d.contentTypes} />
          )}
        </ChartPanel>
        <ChartPanel
          id="fillRates"
          title="Parameter fill rates"
          summary="Bars of how often each input key is given"
        >
          {d.fillRates.length === 0 ? (
            <p className="secondary plot-empty">No inputs recorded.</p>
          ) : (
            <BarList
              items={d.fillRates.map((f) => ({ key: f.key, value: f.rate }))}
              format={formatPercent}
              max={1}
            />
          )}
        </ChartPanel>
        <section className="card span-2" data-chart="combinations">
          <h2 className="card-title">Parameter combinations</h2>
          <DataTable
            label="Parameter combinations"
            rows={d.combinations}
            rowKey={(r) => keysLabel(r.keys)}
            columns={[
              { label: "Keys", render: (r) => <span className="mono">{keysLabel(r.keys)}</span> },
              { label: "Calls", numeric: true, render: (r) => formatCount(r.count) },
            ]}
          />
        </section>
        <section className="card span-2" data-chart="topValues">
          <h2 className="card-title">Top values per parameter</h2>
          <DataTable
            label="Top values per parameter"
            rows={d.topValues}
            rowKey={(r) => `${r.key}=${r.value}`}
            columns={[
              { label: "Parameter", render: (r) => <span className="mono">{r.key}</span> },
              { label: "Value", render: (r) => <span className="mono">{r.value}</span> },
              { label: "Calls", numeric: true, render: (r) => formatCount(r.count) },
            ]}
          />
        </section>
        <section className="card span-2" data-chart="zeroResultByPattern">
          <h2 className="card-title">Zero results by input pattern</h2>
          <DataTable
            label="Zero results by input pattern"
            rows={d.zeroResultByPattern}
            rowKey={(r) => keysLabel(r.keys)}
            columns={[
              { label: "Keys", render: (r) => <span className="mono">{keysLabel(r.keys)}</span> },
              { label: "Calls", numeric: true, render: (r) => formatCount(r.calls) },
              { label: "Zero-result rate", numeric: true, render: (r) => formatPercent(r.zeroResultRate) },
            ]}
          />
        </section>
      </div>
    </>
  )
}
