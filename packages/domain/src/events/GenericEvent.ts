import { Schema } from "effect"
import { CommonFields, OptionalTraceId } from "./CommonFields.js"
import { EVENT_TYPE_MESSAGE, EVENT_TYPE_PATTERN, KNOWN_EVENT_TYPES } from "./EventType.js"
import * as Field from "./Field.js"
import { coded } from "./YavioCode.js"

export const NotKnownEventTypeSchemaId: unique symbol = Symbol.for("@yavio/domain/NotKnownEventType")

const knownEventTypes: ReadonlySet<string> = new Set(KNOWN_EVENT_TYPES)

/**
 * A well-formed `event_type` this server does not know. Known types are excluded so that a
 * known event with bad fields is rejected by its own schema instead of slipping in as generic.
 */
export const GenericEventType = Schema.String.pipe(
  Schema.pattern(EVENT_TYPE_PATTERN, coded("YAVIO-2102", EVENT_TYPE_MESSAGE)),
  Schema.filter((eventType) => !knownEventTypes.has(eventType), {
    schemaId: NotKnownEventTypeSchemaId,
    [NotKnownEventTypeSchemaId]: KNOWN_EVENT_TYPES,
    description: "an event type this server does not know",
    jsonSchema: { not: { enum: [...KNOWN_EVENT_TYPES] } },
    ...coded("YAVIO-2100", "names a known event type but the event lacks that type's fields"),
  }),
)

/**
 * An event of a type added by a newer SDK (our decision: accepted, not rejected). Stored with
 * the common fields and `metadata`; anything else it carries is dropped. `trace_id` is optional
 * since a future type may live outside a tool invocation.
 */
export const GenericEvent = Schema.Struct({
  event_type: Field.required(GenericEventType, EVENT_TYPE_MESSAGE, "YAVIO-2102"),
  ...CommonFields,
  trace_id: OptionalTraceId,
})
export type GenericEvent = typeof GenericEvent.Type
