import { PiiStrippingEngineFailed } from "@yavio/domain"
import { Context, Effect, Layer, Metric } from "effect"
import { type PiiKind, PiiKinds, scrubEventReporting } from "./PiiScrubber.js"

/**
 * `YAVIO-2251` (info, "PII patterns detected and redacted") as a counter tagged by kind rather
 * than a log line: at ingest rates one line per redacting event would swamp the logs.
 */
export const piiRedactedEvents = Metric.counter("yavio_pii_redacted_events_total", {
  description: "YAVIO-2251: events in which PII was detected and redacted, by kind",
  incremental: true,
})

const redactedByKind: Readonly<Record<PiiKind, Effect.Effect<void>>> = Object.fromEntries(
  PiiKinds.map((kind) => [kind, Metric.increment(Metric.tagged(piiRedactedEvents, "kind", kind))]),
) as Record<PiiKind, Effect.Effect<void>>

const countRedactions = (kinds: ReadonlyArray<PiiKind>): Effect.Effect<void> =>
  Effect.forEach(kinds, (kind) => redactedByKind[kind], { discard: true })

const make = Effect.sync(() => {
  /**
   * The engine is pure and should never throw; if it does (a throwing getter, a bug), the
   * event is dropped with `YAVIO-2250` rather than stored unstripped. `detail` is shown to
   * the client, so the cause stays in `cause`.
   */
  const scrubEvent = (
    event: Record<string, unknown>,
  ): Effect.Effect<Record<string, unknown>, PiiStrippingEngineFailed> =>
    Effect.suspend(() => {
      let result: ReturnType<typeof scrubEventReporting>
      try {
        result = scrubEventReporting(event)
      } catch (cause) {
        return Effect.fail(new PiiStrippingEngineFailed({ detail: "the event was dropped", cause }))
      }
      return result.kinds.length === 0
        ? Effect.succeed(result.value)
        : Effect.as(countRedactions(result.kinds), result.value)
    })

  return { scrubEvent } as const
})

/** Strips PII from decoded events before they reach the writer (ingest step 5). */
export class Pii extends Context.Tag("@yavio/ingest/Pii")<
  Pii,
  {
    readonly scrubEvent: (
      event: Record<string, unknown>,
    ) => Effect.Effect<Record<string, unknown>, PiiStrippingEngineFailed>
  }
>() {
  static readonly layer = Layer.effect(this, make)
}
