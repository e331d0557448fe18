import { Schema } from "effect"

export const EventAccepted = Schema.Struct({ status: Schema.Literal("accepted") })
export type EventAccepted = typeof EventAccepted.Type

export const EventRejected = Schema.Struct({
  status: Schema.Literal("rejected"),
  error: Schema.Struct({ code: Schema.String, message: Schema.String }),
})
export type EventRejected = typeof EventRejected.Type

/** The outcome of one event of a batch, reported in request order. */
export const EventResult = Schema.Union(EventAccepted, EventRejected)
export type EventResult = typeof EventResult.Type
