import { ApiError } from "../ApiError"

/** One query's outcome, kept apart from the others of its view. */
export type Settled<A> =
  | { readonly ok: true; readonly value: A }
  | { readonly ok: false; readonly error: ApiError }

/**
 * A view's queries, each settled on its own (§3.1 "query error: card frame stays"): the cards
 * of a query that failed show the failure, the others render. When every one failed there is
 * nothing to show but the failure, so it is thrown and the view shows it once; a signed-out
 * failure is thrown too (the view's error then offers "Log in", back to this page after).
 */
export const settleAll = async <const T extends Record<string, Promise<unknown>>>(
  loads: T,
): Promise<{ readonly [K in keyof T]: Settled<Awaited<T[K]>> }> => {
  const keys = Object.keys(loads)
  const outcomes = await Promise.all(
    keys.map((key) =>
      (loads[key] as Promise<unknown>).then(
        (value) => ({ ok: true as const, value }),
        (error: unknown) => ({ ok: false as const, error: ApiError.from(error) }),
      ),
    ),
  )
  const failures = outcomes.flatMap((outcome) => (outcome.ok ? [] : [outcome.error]))
  const signedOut = failures.find((error) => error.signedOut)
  if (signedOut !== undefined) throw signedOut
  if (failures.length === outcomes.length && failures[0] !== undefined) throw failures[0]
  return Object.fromEntries(keys.map((key, i) => [key, outcomes[i]])) as never
}

/** The value a settled query holds when it succeeded. */
export type ValueOf<S> = S extends { readonly ok: true; readonly value: infer A } ? A : never
