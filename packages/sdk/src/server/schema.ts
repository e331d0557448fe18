/**
 * Reading just enough of a tool's input schema to know whether it declares a parameter itself
 * (intent capture and `sessionParam` leave such tools alone): Zod 3/4 objects, raw shapes, and
 * Standard Schemas with a JSON Schema view (the v2 SDK's schema contract).
 */

import { asRecord } from "./requestInfo.js"

const hasKey = (record: Record<string, unknown> | undefined, key: string): boolean =>
  record !== undefined && Object.hasOwn(record, key)

export const schemaDeclaresKey = (schema: unknown, key: string): boolean => {
  try {
    const record = asRecord(schema)
    if (record === undefined) return false
    const isSchemaObject = "_def" in record || "_zod" in record || "~standard" in record
    if (!isSchemaObject) return hasKey(record, key) // a raw shape `{ field: z.string() }`
    const shape = asRecord(record.shape) ?? asRecord(asRecord(asRecord(record._zod)?.def)?.shape)
    if (shape !== undefined) return hasKey(shape, key)
    const standard = asRecord(record["~standard"])
    const jsonSchema = asRecord(standard?.jsonSchema)
    if (typeof jsonSchema?.input === "function") {
      const json = asRecord((jsonSchema.input as (options: unknown) => unknown)({ target: "draft-2020-12" }))
      return hasKey(asRecord(json?.properties), key)
    }
    return false
  } catch {
    return false
  }
}

/** Adds an optional (or required) string property to a listed tool's JSON input schema; a copy. */
export const withAdvertisedParam = (
  inputSchema: unknown,
  name: string,
  description: string,
  required: boolean,
): Record<string, unknown> => {
  const schema = asRecord(inputSchema) ?? { type: "object" }
  const properties = { ...asRecord(schema.properties), [name]: { type: "string", description } }
  const next: Record<string, unknown> = { ...schema, type: schema.type ?? "object", properties }
  if (required) {
    const list = Array.isArray(schema.required) ? (schema.required as unknown[]) : []
    next.required = list.includes(name) ? list : [...list, name]
  }
  return next
}
