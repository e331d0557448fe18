import { Schema } from "effect"
import { CommonFields } from "./CommonFields.js"
import { eventTypeField } from "./EventType.js"
import * as Field from "./Field.js"
import { WidgetContextFields } from "./WidgetContextFields.js"

/** Focus and blur of an input; `event_name` = form; `metadata`: time in field, filled or abandoned. */
export const WidgetFormFieldEvent = Schema.Struct({
  event_type: eventTypeField("widget_form_field"),
  ...CommonFields,
  /** The field's name or id, never its value. */
  field_name: Field.optional(Schema.String, Field.STRING_MESSAGE),
  ...WidgetContextFields,
})
export type WidgetFormFieldEvent = typeof WidgetFormFieldEvent.Type
