import { createFileRoute, Outlet, redirect } from "@tanstack/react-router"
import { ApiError } from "../lib/ApiError"
import { keptMe } from "../lib/rpc"

/**
 * Every signed-in page. Rendered in the browser only (`ssr: false`): the server sends the
 * document at once and the page asks the services with the visitor's own session cookie. No
 * session → `/login?next=<path>` (dashboard.md §0.1).
 */
export const Route = createFileRoute("/_app")({
  ssr: false,
  beforeLoad: async ({ location }) => {
    try {
      const me = await keptMe()
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
