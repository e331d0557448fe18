import { Schema } from "effect"
import { SessionId } from "../ids/SessionId.js"
import { TraceId } from "../ids/TraceId.js"

/** Body of `POST /v1/widget-tokens` (API key only): the trace and session the widget belongs to. */
export const WidgetTokenRequest = Schema.Struct({
  traceId: TraceId,
  sessionId: SessionId,
})
export type WidgetTokenRequest = typeof WidgetTokenRequest.Type
