import { useRouter } from "@tanstack/react-router"
import type { ReactNode } from "react"
import { ApiError } from "../../lib/ApiError"
import { KpiSkeleton } from "./KpiCard"

/** §3.1 query error: the frame stays; "Failed to load data", the reason with its YAVIO code, Retry. */
export function LoadError(props: { readonly error: unknown; readonly retry?: () => void }) {
  const router = useRouter()
  const error = ApiError.from(props.error)
  return (
    <div className="card load-error" role="alert">
      <h2>Failed to load data</h2>
      <p className="secondary">
        {error.message}{" "}
        <span className="mono" data-error-code>
          {error.code}
        </span>
      </p>
      <button type="button" className="link-button" onClick={props.retry ?? (() => void router.invalidate())}>
        Retry
      </button>
    </div>
  )
}

/** A route's errorComponent: the page keeps its title, the body shows the failure. */
export function ViewError({ error }: { readonly error: unknown }) {
  return (
    <>
      <header className="page-header">
        <h1>Analytics</h1>
      </header>
      <LoadError error={error} />
    </>
  )
}

/** §5.5 empty state: heading, one line, one call to action; centred. */
export function EmptyState(props: {
  readonly title: string
  readonly children?: ReactNode
  readonly action?: ReactNode
}) {
  return (
    <div className="empty-state" data-empty>
      <h2>{props.title}</h2>
      {props.children === undefined ? null : <p className="secondary">{props.children}</p>}
      {props.action ?? null}
    </div>
  )
}

/** Keys for a fixed number of placeholder blocks. */
const slots = (n: number, prefix: string) => Array.from({ length: n }, (_, i) => `${prefix}${i}`)

/** §5.8 page skeleton: KPI cards, a chart block and table rows, sized like the content. */
export function ViewSkeleton(props: {
  readonly kpis?: number
  readonly charts?: number
  readonly table?: boolean
}) {
  return (
    <div aria-busy="true">
      <div className="page-header">
        <div className="skeleton" style={{ width: 160, height: 28 }} />
      </div>
      {props.kpis === 0 ? null : (
        <section className="kpi-grid">
          {slots(props.kpis ?? 4, "kpi").map((key) => (
            <KpiSkeleton key={key} />
          ))}
        </section>
      )}
      {slots(props.charts ?? 1, "chart").map((key) => (
        <div key={key} className="card chart-panel section">
          <div className="skeleton" style={{ height: 256 }} />
        </div>
      ))}
      {props.table === true ? <TableSkeleton /> : null}
    </div>
  )
}

export function TableSkeleton({ rows = 5 }: { readonly rows?: number }) {
  return (
    <div className="card section">
      {slots(rows, "row").map((key) => (
        <div key={key} className="skeleton" style={{ height: 20, margin: "10px 0" }} />
      ))}
    </div>
  )
}

export const SetupGuideLink = () => (
  <a className="button" href="https://docs.yavio.dev/quickstart" target="_blank" rel="noreferrer">
    View setup guide
  </a>
)
