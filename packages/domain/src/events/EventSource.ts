import { Schema } from "effect"

/** Which side sent the event: the wrapped MCP server or the widget. */
export const EventSource = Schema.Literal("server", "widget")
export type EventSource = typeof EventSource.Type
