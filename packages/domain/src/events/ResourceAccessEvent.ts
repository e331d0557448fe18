import { Schema } from "effect"
import { CommonFields } from "./CommonFields.js"
import { eventTypeField } from "./EventType.js"

/** `resources/list` and `resources/read`; `event_name` = resource (absent for a list); `metadata`: URI, response size. */
export const ResourceAccessEvent = Schema.Struct({
  event_type: eventTypeField("resource_access"),
  ...CommonFields,
})
export type ResourceAccessEvent = typeof ResourceAccessEvent.Type
