import { Schema } from "effect"

/** 200: every event of the batch was accepted and written. */
export const EventBatchAccepted = Schema.Struct({
  accepted: Schema.Number.pipe(Schema.int(), Schema.nonNegative()),
})
export type EventBatchAccepted = typeof EventBatchAccepted.Type
