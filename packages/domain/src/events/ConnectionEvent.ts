import { Schema } from "effect"
import { CommonFields, OptionalTraceId } from "./CommonFields.js"
import { eventTypeField } from "./EventType.js"
import * as Field from "./Field.js"
import { NON_NEGATIVE_NUMBER_MESSAGE, NonNegativeNumber } from "./NumberTypes.js"

/**
 * Transport connect (`metadata.phase = "connect"`, client identity from `initialize`) and
 * disconnect (`phase = "disconnect"`, with `connection_duration_ms`). Outside any trace.
 */
export const ConnectionEvent = Schema.Struct({
  event_type: eventTypeField("connection"),
  ...CommonFields,
  trace_id: OptionalTraceId,
  protocol_version: Field.optional(Schema.String, Field.STRING_MESSAGE),
  client_name: Field.optional(Schema.String, Field.STRING_MESSAGE),
  client_version: Field.optional(Schema.String, Field.STRING_MESSAGE),
  connection_duration_ms: Field.optional(NonNegativeNumber, NON_NEGATIVE_NUMBER_MESSAGE),
})
export type ConnectionEvent = typeof ConnectionEvent.Type
