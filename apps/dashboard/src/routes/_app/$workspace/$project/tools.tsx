import { createFileRoute, useNavigate } from "@tanstack/react-router"
import { CsvButton } from "../../../../components/views/CsvButton"
import { DataTable } from "../../../../components/views/DataTable"
import { FilterBar } from "../../../../components/views/FilterBar"
import { PageHeader } from "../../../../components/views/PageHeader"
import { EmptyState, SetupGuideLink, ViewSkeleton, viewError } from "../../../../components/views/States"
import { rpc } from "../../../../lib/rpc"
import { formatCount, formatLatency, formatPercent } from "../../../../lib/views/format"
import {
  filterOf,
  loaderDepsOf,
  pagingOf,
  settleFilters,
  validateViewSearch,
} from "../../../../lib/views/search"

/** Tool Explorer list (dashboard.md §3.3): every tool with its counts and rates, sortable and paged. */
export const Route = createFileRoute("/_app/$workspace/$project/tools")({
  validateSearch: validateViewSearch,
  loaderDeps: loaderDepsOf,
  loader: async ({ context, deps, cause, abortController }) => {
    await settleFilters({ cause, abortController })
    return rpc((c) =>
      c.tools({ projectId: context.project.id, filter: filterOf(deps), paging: pagingOf(deps) }),
    )
  },
  head: () => ({ meta: [{ title: "Tool Explorer · Yavio" }] }),
  pendingComponent: () => <ViewSkeleton header={ToolsHeader} kpis={0} charts={0} table />,
  errorComponent: viewError(ToolsHeader),
  component: ToolsPage,
})

function ToolsHeader() {
  const { project } = Route.useRouteContext()
  return (
    <PageHeader title="Tool Explorer">
      <FilterBar />
      <CsvButton projectId={project.id} table="tools" />
    </PageHeader>
  )
}

function ToolsPage() {
  const page = Route.useLoaderData()
  const params = Route.useParams()
  const navigate = useNavigate()
  const none = page.total === 0 || (page.page === 1 && page.rows.every((r) => r.invocations === 0))
  return (
    <>
      <ToolsHeader />
      {none ? (
        <EmptyState title="No tool calls yet" action={<SetupGuideLink />}>
          Wrap your MCP server with withYavio() and call a tool; it shows up here.
        </EmptyState>
      ) : null}
      {page.total === 0 ? null : (
        <section className="card section">
          <DataTable
            label="Tools"
            testId="tools"
            rows={page.rows}
            rowKey={(r) => r.tool}
            onRowClick={(r) =>
              void navigate({
                to: "/$workspace/$project/tools/$tool",
                params: { ...params, tool: r.tool },
                search: {},
              })
            }
            paged={{
              total: page.total,
              page: page.page,
              pageSize: page.pageSize,
              defaultSort: "invocations",
            }}
            columns={[
              { label: "Tool", sort: "tool", render: (r) => <span className="mono">{r.tool}</span> },
              {
                label: "Invocations",
                numeric: true,
                sort: "invocations",
                render: (r) => formatCount(r.invocations),
              },
              { label: "Rank", numeric: true, render: (r) => `#${r.rank}` },
              {
                label: "Success rate",
                numeric: true,
                sort: "successRate",
                render: (r) => formatPercent(r.successRate),
              },
              {
                label: "Error rate",
                numeric: true,
                sort: "errorRate",
                render: (r) => formatPercent(r.errorRate),
              },
              {
                label: "Avg latency",
                numeric: true,
                sort: "avgLatencyMs",
                render: (r) => formatLatency(r.avgLatencyMs),
              },
              {
                label: "p95 latency",
                numeric: true,
                sort: "p95LatencyMs",
                render: (r) => formatLatency(r.p95LatencyMs),
              },
              {
                label: "Zero-result rate",
                numeric: true,
                sort: "zeroResultRate",
                render: (r) => formatPercent(r.zeroResultRate),
              },
            ]}
          />
        </section>
      )}
    </>
  )
}
