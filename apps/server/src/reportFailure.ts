import { isYavioFailure } from "@yavio/domain"
import { Cause, Effect } from "effect"

/**
 * The process edge: a failure is printed as its YAVIO code, message and fix, then the
 * process exits non-zero. Anything without a code is a bug, printed whole.
 */
export const reportFailure = <A, E, R>(program: Effect.Effect<A, E, R>): Effect.Effect<unknown, never, R> =>
  program.pipe(
    Effect.catchAllCause((cause) =>
      Effect.sync(() => {
        if (Cause.isInterruptedOnly(cause)) return
        const failure = Cause.failureOption(cause)
        if (failure._tag === "Some" && isYavioFailure(failure.value)) {
          const error = failure.value
          console.error(`yavio: ${error.code} ${error.message}`)
          if (error.fix !== undefined) console.error(`  fix: ${error.fix}`)
          const underlying = (error as { cause?: unknown }).cause
          if (underlying !== undefined) console.error(`  cause: ${String(underlying)}`)
        } else {
          console.error(`yavio: YAVIO-7999 Unexpected infrastructure error (a bug; please report it)`)
          console.error(Cause.pretty(cause))
        }
        process.exitCode = 1
      }),
    ),
  )
