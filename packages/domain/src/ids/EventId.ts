import { Schema } from "effect"

/** The dedup key of an event: a UUID made by the SDK when the event is created (any version). */
export const EventId = Schema.String.pipe(
  Schema.pattern(/^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/),
  Schema.brand("EventId"),
)
export type EventId = typeof EventId.Type
