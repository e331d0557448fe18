import { Schema } from "effect"

export const JsonArraySchemaId: unique symbol = Symbol.for("@yavio/domain/JsonArray")

/** A JSON array kept as is, elements unchecked (see `JsonObject` for why no copy). */
export const JsonArray = Schema.declare((u: unknown): u is ReadonlyArray<unknown> => Array.isArray(u), {
  schemaId: JsonArraySchemaId,
  identifier: "JsonArray",
  description: "a JSON array",
  jsonSchema: { type: "array" },
})
export type JsonArray = typeof JsonArray.Type
