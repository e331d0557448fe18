import { createFileRoute } from "@tanstack/react-router"
import { ChartPanel } from "../../../../components/charts/ChartPanel"
import { PathsSankey } from "../../../../components/charts/PathsSankey"
import { FilterBar } from "../../../../components/views/FilterBar"
import { PageHeader } from "../../../../components/views/PageHeader"
import { EmptyState, ViewSkeleton, viewError } from "../../../../components/views/States"
import { useViewSearch } from "../../../../components/views/useViewSearch"
import { rpc } from "../../../../lib/rpc"
import { filterOf, loaderDepsOf, settleFilters, validateViewSearch } from "../../../../lib/views/search"

/**
 * Paths (dashboard.md §3.6): per-session sequences of tool calls and steps as a Sankey, depth 6,
 * ending at the conversion or `drop-off`; start / end filters; clicking a node starts paths there.
 */
export const Route = createFileRoute("/_app/$workspace/$project/paths")({
  validateSearch: validateViewSearch,
  loaderDeps: loaderDepsOf,
  loader: async ({ context, deps, cause, abortController }) => {
    await settleFilters({ cause, abortController })
    return rpc((c) =>
      c.paths({
        projectId: context.project.id,
        filter: filterOf(deps),
        ...(deps.startTool === undefined ? {} : { startTool: deps.startTool }),
        ...(deps.endTool === undefined ? {} : { endTool: deps.endTool }),
      }),
    )
  },
  head: () => ({ meta: [{ title: "Paths · Yavio" }] }),
  pendingComponent: () => <ViewSkeleton header={PathsHeader} kpis={0} charts={1} />,
  errorComponent: viewError(PathsHeader),
  component: PathsPage,
})

/** Title, start and end tools (suggesting the tools of the paths shown), filters. */
function PathsHeader({ names = [] }: { readonly names?: ReadonlyArray<string> } = {}) {
  const [search, set] = useViewSearch()
  return (
    <PageHeader title="Paths">
      <label className="filter">
        <span className="sr-only">Start</span>
        <input
          placeholder="Start tool"
          defaultValue={search.startTool ?? ""}
          list="path-names"
          onKeyDown={(e) => e.key === "Enter" && set({ startTool: e.currentTarget.value || undefined })}
          onBlur={(e) => set({ startTool: e.currentTarget.value || undefined })}
        />
      </label>
      <label className="filter">
        <span className="sr-only">End</span>
        <input
          placeholder="End tool or conversion"
          defaultValue={search.endTool ?? ""}
          list="path-names"
          onKeyDown={(e) => e.key === "Enter" && set({ endTool: e.currentTarget.value || undefined })}
          onBlur={(e) => set({ endTool: e.currentTarget.value || undefined })}
        />
      </label>
      <datalist id="path-names">
        {names.map((n) => (
          <option key={n} value={n} />
        ))}
      </datalist>
      <FilterBar trait />
    </PageHeader>
  )
}

function PathsPage() {
  const links = Route.useLoaderData()
  const [, set] = useViewSearch()
  const names = [...new Set(links.flatMap((l) => [l.from, l.to]))].sort()
  return (
    <>
      <PathsHeader names={names} />
      {links.length === 0 ? (
        <EmptyState title="Not enough activity to draw paths yet">
          Paths appear once sessions have at least two tool calls or steps.
        </EmptyState>
      ) : (
        <ChartPanel
          id="paths"
          wide
          title="Paths"
          summary={`Sankey of session paths: ${links.length} links; links into drop-off are highlighted`}
          table={{
            head: ["Depth", "From", "To", "Sessions"],
            rows: links.map((l) => [l.depth, l.from, l.to, l.sessions]),
          }}
        >
          <PathsSankey
            links={links}
            onNode={(name) => name !== "drop-off" && name !== "other" && set({ startTool: name })}
          />
        </ChartPanel>
      )}
    </>
  )
}
