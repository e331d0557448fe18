import { useNavigate, useSearch } from "@tanstack/react-router"
import { useCallback } from "react"
import type { SearchPatch, ViewSearch } from "../../lib/views/search"

/**
 * The current view's URL search params and a setter that merges a patch into them (a filter
 * change goes back to page 1). Every view validates the same `ViewSearch`, so generic parts
 * (filters, tables, drawers) work on any of them.
 */
export const useViewSearch = (): readonly [ViewSearch, (patch: SearchPatch, resetPage?: boolean) => void] => {
  const search = useSearch({ strict: false }) as ViewSearch
  const navigate = useNavigate()
  const set = useCallback(
    (patch: SearchPatch, resetPage = false) => {
      void navigate({
        to: ".",
        search: ((prev: ViewSearch) => {
          const next: Record<string, unknown> = { ...prev, ...patch }
          if (resetPage) delete next.page
          for (const key of Object.keys(next)) if (next[key] === undefined) delete next[key]
          return next
        }) as never,
      })
    },
    [navigate],
  )
  return [search, set] as const
}
