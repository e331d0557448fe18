import { Schema } from "effect"
import { CommonFields, OptionalTraceId, RequiredEventName } from "./CommonFields.js"
import { eventTypeField } from "./EventType.js"
import * as Field from "./Field.js"
import { UINT32_MESSAGE, UInt32 } from "./NumberTypes.js"
import { WidgetContextFields } from "./WidgetContextFields.js"

/** A funnel step (`ctx.yavio.step` or the widget's); `step_sequence` counts 0, 1, 2 … per trace. */
export const StepEvent = Schema.Struct({
  event_type: eventTypeField("step"),
  ...CommonFields,
  // Outside a tool call (a background job, `createYavio`) an explicit event has no trace:
  // it is stored with trace_id NULL rather than rejected (sdk.md §3.1 over the ingest rule).
  trace_id: OptionalTraceId,
  event_name: RequiredEventName,
  step_sequence: Field.optional(UInt32, UINT32_MESSAGE),
  ...WidgetContextFields,
})
export type StepEvent = typeof StepEvent.Type
