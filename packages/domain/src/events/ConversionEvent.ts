import { Schema } from "effect"
import { CommonFields, OptionalTraceId, RequiredEventName } from "./CommonFields.js"
import { eventTypeField } from "./EventType.js"
import * as Field from "./Field.js"
import { FINITE_NUMBER_MESSAGE, FiniteNumber } from "./NumberTypes.js"
import { WidgetContextFields } from "./WidgetContextFields.js"

/** Three upper-case letters (ISO 4217); the SDK upper-cases before sending. */
export const CurrencyCode = Schema.String.pipe(Schema.pattern(/^[A-Z]{3}$/))

/** A conversion with its value; revenue is kept per currency, never summed across currencies. */
export const ConversionEvent = Schema.Struct({
  event_type: eventTypeField("conversion"),
  ...CommonFields,
  // Outside a tool call (a background job, `createYavio`) an explicit event has no trace:
  // it is stored with trace_id NULL rather than rejected (sdk.md §3.1 over the ingest rule).
  trace_id: OptionalTraceId,
  event_name: RequiredEventName,
  conversion_value: Field.required(FiniteNumber, FINITE_NUMBER_MESSAGE),
  conversion_currency: Field.required(CurrencyCode, "must be a three-letter upper-case ISO 4217 code"),
  ...WidgetContextFields,
})
export type ConversionEvent = typeof ConversionEvent.Type
