import { Link } from "@tanstack/react-router"
import type { ReactNode } from "react"
import { ApiError } from "../lib/ApiError"

/** A settings subpage: breadcrumb title (§5.4), the section tabs, the page. */
export function SettingsFrame(props: {
  readonly crumb: string
  readonly title: string
  readonly tabs: ReadonlyArray<{
    readonly to: string
    readonly label: string
    readonly params?: Record<string, string>
  }>
  readonly children: ReactNode
}) {
  return (
    <>
      <header className="page-header">
        <h1>
          <span className="crumb">{props.crumb}</span>
          <span className="crumb-sep" aria-hidden="true">
            {" / "}
          </span>
          {props.title}
        </h1>
      </header>
      <nav className="tabs-nav" aria-label={`${props.crumb} sections`}>
        {props.tabs.map((tab) => (
          // `params: true` keeps the current ones (the workspace slug of the URL).
          <Link key={tab.to} to={tab.to} params={true}>
            {tab.label}
          </Link>
        ))}
      </nav>
      {props.children}
    </>
  )
}

/** A refused or failed page inside the shell: the service's message and YAVIO code. */
export function PageError({ error }: { readonly error: unknown }) {
  const e = ApiError.from(error)
  return (
    <section className="empty-state" role="alert">
      <h2>{e.code === "YAVIO-3100" ? "Your role cannot open this page" : e.message}</h2>
      <p className="secondary">
        {e.code === "YAVIO-3100" ? `${e.message} ` : ""}
        <span className="mono">{e.code}</span>
        {e.fix === undefined ? null : ` · ${e.fix}`}
      </p>
    </section>
  )
}
