import { Schema } from "effect"
import { EventResult } from "./EventResult.js"

const Count = Schema.Number.pipe(Schema.int(), Schema.nonNegative())

/** 207: some events accepted (and written), some rejected; `results` in request order. */
export const EventBatchPartiallyAccepted = Schema.Struct({
  accepted: Count,
  rejected: Count,
  results: Schema.Array(EventResult),
})
export type EventBatchPartiallyAccepted = typeof EventBatchPartiallyAccepted.Type
