import { Schema } from "effect"
import { EventId } from "../ids/EventId.js"
import { SessionId } from "../ids/SessionId.js"
import { TraceId } from "../ids/TraceId.js"
import { EventName } from "./EventName.js"
import { EventSource } from "./EventSource.js"
import { EventTimestamp, TIMESTAMP_MESSAGE } from "./EventTimestamp.js"
import * as Field from "./Field.js"
import { JsonObject } from "./JsonObject.js"
import { Platform } from "./Platform.js"
import { UserId } from "./UserId.js"

const TRACE_ID_MESSAGE = "must be tr_ followed by URL-safe characters"

/**
 * Fields every event may carry (events.md, "Common fields"), without `event_type`, which each
 * event type declares first so that a bad type is the first thing reported. Required on every
 * event: `event_type`, `timestamp`, `session_id`, `source`; `trace_id` too except where a type
 * replaces it with `OptionalTraceId`. `event_id` may be absent (ingest then assigns one).
 * `workspace_id`, `project_id` and `ingested_at` are never read from the client.
 */
export const CommonFields = {
  event_id: Field.optional(EventId, "must be a UUID"),
  timestamp: Field.required(EventTimestamp, TIMESTAMP_MESSAGE, "YAVIO-2103"),
  session_id: Field.required(SessionId, "must be ses_ followed by the session id"),
  trace_id: Field.required(TraceId, TRACE_ID_MESSAGE),
  source: Field.required(EventSource, Field.oneOf(EventSource.literals)),
  event_name: Field.optional(EventName, Field.STRING_MESSAGE),
  user_id: Field.optional(Schema.NullOr(UserId), "must be a string or null"),
  platform: Field.optional(Platform, Field.STRING_MESSAGE),
  sdk_version: Field.optional(Schema.String, Field.STRING_MESSAGE),
  /** Sent by the SDK when a CDN header told it; otherwise ingest fills it from its own headers. */
  country_code: Field.optional(Schema.String, Field.STRING_MESSAGE),
  metadata: Field.optional(JsonObject, Field.JSON_OBJECT_MESSAGE),
}

/** `trace_id` for the types that may happen outside a tool invocation. */
export const OptionalTraceId = Field.optional(TraceId, TRACE_ID_MESSAGE)

/** `event_name` for the types whose name is their identity (the tool, step, tracked event, conversion). */
export const RequiredEventName = Field.required(EventName, Field.STRING_MESSAGE)
