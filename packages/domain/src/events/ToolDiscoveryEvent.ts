import { Schema } from "effect"
import { CommonFields, OptionalTraceId } from "./CommonFields.js"
import { eventTypeField } from "./EventType.js"

/** `tools/list`; `metadata`: `tools_listed`, `tools_count`, client name, version and capabilities. */
export const ToolDiscoveryEvent = Schema.Struct({
  event_type: eventTypeField("tool_discovery"),
  ...CommonFields,
  trace_id: OptionalTraceId,
})
export type ToolDiscoveryEvent = typeof ToolDiscoveryEvent.Type
