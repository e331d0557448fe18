import { Schema } from "effect"
import { CommonFields } from "./CommonFields.js"
import { eventTypeField } from "./EventType.js"
import * as Field from "./Field.js"
import { NON_NEGATIVE_NUMBER_MESSAGE, NonNegativeNumber } from "./NumberTypes.js"
import { WidgetContextFields } from "./WidgetContextFields.js"

/** Load timing (PerformanceObserver); `metadata`: first paint, DOM content loaded, transfer size. */
export const WidgetPerformanceEvent = Schema.Struct({
  event_type: eventTypeField("widget_performance"),
  ...CommonFields,
  load_time_ms: Field.optional(NonNegativeNumber, NON_NEGATIVE_NUMBER_MESSAGE),
  ...WidgetContextFields,
})
export type WidgetPerformanceEvent = typeof WidgetPerformanceEvent.Type
