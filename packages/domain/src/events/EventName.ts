import { Schema } from "effect"
import { coded } from "./YavioCode.js"

export const EVENT_NAME_MAX_LENGTH = 256

/** Tool, step, event or element name, depending on the event type. */
export const EventName = Schema.String.pipe(
  Schema.maxLength(EVENT_NAME_MAX_LENGTH, coded("YAVIO-2104", `exceeds ${EVENT_NAME_MAX_LENGTH} characters`)),
)
