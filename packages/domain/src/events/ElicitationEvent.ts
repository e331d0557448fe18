import { Schema } from "effect"
import { CommonFields } from "./CommonFields.js"
import { eventTypeField } from "./EventType.js"
import * as Field from "./Field.js"
import { NON_NEGATIVE_NUMBER_MESSAGE, NonNegativeNumber } from "./NumberTypes.js"

/** Server → client `elicitation/create`, timed to the user's answer; `metadata`: requested fields, outcome. */
export const ElicitationEvent = Schema.Struct({
  event_type: eventTypeField("elicitation"),
  ...CommonFields,
  latency_ms: Field.optional(NonNegativeNumber, NON_NEGATIVE_NUMBER_MESSAGE),
})
export type ElicitationEvent = typeof ElicitationEvent.Type
