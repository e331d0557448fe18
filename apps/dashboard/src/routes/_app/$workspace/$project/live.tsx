import { createFileRoute } from "@tanstack/react-router"
import { useEffect, useRef, useState } from "react"
import { PageHeader } from "../../../../components/views/PageHeader"
import { EmptyState, SetupGuideLink } from "../../../../components/views/States"
import { TimelineDrawer } from "../../../../components/views/TimelineDrawer"
import { useViewSearch } from "../../../../components/views/useViewSearch"
import type { ApiError } from "../../../../lib/ApiError"
import { eventKind, metadataPairs } from "../../../../lib/views/eventKind"
import { formatTimestamp } from "../../../../lib/views/format"
import { type LiveFrame, openLiveStream } from "../../../../lib/views/liveStream"
import { validateViewSearch } from "../../../../lib/views/search"

const KEEP = 500
const ANNOUNCE_EVERY_MS = 5000
const TYPES = [
  "tool_call",
  "step",
  "conversion",
  "track",
  "identify",
  "connection",
  "widget_render",
  "widget_click",
  "widget_error",
]

/**
 * Live Feed (dashboard.md §3.8): the SSE stream of the project, newest on top, stripes with text
 * labels (§5.6), Pause/Resume (the connection stays, up to 500 rows are buffered), type filter,
 * rows expand to their metadata and open the trace; new rows are announced politely (at most
 * once per 5 s).
 */
export const Route = createFileRoute("/_app/$workspace/$project/live")({
  validateSearch: validateViewSearch,
  head: () => ({ meta: [{ title: "Live Feed · Yavio" }] }),
  component: LivePage,
})

function LivePage() {
  const { project } = Route.useRouteContext()
  const [search, set] = useViewSearch()
  const [rows, setRows] = useState<ReadonlyArray<LiveFrame>>([])
  const [paused, setPaused] = useState(false)
  const [status, setStatus] = useState<{ connected: boolean; error: ApiError | null }>({
    connected: false,
    error: null,
  })
  const [announcement, setAnnouncement] = useState("")
  const buffer = useRef<Array<LiveFrame>>([])
  const pausedRef = useRef(false)
  const pending = useRef(0)
  const lastAnnounce = useRef(0)
  pausedRef.current = paused

  useEffect(() => {
    setRows([])
    buffer.current = []
    const seen = new Set<string>()
    const stop = openLiveStream(project.id, search.eventType, {
      onOpen: () => setStatus({ connected: true, error: null }),
      onEvent: (event) => {
        if (seen.has(event.id)) return
        seen.add(event.id)
        if (pausedRef.current) {
          buffer.current = [event, ...buffer.current].slice(0, KEEP)
          return
        }
        setRows((old) => [event, ...old].slice(0, KEEP))
        pending.current += 1
        const now = Date.now()
        if (now - lastAnnounce.current >= ANNOUNCE_EVERY_MS) {
          lastAnnounce.current = now
          setAnnouncement(`${pending.current} new event${pending.current === 1 ? "" : "s"}`)
          pending.current = 0
        }
      },
      onFailure: (error) => setStatus({ connected: false, error }),
    })
    return stop
  }, [project.id, search.eventType])

  const resume = () => {
    setRows((old) => [...buffer.current, ...old].slice(0, KEEP))
    buffer.current = []
    setPaused(false)
  }

  return (
    <>
      <PageHeader title="Live Feed">
        <span
          className={`live-status${status.connected ? " on" : ""}`}
          data-live-status={status.connected ? "connected" : "disconnected"}
        >
          {status.connected ? "Connected" : "Connecting…"}
        </span>
        <label className="filter">
          <span className="sr-only">Event type</span>
          <select
            value={search.eventType ?? ""}
            onChange={(e) => set({ eventType: e.target.value === "" ? undefined : e.target.value })}
          >
            <option value="">All events</option>
            {TYPES.map((t) => (
              <option key={t} value={t}>
                {t}
              </option>
            ))}
          </select>
        </label>
        <button
          type="button"
          className="button secondary-button small"
          onClick={paused ? resume : () => setPaused(true)}
        >
          {paused ? `Resume (${buffer.current.length} buffered)` : "Pause"}
        </button>
      </PageHeader>
      {status.error === null ? null : (
        <p className="inline-error" role="alert" data-live-error>
          {status.error.message} <span className="mono">{status.error.code}</span>
        </p>
      )}
      <div className="sr-only" aria-live="polite">
        {announcement}
      </div>
      {rows.length === 0 ? (
        <EmptyState title="Waiting for events…" action={<SetupGuideLink />}>
          <span className="pulse-dot" aria-hidden="true" /> New events appear here as soon as they are
          ingested.
        </EmptyState>
      ) : (
        <ol className="live-list" aria-label="Live events">
          {rows.map((row) => {
            const kind = eventKind(row.eventType, row.status ?? null)
            return (
              <li
                key={row.id}
                className={`live-row stripe-${kind.stripe}`}
                data-live-event={row.eventType}
                data-event-name={row.eventName ?? ""}
              >
                <details>
                  <summary>
                    <span className="badge live-label">{kind.label}</span>
                    <span className="mono">{row.eventName ?? row.eventType}</span>
                    <span className="secondary">{row.platform ?? "unknown"}</span>
                    <span className="secondary live-time">{formatTimestamp(row.timestamp)}</span>
                  </summary>
                  <dl className="kv mono">
                    <dt>event_type</dt>
                    <dd>{row.eventType}</dd>
                    <dt>session</dt>
                    <dd>{row.sessionId}</dd>
                    <dt>trace</dt>
                    <dd>
                      {row.traceId === null ? (
                        "—"
                      ) : (
                        <button
                          type="button"
                          className="link-button mono"
                          onClick={() => set({ trace: row.traceId ?? undefined })}
                        >
                          {row.traceId}
                        </button>
                      )}
                    </dd>
                    {metadataPairs(row.metadata).map(([k, v]) => (
                      <div key={k} className="kv-row">
                        <dt>{k}</dt>
                        <dd>{v}</dd>
                      </div>
                    ))}
                  </dl>
                </details>
              </li>
            )
          })}
        </ol>
      )}
      <TimelineDrawer projectId={project.id} />
    </>
  )
}
