import { Schema } from "effect"
import { CommonFields } from "./CommonFields.js"
import { eventTypeField } from "./EventType.js"
import * as Field from "./Field.js"
import { FLAG_MESSAGE, Flag, NON_NEGATIVE_NUMBER_MESSAGE, NonNegativeNumber } from "./NumberTypes.js"
import { WidgetContextFields } from "./WidgetContextFields.js"

/** First initialisation of the widget; `metadata`: language, time-zone offset. */
export const WidgetRenderEvent = Schema.Struct({
  event_type: eventTypeField("widget_render"),
  ...CommonFields,
  device_pixel_ratio: Field.optional(NonNegativeNumber, NON_NEGATIVE_NUMBER_MESSAGE),
  device_touch: Field.optional(Flag, FLAG_MESSAGE),
  /** `navigator.connection.effectiveType` or type: `4g`, `wifi` … */
  connection_type: Field.optional(Schema.String, Field.STRING_MESSAGE),
  ...WidgetContextFields,
})
export type WidgetRenderEvent = typeof WidgetRenderEvent.Type
