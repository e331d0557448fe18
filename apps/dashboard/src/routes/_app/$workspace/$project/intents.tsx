import { createFileRoute } from "@tanstack/react-router"
import { DataTable } from "../../../../components/views/DataTable"
import { FilterBar } from "../../../../components/views/FilterBar"
import { PageHeader } from "../../../../components/views/PageHeader"
import { EmptyState, ViewSkeleton, viewError } from "../../../../components/views/States"
import { useViewSearch } from "../../../../components/views/useViewSearch"
import { rpc } from "../../../../lib/rpc"
import { formatCount, formatPercent, formatTimestamp } from "../../../../lib/views/format"
import { filterOf, loaderDepsOf, settleFilters, validateViewSearch } from "../../../../lib/views/search"

/**
 * Intents (our decision): what callers said they wanted, from the SDK's intent capture (the
 * `context` parameter, or the `inferred` fallback). Per tool the share of calls with an intent;
 * then the most frequent texts, optionally for one tool (`?tool=`).
 */
export const Route = createFileRoute("/_app/$workspace/$project/intents")({
  validateSearch: validateViewSearch,
  loaderDeps: loaderDepsOf,
  loader: async ({ context, deps, cause, abortController }) => {
    await settleFilters({ cause, abortController })
    return rpc((c) =>
      c.intents({
        projectId: context.project.id,
        filter: filterOf(deps),
        ...(deps.tool === undefined ? {} : { tool: deps.tool }),
      }),
    )
  },
  head: () => ({ meta: [{ title: "Intents · Yavio" }] }),
  pendingComponent: () => <ViewSkeleton header={IntentsHeader} kpis={0} charts={0} table />,
  errorComponent: viewError(IntentsHeader),
  component: IntentsPage,
})

/** Title, the tool picker (the tools with calls in range), filters. */
function IntentsHeader({ tools = [] }: { readonly tools?: ReadonlyArray<string> } = {}) {
  const [search, set] = useViewSearch()
  // The chosen tool stays an option (no calls in range, or the view failed): otherwise the select
  // shows "All tools" while the filter holds, and picking "All tools" changes nothing.
  const options = search.tool !== undefined && !tools.includes(search.tool) ? [search.tool, ...tools] : tools
  return (
    <PageHeader title="Intents">
      <label className="filter">
        <span className="sr-only">Tool</span>
        <select
          value={search.tool ?? ""}
          onChange={(e) => set({ tool: e.target.value === "" ? undefined : e.target.value })}
        >
          <option value="">All tools</option>
          {options.map((tool) => (
            <option key={tool} value={tool}>
              {tool}
            </option>
          ))}
        </select>
      </label>
      <FilterBar />
    </PageHeader>
  )
}

function IntentsPage() {
  const { coverage, top } = Route.useLoaderData()
  const [search, set] = useViewSearch()
  const captured = coverage.some((c) => c.withIntent > 0)
  return (
    <>
      <IntentsHeader tools={coverage.map((c) => c.tool)} />
      {captured ? null : (
        <EmptyState title="No intents captured yet">
          Turn on intent capture with <code>withYavio(server, {"{ intent: true }"})</code>: every tool then
          takes an optional <code>context</code> argument in which the assistant says why it calls the tool.
        </EmptyState>
      )}
      {coverage.length === 0 ? null : (
        <section className="card section">
          <h2 className="card-title">Calls with an intent, per tool</h2>
          <DataTable
            label="Intent coverage"
            testId="intentCoverage"
            rows={coverage}
            rowKey={(r) => r.tool}
            onRowClick={(r) => set({ tool: r.tool })}
            columns={[
              { label: "Tool", render: (r) => <span className="mono">{r.tool}</span> },
              { label: "Calls", numeric: true, render: (r) => formatCount(r.calls) },
              { label: "With intent", numeric: true, render: (r) => formatCount(r.withIntent) },
              { label: "Share", numeric: true, render: (r) => formatPercent(r.share) },
            ]}
          />
        </section>
      )}
      {top.length === 0 ? null : (
        <section className="card section">
          <h2 className="card-title">
            Most frequent intents{search.tool === undefined ? "" : ` for ${search.tool}`}
          </h2>
          <DataTable
            label="Intents"
            testId="intents"
            rows={top}
            rowKey={(r) => `${r.tool}|${r.source}|${r.text}`}
            columns={[
              { label: "Intent", render: (r) => r.text },
              { label: "Tool", render: (r) => <span className="mono">{r.tool}</span> },
              {
                label: "Source",
                render: (r) => (
                  <span className="badge outline">{r.source === "inferred" ? "inferred" : "context"}</span>
                ),
              },
              { label: "Calls", numeric: true, render: (r) => formatCount(r.count) },
              { label: "Last seen", render: (r) => formatTimestamp(r.lastSeen) },
            ]}
          />
        </section>
      )}
    </>
  )
}
