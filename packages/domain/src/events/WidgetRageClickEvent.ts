import { Schema } from "effect"
import { CommonFields } from "./CommonFields.js"
import { eventTypeField } from "./EventType.js"
import { WidgetContextFields } from "./WidgetContextFields.js"

/** At least 3 clicks within 500 ms on one element (`event_name`); `metadata`: count, span. */
export const WidgetRageClickEvent = Schema.Struct({
  event_type: eventTypeField("widget_rage_click"),
  ...CommonFields,
  ...WidgetContextFields,
})
export type WidgetRageClickEvent = typeof WidgetRageClickEvent.Type
