import { Schema } from "effect"
import { CommonFields, OptionalTraceId, RequiredEventName } from "./CommonFields.js"
import { eventTypeField } from "./EventType.js"
import { WidgetContextFields } from "./WidgetContextFields.js"

/** A custom event (`track`): the escape hatch; properties in `metadata`. */
export const TrackEvent = Schema.Struct({
  event_type: eventTypeField("track"),
  ...CommonFields,
  // Outside a tool call (a background job, `createYavio`) an explicit event has no trace:
  // it is stored with trace_id NULL rather than rejected (sdk.md §3.1 over the ingest rule).
  trace_id: OptionalTraceId,
  event_name: RequiredEventName,
  ...WidgetContextFields,
})
export type TrackEvent = typeof TrackEvent.Type
