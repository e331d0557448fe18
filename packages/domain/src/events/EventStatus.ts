import { Schema } from "effect"

/** Outcome of a tool call or a widget form submit. */
export const EventStatus = Schema.Literal("success", "error")
export type EventStatus = typeof EventStatus.Type
