import { Schema } from "effect"
import { CommonFields, RequiredEventName } from "./CommonFields.js"
import { eventTypeField } from "./EventType.js"
import * as Field from "./Field.js"
import { UINT32_MESSAGE, UInt32 } from "./NumberTypes.js"
import { WidgetContextFields } from "./WidgetContextFields.js"

/** A funnel step (`ctx.yavio.step` or the widget's); `step_sequence` counts 0, 1, 2 … per trace. */
export const StepEvent = Schema.Struct({
  event_type: eventTypeField("step"),
  ...CommonFields,
  event_name: RequiredEventName,
  step_sequence: Field.optional(UInt32, UINT32_MESSAGE),
  ...WidgetContextFields,
})
export type StepEvent = typeof StepEvent.Type
