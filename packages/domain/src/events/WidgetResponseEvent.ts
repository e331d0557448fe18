import { Schema } from "effect"
import { CommonFields, RequiredEventName } from "./CommonFields.js"
import { eventTypeField } from "./EventType.js"

/** A tool result that carries a widget; `event_name` = tool; `metadata`: resource URI, whether a token was minted. */
export const WidgetResponseEvent = Schema.Struct({
  event_type: eventTypeField("widget_response"),
  ...CommonFields,
  event_name: RequiredEventName,
})
export type WidgetResponseEvent = typeof WidgetResponseEvent.Type
