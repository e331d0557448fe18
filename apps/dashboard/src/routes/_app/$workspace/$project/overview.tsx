import { createFileRoute } from "@tanstack/react-router"
import { rpc } from "../../../../lib/rpc"

/** Overview (dashboard.md §3.2). */
export const Route = createFileRoute("/_app/$workspace/$project/overview")({
  loader: ({ context }) => rpc((c) => c.overview({ projectId: context.project.id, filter: {} })),
  head: () => ({ meta: [{ title: "Overview · Yavio" }] }),
  pendingComponent: () => (
    <section className="kpi-grid" aria-busy="true">
      {[0, 1, 2, 3].map((i) => (
        <div key={i} className="card">
          <div className="skeleton" style={{ width: 96, height: 32 }} />
        </div>
      ))}
    </section>
  ),
  component: OverviewPage,
})

function OverviewPage() {
  const overview = Route.useLoaderData()
  return (
    <>
      <header className="page-header">
        <h1>Overview</h1>
      </header>
      <section className="kpi-grid" aria-label="Key figures">
        <div className="card">
          <div className="kpi-title">Invocations</div>
          <div className="kpi-value" data-kpi="invocations">
            {(overview.kpis.invocations.value ?? 0).toLocaleString("en-US")}
          </div>
        </div>
        <div className="card">
          <div className="kpi-title">Sessions</div>
          <div className="kpi-value" data-kpi="sessions">
            {(overview.kpis.sessions.value ?? 0).toLocaleString("en-US")}
          </div>
        </div>
      </section>
    </>
  )
}
