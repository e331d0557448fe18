import { useCallback, useEffect, useState } from "react"
import { ApiError } from "../ApiError"

export type Loadable<A> =
  | { readonly state: "loading" }
  | { readonly state: "failed"; readonly error: ApiError }
  | { readonly state: "ready"; readonly value: A }

/**
 * Data a component loads on its own (drawers, funnel examples), outside the route loaders:
 * reloads when `key` changes; `retry` loads again. A stale answer never overwrites a newer one.
 */
export const useRpc = <A>(
  key: string | null,
  load: () => Promise<A>,
): Loadable<A> & { retry: () => void } => {
  const [result, setResult] = useState<Loadable<A>>({ state: "loading" })
  const [attempt, setAttempt] = useState(0)
  // biome-ignore lint/correctness/useExhaustiveDependencies: `key` names what `load` fetches
  useEffect(() => {
    if (key === null) return
    let current = true
    setResult({ state: "loading" })
    load().then(
      (value) => current && setResult({ state: "ready", value }),
      (error: unknown) => current && setResult({ state: "failed", error: ApiError.from(error) }),
    )
    return () => {
      current = false
    }
  }, [key, attempt])
  const retry = useCallback(() => setAttempt((n) => n + 1), [])
  return { ...result, retry }
}
