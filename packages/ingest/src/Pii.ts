import { PiiStrippingEngineFailed } from "@yavio/domain"
import { scrubEventReporting } from "@yavio/pii"
import { Context, Effect, Either, Layer } from "effect"
import { Metrics } from "./Metrics.js"

/**
 * Strips PII from decoded events before they reach the writer (ingest step 5).
 *
 * Synchronous, returning an `Either`: it runs once per event on the hot path, where an
 * Effect per event costs more than the scrub of a clean event. The engine is pure and should
 * never throw; if it does (a throwing getter, a bug) the event is dropped with `YAVIO-2250`
 * rather than stored unstripped. Redactions are counted as `YAVIO-2251` notices by kind
 * instead of logged: at ingest rates a line per redacting event would swamp the logs.
 */
export class Pii extends Context.Tag("@yavio/ingest/Pii")<
  Pii,
  {
    readonly scrubEvent: (
      event: Record<string, unknown>,
    ) => Either.Either<Record<string, unknown>, PiiStrippingEngineFailed>
  }
>() {
  static readonly make = Effect.gen(function* () {
    const metrics = yield* Metrics
    const scrubEvent = (event: Record<string, unknown>) => {
      try {
        const result = scrubEventReporting(event)
        for (const kind of result.kinds) metrics.notices.inc({ code: "YAVIO-2251", kind })
        return Either.right(result.value)
      } catch (cause) {
        return Either.left(new PiiStrippingEngineFailed({ detail: "the event was dropped", cause }))
      }
    }
    return Pii.of({ scrubEvent })
  })

  static readonly layer = Layer.effect(this, this.make)
}
