import { Schema } from "effect"
import { CommonFields } from "./CommonFields.js"
import { eventTypeField } from "./EventType.js"
import { WidgetContextFields } from "./WidgetContextFields.js"

/** The widget iframe gains or loses focus; `metadata`: focus duration, count. */
export const WidgetFocusEvent = Schema.Struct({
  event_type: eventTypeField("widget_focus"),
  ...CommonFields,
  ...WidgetContextFields,
})
export type WidgetFocusEvent = typeof WidgetFocusEvent.Type
