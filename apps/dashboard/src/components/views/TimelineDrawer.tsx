import type { TimelineEventView } from "@yavio/domain/rpc/AnalyticsModels"
import { useCallback, useEffect, useRef } from "react"
import { rpc } from "../../lib/rpc"
import { eventKind, metadataPairs } from "../../lib/views/eventKind"
import { formatDuration, formatLatency, formatTimestamp } from "../../lib/views/format"
import { useRpc } from "../../lib/views/useRpc"
import { LoadError, TableSkeleton } from "./States"
import { useViewSearch } from "./useViewSearch"

type Event = typeof TimelineEventView.Type

/** The events of one trace or session as a list (§3.9): offset, source, type, name, latency, status. */
export function TimelineList({ events }: { readonly events: ReadonlyArray<Event> }) {
  return (
    <ol className="timeline" aria-label="Events in order">
      {events.map((event) => {
        const kind = eventKind(event.eventType, event.status)
        const pairs = metadataPairs(event.metadata)
        return (
          <li
            key={event.id}
            className={`timeline-event stripe-${kind.stripe}`}
            data-event-type={event.eventType}
          >
            <details>
              <summary>
                <span className="offset mono">+{formatDuration(event.offsetMs)}</span>
                <span className="badge outline">{event.source}</span>
                <span className="badge">{kind.label}</span>
                <span className="mono">{event.eventName ?? event.eventType}</span>
                {event.latencyMs === null ? null : (
                  <span className="secondary">{formatLatency(event.latencyMs)}</span>
                )}
                {event.status === null ? null : (
                  <span className={`badge ${event.status === "error" ? "error" : "success"}`}>
                    {event.status}
                  </span>
                )}
              </summary>
              <dl className="kv mono">
                <dt>time</dt>
                <dd>
                  {new Date(event.timestamp).toISOString()} ({formatTimestamp(event.timestamp)})
                </dd>
                <dt>trace</dt>
                <dd>{event.traceId ?? "—"}</dd>
                <dt>session</dt>
                <dd>{event.sessionId}</dd>
                {pairs.map(([k, v]) => (
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
  )
}

/**
 * The trace / session drawer of §3.9, opened by `?trace=` or `?session=` on any view (funnel
 * examples, errors, live feed, user detail). Escape or Close removes the param; focus moves into
 * the drawer when it opens and back to its trigger when it closes.
 */
export function TimelineDrawer({ projectId }: { readonly projectId: string }) {
  const [search, set] = useViewSearch()
  const target =
    search.trace !== undefined
      ? { traceId: search.trace }
      : search.session !== undefined
        ? { sessionId: search.session }
        : null
  const key = target === null ? null : JSON.stringify(target)
  const data = useRpc(key, () => rpc((c) => c.timeline({ projectId, ...target })))
  const close = useCallback(() => set({ trace: undefined, session: undefined }), [set])
  const heading = useRef<HTMLHeadingElement>(null)
  // §5.10: focus into the drawer, and back to what opened it on close. The drawer is not modal:
  // another trace can be opened from the page while one shows; then that link is the trigger.
  const trigger = useRef<HTMLElement | null>(null)
  useEffect(() => {
    if (key === null) return
    const active = document.activeElement
    if (active instanceof HTMLElement && active.closest(".drawer") === null) trigger.current = active
    heading.current?.focus()
    const onKey = (e: globalThis.KeyboardEvent) => {
      if (e.key === "Escape") close()
    }
    window.addEventListener("keydown", onKey)
    return () => window.removeEventListener("keydown", onKey)
  }, [key, close])
  useEffect(() => {
    if (key !== null) return
    const back = trigger.current
    trigger.current = null
    if (back?.isConnected) back.focus({ preventScroll: true })
  }, [key])
  if (target === null) return null
  return (
    <aside className="drawer" role="dialog" aria-modal="false" aria-labelledby="timeline-title">
      <header className="drawer-header">
        <h2 id="timeline-title" ref={heading} tabIndex={-1}>
          {"traceId" in target ? "Trace" : "Session"}{" "}
          <span className="mono">{"traceId" in target ? target.traceId : target.sessionId}</span>
        </h2>
        <button type="button" className="button secondary-button small" onClick={close}>
          Close
        </button>
      </header>
      {data.state === "loading" ? (
        <TableSkeleton />
      ) : data.state === "failed" ? (
        <LoadError error={data.error} retry={data.retry} />
      ) : data.value.length === 0 ? (
        <p className="secondary">No events for this {"traceId" in target ? "trace" : "session"}.</p>
      ) : (
        <>
          <p className="secondary" data-timeline-count>
            {data.value.length} events
          </p>
          <TimelineList events={data.value} />
        </>
      )}
    </aside>
  )
}
