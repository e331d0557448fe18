import { Link, useRouter, useRouterState } from "@tanstack/react-router"
import type { ReactNode } from "react"
import { ApiError } from "../../lib/ApiError"
import { KpiSkeleton } from "./KpiCard"

/**
 * §3.1 query error: "Failed to load data", the reason with its YAVIO code, Retry. `inline` sits
 * in a card frame that stays (a chart panel, a KPI card); otherwise it is a card of its own.
 * `quiet`: another card already announced this failure (one alert per failed query, not per card).
 */
export function LoadError(props: {
  readonly error: unknown
  readonly retry?: () => void
  readonly inline?: boolean
  readonly quiet?: boolean | undefined
}) {
  const router = useRouter()
  const here = useRouterState({ select: (s) => s.location.href })
  const error = ApiError.from(props.error)
  const Title = props.inline === true ? "p" : "h2"
  return (
    <div
      className={props.inline === true ? "load-error inline" : "card load-error"}
      role={props.quiet === true ? undefined : "alert"}
    >
      <Title className="load-error-title">Failed to load data</Title>
      <p className="secondary">
        {error.message}{" "}
        <span className="mono" data-error-code>
          {error.code}
        </span>
      </p>
      {error.signedOut ? (
        <Link to="/login" search={{ next: here }}>
          Log in
        </Link>
      ) : (
        <button
          type="button"
          className="link-button"
          onClick={props.retry ?? (() => void router.invalidate())}
        >
          Retry
        </button>
      )}
    </div>
  )
}

/**
 * A card fed by a query that failed: its title (and controls such as a period picker) stays,
 * the failure in its frame; `data-failed` names the card. `span` places it in a chart grid like
 * the panel it stands for.
 */
export function FailedCard(props: {
  readonly title: string
  readonly error: unknown
  readonly id?: string
  readonly span?: "all" | "half"
  readonly actions?: ReactNode
  readonly quiet?: boolean
}) {
  const place = props.span === undefined ? "section" : props.span === "all" ? "span-all" : "span-2"
  return (
    <section className={`card ${place}`} data-failed={props.id}>
      <div className="panel-title">
        <h2 className="card-title">{props.title}</h2>
        {props.actions ?? null}
      </div>
      <LoadError error={props.error} inline quiet={props.quiet} />
    </section>
  )
}

/** A KPI card whose query failed (§3.1): its title stays, the failure in its frame. */
export function FailedKpiCard(props: {
  readonly id: string
  readonly label: string
  readonly error: unknown
  readonly quiet?: boolean
}) {
  return (
    <div className="card kpi-card" data-failed={props.id}>
      <div className="kpi-title">{props.label}</div>
      <LoadError error={props.error} inline quiet={props.quiet} />
    </div>
  )
}

/**
 * A route's errorComponent (every query of the view failed, or its input was refused): the
 * view's own header stays — title, filters, actions — so the range or a filter can be changed
 * right there (a timeout on three months → pick a week), and the body shows the failure.
 */
export const viewError = (Header: () => ReactNode) =>
  function ViewError({ error }: { readonly error: unknown }) {
    return (
      <>
        <Header />
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
  /** The view's own header (title, filters): there at once, so nothing above the content moves. */
  readonly header: () => ReactNode
  readonly kpis?: number
  readonly charts?: number
  readonly table?: boolean
}) {
  const Header = props.header
  return (
    <>
      <Header />
      <div aria-busy="true">
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
    </>
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
