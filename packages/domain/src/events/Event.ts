import { Schema } from "effect"
import { KNOWN_EVENT_TYPES } from "./EventType.js"
import { GenericEvent } from "./GenericEvent.js"
import { KnownEvent } from "./KnownEvent.js"

/**
 * One event as ingest accepts it: a known type, or a well-formed unknown type as a generic
 * event. Decode single events with `decodeEvent`, which picks the member by `event_type` and
 * maps failures to YAVIO codes; this union is the shape for types, OpenAPI and RPC.
 */
export const Event = Schema.Union(...KnownEvent.members, GenericEvent)
export type Event = typeof Event.Type

const knownEventTypes: ReadonlySet<string> = new Set(KNOWN_EVENT_TYPES)

/** Narrows to the known types (a generic event's `event_type` is any string, so `===` alone cannot). */
export const isKnownEvent = (event: Event): event is KnownEvent => knownEventTypes.has(event.event_type)
