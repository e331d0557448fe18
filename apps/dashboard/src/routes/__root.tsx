import { createRootRoute, HeadContent, Outlet, Scripts, useRouter } from "@tanstack/react-router"
import { type ReactNode, useEffect } from "react"
import { Toaster } from "../components/Toasts"
import app from "../styles/app.css?url"
import tokens from "../styles/tokens.css?url"
import views from "../styles/views.css?url"

// Sets the theme class before first paint (dashboard.md §5.8): stored choice, else the system's.
const themeScript = `try{var t=localStorage.getItem("yavio-theme");if(t==="dark"||(t!=="light"&&matchMedia("(prefers-color-scheme: dark)").matches))document.documentElement.classList.add("dark")}catch(e){}`

export const Route = createRootRoute({
  head: () => ({
    meta: [
      { charSet: "utf-8" },
      { name: "viewport", content: "width=device-width, initial-scale=1" },
      { title: "Yavio" },
    ],
    links: [tokens, app, views].map((href) => ({ rel: "stylesheet", href })),
  }),
  shellComponent: Document,
  component: Root,
})

/**
 * §5.10 "route change → page title": after a client navigation, focus moves to the new page's
 * heading, so keyboard and screen-reader users start at the page they asked for. The first
 * load keeps the browser's own start.
 */
function useFocusOnNavigation() {
  const router = useRouter()
  useEffect(
    () =>
      router.subscribe("onResolved", (event) => {
        if (event.fromLocation === undefined || event.fromLocation.pathname === event.toLocation.pathname)
          return
        requestAnimationFrame(() => {
          const heading = document.querySelector<HTMLElement>("main h1")
          if (heading === null || heading.contains(document.activeElement)) return
          if (!heading.hasAttribute("tabindex")) heading.setAttribute("tabindex", "-1")
          heading.focus({ preventScroll: true })
        })
      }),
    [router],
  )
}

function Root() {
  useFocusOnNavigation()
  return (
    <>
      <Outlet />
      <Toaster />
    </>
  )
}

function Document({ children }: { readonly children: ReactNode }) {
  return (
    <html lang="en" suppressHydrationWarning>
      <head>
        {/* biome-ignore lint/security/noDangerouslySetInnerHtml: a constant, runs before paint */}
        <script dangerouslySetInnerHTML={{ __html: themeScript }} />
        <HeadContent />
      </head>
      <body>
        {children}
        <Scripts />
      </body>
    </html>
  )
}
