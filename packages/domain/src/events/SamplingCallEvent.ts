import { Schema } from "effect"
import { CommonFields } from "./CommonFields.js"
import { eventTypeField } from "./EventType.js"
import * as Field from "./Field.js"
import { NON_NEGATIVE_NUMBER_MESSAGE, NonNegativeNumber, UINT32_MESSAGE, UInt32 } from "./NumberTypes.js"

/** Server → client `sampling/createMessage`, timed; `metadata.model_hint`. */
export const SamplingCallEvent = Schema.Struct({
  event_type: eventTypeField("sampling_call"),
  ...CommonFields,
  latency_ms: Field.optional(NonNegativeNumber, NON_NEGATIVE_NUMBER_MESSAGE),
  tokens_in: Field.optional(UInt32, UINT32_MESSAGE),
  tokens_out: Field.optional(UInt32, UINT32_MESSAGE),
})
export type SamplingCallEvent = typeof SamplingCallEvent.Type
