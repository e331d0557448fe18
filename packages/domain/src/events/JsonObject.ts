import { Schema } from "effect"

export const JsonObjectSchemaId: unique symbol = Symbol.for("@yavio/domain/JsonObject")

/**
 * A JSON object kept as is (`metadata`, `user_traits`, captured values). Checked by shape only
 * and passed through by reference: copying every key of every event would cost ingest
 * throughput, and the size and depth limits belong to the ingest field-limit step.
 */
export const JsonObject = Schema.declare(
  (u: unknown): u is { readonly [key: string]: unknown } =>
    typeof u === "object" && u !== null && !Array.isArray(u),
  {
    schemaId: JsonObjectSchemaId,
    identifier: "JsonObject",
    description: "a JSON object",
    jsonSchema: { type: "object" },
  },
)
export type JsonObject = typeof JsonObject.Type
