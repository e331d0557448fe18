import { Schema } from "effect"
import { CommonFields } from "./CommonFields.js"
import { EventStatus } from "./EventStatus.js"
import { eventTypeField } from "./EventType.js"
import * as Field from "./Field.js"
import { WidgetContextFields } from "./WidgetContextFields.js"

/** A submit attempt; `event_name` = form; `metadata`: names of invalid fields, time from first focus. */
export const WidgetFormSubmitEvent = Schema.Struct({
  event_type: eventTypeField("widget_form_submit"),
  ...CommonFields,
  status: Field.optional(EventStatus, Field.oneOf(EventStatus.literals)),
  ...WidgetContextFields,
})
export type WidgetFormSubmitEvent = typeof WidgetFormSubmitEvent.Type
