import { Schema } from "effect"
import { CommonFields } from "./CommonFields.js"
import { eventTypeField } from "./EventType.js"
import { WidgetContextFields } from "./WidgetContextFields.js"

/** Unhandled error or rejection in the widget; `metadata`: sanitised message, truncated stack. */
export const WidgetErrorEvent = Schema.Struct({
  event_type: eventTypeField("widget_error"),
  ...CommonFields,
  ...WidgetContextFields,
})
export type WidgetErrorEvent = typeof WidgetErrorEvent.Type
