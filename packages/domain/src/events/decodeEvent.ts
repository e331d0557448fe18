import { Either, ParseResult, Predicate, type Schema } from "effect"
import type { Event } from "./Event.js"
import { type EventRejection, rejectionFromIssue } from "./EventRejection.js"
import { KNOWN_EVENT_TYPES } from "./EventType.js"
import { GenericEvent } from "./GenericEvent.js"
import { type KnownEvent, KnownEventSchemas } from "./KnownEvent.js"

type Decoder = (input: unknown) => Either.Either<Event, ParseResult.ParseIssue>

// Built once. Dispatching on `event_type` instead of decoding the `Event` union means one
// struct is tried per event, and a known event with a bad field reports that field, not a
// union of "not a tool_call, not a generic event, …".
// `ParseResult.decodeUnknownEither` is `Schema.decodeUnknownEither` without wrapping the issue
// in a `ParseError`, whose stack capture halved the throughput of rejected events.
const decoderOf = <A extends Event, I>(schema: Schema.Schema<A, I>): Decoder =>
  ParseResult.decodeUnknownEither(schema)
const decoders = new Map<string, Decoder>(
  // The cast only widens: Schema is invariant in its type, so a union of member schemas cannot
  // be passed to a generic decoder maker directly.
  KNOWN_EVENT_TYPES.map((type) => [
    type,
    decoderOf(KnownEventSchemas[type] as Schema.Schema<KnownEvent, unknown>),
  ]),
)
const decodeGeneric = decoderOf(GenericEvent)

/** The decoder for an input: its known type's, else the generic one (which also reports a bad or missing type). */
const decoderFor = (input: unknown): Decoder => {
  if (Predicate.isRecord(input) && Object.hasOwn(input, "event_type")) {
    const type = input.event_type
    if (typeof type === "string") return decoders.get(type) ?? decodeGeneric
  }
  return decodeGeneric
}

/**
 * Decodes one event of a batch. Pure and synchronous; unknown fields are dropped. On failure,
 * the YAVIO code of the first failing field (2100–2107) with an end-user-safe message.
 * Timestamp window (2113) and size (2108) are separate checks: `checkTimestampWindow`,
 * `checkEventSize`.
 */
export const decodeEvent = (input: unknown): Either.Either<Event, EventRejection> =>
  Either.mapLeft(decoderFor(input)(input), rejectionFromIssue)
