import { Schema } from "effect"
import { CommonFields } from "./CommonFields.js"
import { eventTypeField } from "./EventType.js"
import * as Field from "./Field.js"
import { NON_NEGATIVE_NUMBER_MESSAGE, NonNegativeNumber } from "./NumberTypes.js"
import { WidgetContextFields } from "./WidgetContextFields.js"

/** The widget enters or leaves the viewport; `metadata.percent_visible`. */
export const WidgetVisibilityEvent = Schema.Struct({
  event_type: eventTypeField("widget_visibility"),
  ...CommonFields,
  visible_duration_ms: Field.optional(NonNegativeNumber, NON_NEGATIVE_NUMBER_MESSAGE),
  ...WidgetContextFields,
})
export type WidgetVisibilityEvent = typeof WidgetVisibilityEvent.Type
