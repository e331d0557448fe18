import { Schema } from "effect"
import { coded } from "../events/YavioCode.js"

export const TRACE_ID_PREFIX = "tr_"
/** The SDK makes `tr_` + 21 random URL-safe characters; longer ids are accepted so the scheme can change. */
export const TRACE_ID_MAX_LENGTH = 128

/** One tool invocation and everything it caused, widget events included. */
export const TraceId = Schema.String.pipe(
  Schema.maxLength(TRACE_ID_MAX_LENGTH, coded("YAVIO-2106", `exceeds ${TRACE_ID_MAX_LENGTH} characters`)),
  Schema.pattern(/^tr_[A-Za-z0-9_-]+$/),
  Schema.brand("TraceId"),
)
export type TraceId = typeof TraceId.Type
