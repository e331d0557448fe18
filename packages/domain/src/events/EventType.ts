import { Schema } from "effect"
import * as Field from "./Field.js"

/** Every event type this server knows, in the order of events.md. */
export const KNOWN_EVENT_TYPES = [
  "tool_call",
  "connection",
  "tool_discovery",
  "resource_access",
  "prompt_usage",
  "sampling_call",
  "elicitation",
  "widget_response",
  "step",
  "track",
  "conversion",
  "identify",
  "widget_render",
  "widget_error",
  "widget_visibility",
  "widget_click",
  "widget_rage_click",
  "widget_scroll",
  "widget_form_field",
  "widget_form_submit",
  "widget_link_click",
  "widget_navigation",
  "widget_focus",
  "widget_performance",
] as const
export type KnownEventType = (typeof KNOWN_EVENT_TYPES)[number]

export const EVENT_TYPE_PATTERN = /^[a-z][a-z0-9_]{0,63}$/

export const EVENT_TYPE_MESSAGE =
  "must be a lowercase identifier: a letter, then at most 63 letters, digits or underscores"

/** The `event_type` field of one known event type. */
export const eventTypeField = <T extends KnownEventType>(eventType: T) =>
  Field.required(Schema.Literal(eventType), EVENT_TYPE_MESSAGE, "YAVIO-2102")
