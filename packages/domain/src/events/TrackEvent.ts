import { Schema } from "effect"
import { CommonFields, RequiredEventName } from "./CommonFields.js"
import { eventTypeField } from "./EventType.js"
import { WidgetContextFields } from "./WidgetContextFields.js"

/** A custom event (`track`): the escape hatch; properties in `metadata`. */
export const TrackEvent = Schema.Struct({
  event_type: eventTypeField("track"),
  ...CommonFields,
  event_name: RequiredEventName,
  ...WidgetContextFields,
})
export type TrackEvent = typeof TrackEvent.Type
