import { Schema } from "effect"
import { CommonFields, RequiredEventName } from "./CommonFields.js"
import { EventStatus } from "./EventStatus.js"
import { eventTypeField } from "./EventType.js"
import * as Field from "./Field.js"
import { JsonArray } from "./JsonArray.js"
import { JsonObject } from "./JsonObject.js"
import {
  FLAG_MESSAGE,
  Flag,
  NON_NEGATIVE_NUMBER_MESSAGE,
  NonNegativeNumber,
  UINT32_MESSAGE,
  UInt32,
} from "./NumberTypes.js"

/** Heuristic class of a failed tool call (sdk.md §2.5). */
export const ToolErrorCategory = Schema.Literal(
  "auth",
  "validation",
  "timeout",
  "rate_limit",
  "server",
  "unknown",
)
export type ToolErrorCategory = typeof ToolErrorCategory.Type

/**
 * One tool invocation, captured by `withYavio()`. `event_name` is the tool. `metadata` holds
 * the response inspection: size in bytes, content-type counts, result count, `zero_result`.
 * `error_message` (2 KB), `input_keys`/`input_types` (5 KB) and `intent_signals` (2 KB) are
 * truncated by ingest when too long, not rejected.
 */
export const ToolCallEvent = Schema.Struct({
  event_type: eventTypeField("tool_call"),
  ...CommonFields,
  event_name: RequiredEventName,
  latency_ms: Field.optional(NonNegativeNumber, NON_NEGATIVE_NUMBER_MESSAGE),
  status: Field.optional(EventStatus, Field.oneOf(EventStatus.literals)),
  error_category: Field.optional(ToolErrorCategory, Field.oneOf(ToolErrorCategory.literals)),
  error_message: Field.optional(Schema.String, Field.STRING_MESSAGE),
  /** 1 when the previous tool invocation of the session was the same tool. */
  is_retry: Field.optional(Flag, FLAG_MESSAGE),
  input_keys: Field.optional(Schema.Array(Schema.String), "must be an array of strings"),
  /** Argument name → JSON type name (`string`, `number`, `boolean`, `array`, `object`, `null`). */
  input_types: Field.optional(
    Schema.Record({ key: Schema.String, value: Schema.String }),
    "must be an object whose values are strings",
  ),
  input_values: Field.optional(JsonObject, Field.JSON_OBJECT_MESSAGE),
  output_values: Field.optional(JsonObject, Field.JSON_OBJECT_MESSAGE),
  intent_signals: Field.optional(JsonArray, "must be an array"),
  tokens_in: Field.optional(UInt32, UINT32_MESSAGE),
  tokens_out: Field.optional(UInt32, UINT32_MESSAGE),
})
export type ToolCallEvent = typeof ToolCallEvent.Type
