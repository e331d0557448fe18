import { Schema } from "effect"
import { CommonFields } from "./CommonFields.js"
import { eventTypeField } from "./EventType.js"
import * as Field from "./Field.js"
import { UINT32_MESSAGE, UInt32 } from "./NumberTypes.js"
import { WidgetContextFields } from "./WidgetContextFields.js"

/** A click or tap; `event_name` = `data-yavio` attribute or tag; `metadata`: element kind, coordinates. */
export const WidgetClickEvent = Schema.Struct({
  event_type: eventTypeField("widget_click"),
  ...CommonFields,
  /** Running count of clicks in this widget. */
  click_count: Field.optional(UInt32, UINT32_MESSAGE),
  ...WidgetContextFields,
})
export type WidgetClickEvent = typeof WidgetClickEvent.Type
