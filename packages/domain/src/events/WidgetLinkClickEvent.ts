import { Schema } from "effect"
import { CommonFields } from "./CommonFields.js"
import { eventTypeField } from "./EventType.js"
import { WidgetContextFields } from "./WidgetContextFields.js"

/** An anchor or external link; `event_name` = `data-yavio` or link text; `metadata`: destination domain only. */
export const WidgetLinkClickEvent = Schema.Struct({
  event_type: eventTypeField("widget_link_click"),
  ...CommonFields,
  ...WidgetContextFields,
})
export type WidgetLinkClickEvent = typeof WidgetLinkClickEvent.Type
