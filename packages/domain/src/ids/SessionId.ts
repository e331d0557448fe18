import { Schema } from "effect"
import { coded } from "../events/YavioCode.js"

export const SESSION_ID_PREFIX = "ses_"
export const SESSION_ID_MAX_LENGTH = 128

/**
 * One MCP connection. The suffix is either 21 random URL-safe characters or the transport's
 * `Mcp-Session-Id`, which MCP allows to be any visible ASCII character, hence the wider class.
 */
export const SessionId = Schema.String.pipe(
  Schema.maxLength(SESSION_ID_MAX_LENGTH, coded("YAVIO-2107", `exceeds ${SESSION_ID_MAX_LENGTH} characters`)),
  Schema.pattern(/^ses_[\x21-\x7E]+$/),
  Schema.brand("SessionId"),
)
export type SessionId = typeof SessionId.Type
