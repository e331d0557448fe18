import { Schema } from "effect"
import { CommonFields, OptionalTraceId } from "./CommonFields.js"
import { eventTypeField } from "./EventType.js"
import * as Field from "./Field.js"
import { JsonObject } from "./JsonObject.js"
import { UserId } from "./UserId.js"
import { WidgetContextFields } from "./WidgetContextFields.js"

/** Ties the session to the developer's user id; `user_traits` are merged across calls (5 KB, truncated by ingest). */
export const IdentifyEvent = Schema.Struct({
  event_type: eventTypeField("identify"),
  ...CommonFields,
  trace_id: OptionalTraceId,
  user_id: Field.required(UserId, Field.STRING_MESSAGE),
  user_traits: Field.optional(JsonObject, Field.JSON_OBJECT_MESSAGE),
  ...WidgetContextFields,
})
export type IdentifyEvent = typeof IdentifyEvent.Type
