import { Schema } from "effect"
import { SessionId } from "../ids/SessionId.js"
import { TraceId } from "../ids/TraceId.js"

/** A widget token lives 15 minutes: `exp = iat + 900`. */
export const WIDGET_TOKEN_TTL_SECONDS = 900

const EpochSeconds = Schema.Number.pipe(Schema.int(), Schema.nonNegative())

/**
 * Claims of the HS256 widget JWT: project, workspace, and the one trace and session whose
 * events the widget may send. Times in epoch seconds, as JWT has them.
 */
export const WidgetTokenClaims = Schema.Struct({
  pid: Schema.String,
  wid: Schema.String,
  tid: TraceId,
  sid: SessionId,
  iat: EpochSeconds,
  exp: EpochSeconds,
})
export type WidgetTokenClaims = typeof WidgetTokenClaims.Type
