import { type ReactNode, useEffect, useRef } from "react"

/**
 * §5.4 sticky page header: title (and breadcrumbs) left, filters and actions right. The title
 * takes focus when the page changes (§5.10: route change → page title), without scrolling.
 */
export function PageHeader(props: {
  readonly title: string
  readonly crumbs?: ReactNode
  readonly children?: ReactNode
}) {
  const heading = useRef<HTMLHeadingElement>(null)
  useEffect(() => {
    if (props.title !== "") heading.current?.focus({ preventScroll: true })
  }, [props.title])
  return (
    <header className="page-header">
      <div>
        {props.crumbs === undefined ? null : (
          <nav className="crumbs secondary" aria-label="Breadcrumbs">
            {props.crumbs}
          </nav>
        )}
        <h1 ref={heading} tabIndex={-1} className="page-title">
          {props.title}
        </h1>
      </div>
      <div className="header-actions">{props.children}</div>
    </header>
  )
}
