import { Schema } from "effect"
import { CommonFields } from "./CommonFields.js"
import { eventTypeField } from "./EventType.js"

/** `prompts/list` and `prompts/get`; `event_name` = prompt (absent for a list); `metadata`: argument values. */
export const PromptUsageEvent = Schema.Struct({
  event_type: eventTypeField("prompt_usage"),
  ...CommonFields,
})
export type PromptUsageEvent = typeof PromptUsageEvent.Type
