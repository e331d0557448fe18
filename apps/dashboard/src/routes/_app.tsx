import { createFileRoute, Outlet, redirect } from "@tanstack/react-router"
import type { Me } from "@yavio/domain/rpc/AccountsModels"
import { ApiError } from "../lib/ApiError"
import { rpc } from "../lib/rpc"

/**
 * Every signed-in page. Rendered in the browser only (`ssr: false`): the server sends the
 * document at once and the page asks the services with the visitor's own session cookie. No
 * session → `/login?next=<path>` (dashboard.md §0.1).
 */
// `me` counts against the per-user management limit (30/min): moving between one project's
// views (charts, filters, drill-downs) reuses it; any other navigation asks again.
let lastMe: { readonly me: Me; readonly project: string } | undefined
const projectOf = (pathname: string) => {
  const [workspace, project] = pathname.split("/").filter((s) => s !== "")
  return workspace === undefined || project === undefined || project === "settings"
    ? ""
    : `${workspace}/${project}`
}

export const Route = createFileRoute("/_app")({
  ssr: false,
  beforeLoad: async ({ location, cause }) => {
    const project = projectOf(location.pathname)
    if (cause === "stay" && project !== "" && lastMe?.project === project) return { me: lastMe.me }
    try {
      const me = await rpc((c) => c.me())
      lastMe = { me, project }
      return { me }
    } catch (failure) {
      if (ApiError.from(failure).signedOut) {
        throw redirect({ to: "/login", search: { next: location.href } })
      }
      throw failure
    }
  },
  component: Outlet,
})
