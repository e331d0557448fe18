import { Schema } from "effect"
import { CommonFields } from "./CommonFields.js"
import { eventTypeField } from "./EventType.js"
import * as Field from "./Field.js"
import { WidgetContextFields } from "./WidgetContextFields.js"

/** A view or route change inside the widget; `metadata`: time on the previous view. */
export const WidgetNavigationEvent = Schema.Struct({
  event_type: eventTypeField("widget_navigation"),
  ...CommonFields,
  nav_from: Field.optional(Schema.String, Field.STRING_MESSAGE),
  nav_to: Field.optional(Schema.String, Field.STRING_MESSAGE),
  ...WidgetContextFields,
})
export type WidgetNavigationEvent = typeof WidgetNavigationEvent.Type
