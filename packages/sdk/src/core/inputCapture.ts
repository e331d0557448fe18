/** Input capture of a tool call (sdk.md §2.5): argument names, their JSON types and count. */

export type InputType = "string" | "number" | "boolean" | "array" | "object" | "null"

export interface InputCapture {
  /** Top-level argument names, in argument order. */
  readonly input_keys: ReadonlyArray<string>
  /** Argument name → JSON type. */
  readonly input_types: Readonly<Record<string, InputType>>
  /** Goes to `metadata.input_params_count`. */
  readonly input_params_count: number
}

/** The JSON type of a value; `undefined` for what JSON cannot carry (undefined, functions, symbols). */
export const jsonTypeOf = (value: unknown): InputType | undefined => {
  if (value === null) return "null"
  if (Array.isArray(value)) return "array"
  switch (typeof value) {
    case "string":
      return "string"
    case "number":
    case "bigint":
      return "number"
    case "boolean":
      return "boolean"
    case "object":
      return "object"
    default:
      return undefined
  }
}

/** Arguments that are not a plain object (absent, a primitive, an array) capture nothing. */
export const captureInput = (args: unknown): InputCapture => {
  const input_keys: string[] = []
  const typed: Array<[string, InputType]> = []
  if (typeof args === "object" && args !== null && !Array.isArray(args)) {
    for (const [key, value] of Object.entries(args)) {
      const type = jsonTypeOf(value)
      if (type === undefined) continue
      input_keys.push(key)
      typed.push([key, type])
    }
  }
  // fromEntries defines own properties, so an argument named `__proto__` stays an ordinary key.
  return { input_keys, input_types: Object.fromEntries(typed), input_params_count: input_keys.length }
}
