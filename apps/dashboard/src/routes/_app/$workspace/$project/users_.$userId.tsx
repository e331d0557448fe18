import { createFileRoute, Link } from "@tanstack/react-router"
import { KpiCard } from "../../../../components/views/KpiCard"
import { PageHeader } from "../../../../components/views/PageHeader"
import { EmptyState, ViewSkeleton, viewError } from "../../../../components/views/States"
import { TimelineDrawer } from "../../../../components/views/TimelineDrawer"
import { useViewSearch } from "../../../../components/views/useViewSearch"
import { rpc } from "../../../../lib/rpc"
import { eventKind } from "../../../../lib/views/eventKind"
import { formatCount, formatRevenue, formatTimestamp } from "../../../../lib/views/format"
import { validateViewSearch } from "../../../../lib/views/search"

/** User detail (dashboard.md §3.5): latest traits, first/last seen, totals, every event by session (newest first). */
export const Route = createFileRoute("/_app/$workspace/$project/users_/$userId")({
  validateSearch: validateViewSearch,
  loader: ({ context, params }) =>
    rpc((c) => c.userDetail({ projectId: context.project.id, userId: params.userId })),
  head: ({ params }) => ({ meta: [{ title: `${params.userId} · Users · Yavio` }] }),
  pendingComponent: () => <ViewSkeleton header={UserHeader} kpis={4} charts={0} table />,
  errorComponent: viewError(UserHeader),
  component: UserPage,
})

function UserHeader() {
  const params = Route.useParams()
  const crumbs = (
    <>
      <Link to="/$workspace/$project/users" params={params} search={{}}>
        Users
      </Link>{" "}
      / <span className="mono">{params.userId}</span>
    </>
  )
  return <PageHeader title={params.userId} crumbs={crumbs} />
}

function UserPage() {
  const user = Route.useLoaderData()
  const params = Route.useParams()
  const { project } = Route.useRouteContext()
  const [, set] = useViewSearch()
  if (user === null) {
    return (
      <>
        <UserHeader />
        <EmptyState title="No such user">
          This project has no events identified as {params.userId}.
        </EmptyState>
      </>
    )
  }
  const revenue = Object.entries(user.revenue)
  return (
    <>
      <UserHeader />
      <section className="kpi-grid section" aria-label="Totals">
        <KpiCard id="sessions" label="Sessions" value={formatCount(user.sessions)} />
        <KpiCard id="toolCalls" label="Tool calls" value={formatCount(user.toolCalls)} />
        <KpiCard id="conversions" label="Conversions" value={formatCount(user.conversions)} />
        <KpiCard
          id="revenue"
          label="Revenue"
          value={revenue.length === 0 ? "—" : revenue.map(([c, v]) => formatRevenue(v, c)).join(" · ")}
        />
      </section>
      <section className="card section user-facts">
        <dl className="facts">
          <dt>First seen</dt>
          <dd>{formatTimestamp(user.firstSeen)}</dd>
          <dt>Last seen</dt>
          <dd>{formatTimestamp(user.lastSeen)}</dd>
          <dt>Last platform</dt>
          <dd>{user.lastPlatform ?? "—"}</dd>
          <dt>Last country</dt>
          <dd>{user.lastCountry ?? "—"}</dd>
          {Object.entries(user.traits ?? {}).map(([k, v]) => (
            <div key={k} className="kv-row" data-trait={k}>
              <dt className="mono">{k}</dt>
              <dd className="mono">{typeof v === "string" ? v : JSON.stringify(v)}</dd>
            </div>
          ))}
        </dl>
      </section>
      <section className="section" aria-label="Timeline">
        <h2>Timeline</h2>
        {user.timeline.map((session) => (
          <div key={session.sessionId} className="card session-block" data-session={session.sessionId}>
            <div className="panel-title">
              <h3 className="card-title mono">{session.sessionId}</h3>
              <button
                type="button"
                className="link-button"
                onClick={() => set({ session: session.sessionId })}
              >
                Open session timeline
              </button>
            </div>
            <ol className="timeline">
              {session.events.map((event) => {
                const kind = eventKind(event.eventType, event.status)
                return (
                  <li
                    key={`${event.timestamp}|${event.eventType}|${event.eventName ?? ""}|${event.traceId ?? ""}`}
                    className={`timeline-event stripe-${kind.stripe}`}
                  >
                    <span className="secondary">{formatTimestamp(event.timestamp)}</span>{" "}
                    <span className="badge">{kind.label}</span>{" "}
                    <span className="mono">{event.eventName ?? event.eventType}</span>
                    {event.traceId === null ? null : (
                      <button
                        type="button"
                        className="link-button small"
                        onClick={() => set({ trace: event.traceId ?? undefined })}
                      >
                        trace
                      </button>
                    )}
                  </li>
                )
              })}
            </ol>
          </div>
        ))}
      </section>
      <TimelineDrawer projectId={project.id} />
    </>
  )
}
