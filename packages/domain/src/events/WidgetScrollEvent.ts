import { Schema } from "effect"
import { CommonFields } from "./CommonFields.js"
import { eventTypeField } from "./EventType.js"
import * as Field from "./Field.js"
import { PERCENTAGE_MESSAGE, Percentage } from "./NumberTypes.js"
import { WidgetContextFields } from "./WidgetContextFields.js"

/** Scrolling inside the widget; `event_name` = container; `metadata`: direction, velocity. */
export const WidgetScrollEvent = Schema.Struct({
  event_type: eventTypeField("widget_scroll"),
  ...CommonFields,
  /** Deepest scroll reached, 0–100. */
  scroll_depth_pct: Field.optional(Percentage, PERCENTAGE_MESSAGE),
  ...WidgetContextFields,
})
export type WidgetScrollEvent = typeof WidgetScrollEvent.Type
