import type { ReactNode } from "react"

/** §5.4 sticky page header: title (and breadcrumbs) left, filters and actions right. */
export function PageHeader(props: {
  readonly title: string
  readonly crumbs?: ReactNode
  readonly children?: ReactNode
}) {
  return (
    <header className="page-header">
      <div>
        {props.crumbs === undefined ? null : (
          <nav className="crumbs secondary" aria-label="Breadcrumbs">
            {props.crumbs}
          </nav>
        )}
        <h1 tabIndex={-1}>{props.title}</h1>
      </div>
      <div className="header-actions">{props.children}</div>
    </header>
  )
}
