import { Schema } from "effect"
import { coded, type EventRejectionCode } from "./YavioCode.js"

// Every event field is declared through these two helpers so that each property signature
// carries the code and message used when its value is invalid (a missing required field is
// always YAVIO-2101). Optional fields are exact: absent is fine, `undefined` or `null` is not
// (JSON has no `undefined`; `null` only where the spec makes a field nullable).

export const required = <S extends Schema.Schema.All>(
  schema: S,
  message: string,
  code: EventRejectionCode = "YAVIO-2100",
) => Schema.propertySignature(schema).annotations(coded(code, message))

export const optional = <S extends Schema.Schema.All>(
  schema: S,
  message: string,
  code: EventRejectionCode = "YAVIO-2100",
) => Schema.optionalWith(schema, { exact: true }).annotations(coded(code, message))

/** "must be one of: a, b, c" for a literal schema. */
export const oneOf = (literals: ReadonlyArray<string | number>): string =>
  `must be one of: ${literals.join(", ")}`

export const STRING_MESSAGE = "must be a string"
export const JSON_OBJECT_MESSAGE = "must be a JSON object"
