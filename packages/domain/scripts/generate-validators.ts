// Generates packages/sdk/src/validators.generated.ts from the event Schemas: plain TypeScript
// with no imports, so the SDK (server and react entries) validates exactly what ingest
// accepts without bundling Effect.
//
//   node --import tsx packages/domain/scripts/generate-validators.ts           write the file
//   node --import tsx packages/domain/scripts/generate-validators.ts --check   exit 1 if stale
//
// The Schemas' ASTs are walked, not their JSON Schema: the YAVIO code annotations and the
// order of the checks (which decides the code when several would fail) live only in the AST.
// A refinement this script cannot translate stops it with an error rather than being skipped.
import { readFileSync, writeFileSync } from "node:fs"
import { fileURLToPath, pathToFileURL } from "node:url"
import { Schema, SchemaAST } from "effect"
import { MAX_EVENT_BYTES } from "../src/events/checkEventSize.js"
import { MISSING_MESSAGE, NOT_AN_OBJECT_MESSAGE } from "../src/events/EventRejection.js"
import { CalendarDateSchemaId } from "../src/events/EventTimestamp.js"
import { KNOWN_EVENT_TYPES } from "../src/events/EventType.js"
import { GenericEvent, NotKnownEventTypeSchemaId } from "../src/events/GenericEvent.js"
import { JsonArraySchemaId } from "../src/events/JsonArray.js"
import { JsonObjectSchemaId } from "../src/events/JsonObject.js"
import { KnownEventSchemas } from "../src/events/KnownEvent.js"
import { getYavioCode } from "../src/events/YavioCode.js"

export const GENERATED_FILE = fileURLToPath(new URL("../../sdk/src/validators.generated.ts", import.meta.url))
const REGENERATE = "node --import tsx packages/domain/scripts/generate-validators.ts"
const LINE_WIDTH = 110

// ---------------------------------------------------------------------------------------------
// AST → rules (the same shapes as the `Rule` type in the template below). Type aliases, not
// interfaces, so they are assignable to `Printable` as they are.

type Failure = { readonly code: string; readonly message: string }
type StringCheck = (
  | { kind: "maxLength"; limit: number }
  | { kind: "pattern"; regex: RegExp }
  | { kind: "calendarDate" }
  | { kind: "notOneOf"; values: ReadonlyArray<string> }
) & { failure?: Failure }
type NumberCheck = ({ kind: "int" } | { kind: "finite" } | { kind: "range"; min?: number; max?: number }) & {
  failure?: Failure
}
type Rule =
  | { type: "string"; checks: Array<StringCheck> }
  | { type: "number"; checks: Array<NumberCheck> }
  | { type: "literal"; values: ReadonlyArray<string | number | boolean | null> }
  | { type: "object" }
  | { type: "unknown" }
  | { type: "array"; items: Rule }
  | { type: "record"; values: Rule }
  | { type: "union"; members: ReadonlyArray<Rule> }
type FieldRule = {
  name: string
  required: boolean
  failure: Failure
  rule: Rule
}

const untranslatable = (ast: SchemaAST.AST, why: string): Error =>
  new Error(`generate-validators: cannot translate ${String(ast)} (${why}); teach toRule() about it`)

const withFailure = <C extends object>(check: C, ast: SchemaAST.Refinement): C & { failure?: Failure } => {
  const failure = getYavioCode(ast)
  return failure === undefined ? check : { ...check, failure }
}

const jsonSchemaOf = (ast: SchemaAST.Refinement): Record<string, unknown> =>
  (ast.annotations[SchemaAST.JSONSchemaAnnotationId] ?? {}) as Record<string, unknown>

const stringCheck = (ast: SchemaAST.Refinement): StringCheck => {
  const id = ast.annotations[SchemaAST.SchemaIdAnnotationId]
  if (id === Schema.MaxLengthSchemaId) {
    return withFailure({ kind: "maxLength", limit: jsonSchemaOf(ast).maxLength as number }, ast)
  }
  if (id === CalendarDateSchemaId) return withFailure({ kind: "calendarDate" }, ast)
  if (id === NotKnownEventTypeSchemaId) {
    return withFailure(
      { kind: "notOneOf", values: ast.annotations[NotKnownEventTypeSchemaId] as string[] },
      ast,
    )
  }
  const pattern = ast.annotations[Schema.PatternSchemaId] as { regex: RegExp } | undefined
  if (pattern !== undefined) return withFailure({ kind: "pattern", regex: pattern.regex }, ast)
  throw untranslatable(ast, "unknown string refinement")
}

const numberCheck = (ast: SchemaAST.Refinement): NumberCheck => {
  const id = ast.annotations[SchemaAST.SchemaIdAnnotationId]
  const json = jsonSchemaOf(ast)
  if (id === Schema.IntSchemaId) return withFailure({ kind: "int" }, ast)
  if (id === Schema.FiniteSchemaId) return withFailure({ kind: "finite" }, ast)
  if (id === Schema.GreaterThanOrEqualToSchemaId) {
    return withFailure({ kind: "range", min: json.minimum as number }, ast)
  }
  if (id === Schema.LessThanOrEqualToSchemaId) {
    return withFailure({ kind: "range", max: json.maximum as number }, ast)
  }
  if (id === Schema.BetweenSchemaId) {
    return withFailure({ kind: "range", min: json.minimum as number, max: json.maximum as number }, ast)
  }
  throw untranslatable(ast, "unknown number refinement")
}

const toRule = (ast: SchemaAST.AST): Rule => {
  switch (ast._tag) {
    case "StringKeyword":
      return { type: "string", checks: [] }
    case "NumberKeyword":
      return { type: "number", checks: [] }
    case "UnknownKeyword":
      return { type: "unknown" }
    case "Literal":
      if (typeof ast.literal === "bigint") throw untranslatable(ast, "bigint literal")
      return { type: "literal", values: [ast.literal] }
    case "Union": {
      const members = ast.types.map(toRule)
      if (members.every((member) => member.type === "literal")) {
        return { type: "literal", values: members.flatMap((member) => member.values) }
      }
      return { type: "union", members }
    }
    case "Refinement": {
      const base = toRule(ast.from)
      if (base.type === "string") return { type: "string", checks: [...base.checks, stringCheck(ast)] }
      if (base.type === "number") return { type: "number", checks: [...base.checks, numberCheck(ast)] }
      throw untranslatable(ast, `refinement of ${base.type}`)
    }
    case "Declaration": {
      const id = ast.annotations[SchemaAST.SchemaIdAnnotationId]
      if (id === JsonObjectSchemaId) return { type: "object" }
      if (id === JsonArraySchemaId) return { type: "array", items: { type: "unknown" } }
      throw untranslatable(ast, "unknown declaration")
    }
    case "TupleType":
      if (ast.elements.length === 0 && ast.rest.length === 1)
        return { type: "array", items: toRule(ast.rest[0]!.type) }
      throw untranslatable(ast, "tuple")
    case "TypeLiteral": {
      const [index] = ast.indexSignatures
      if (ast.propertySignatures.length === 0 && ast.indexSignatures.length === 1 && index !== undefined) {
        if (index.parameter._tag !== "StringKeyword") throw untranslatable(ast, "non-string record key")
        return { type: "record", values: toRule(index.type) }
      }
      throw untranslatable(ast, "nested struct")
    }
    default:
      throw untranslatable(ast, ast._tag)
  }
}

const fieldRules = (schema: Schema.Schema.AnyNoContext): Array<FieldRule> => {
  const ast = schema.ast
  if (!SchemaAST.isTypeLiteral(ast)) throw untranslatable(ast, "an event must be a struct")
  return ast.propertySignatures.map((signature) => {
    const failure = getYavioCode(signature)
    if (failure === undefined) {
      throw new Error(`generate-validators: field ${String(signature.name)} has no YAVIO code annotation`)
    }
    return {
      name: String(signature.name),
      required: !signature.isOptional,
      failure,
      rule: toRule(signature.type),
    }
  })
}

// ---------------------------------------------------------------------------------------------
// Printing: values as TypeScript literals, laid out the way biome formats them (a group goes on
// one line when it fits in 110 columns, else one element per line with a trailing comma;
// arrays of several multi-key objects always break, as in Prettier).

class Ref {
  constructor(readonly name: string) {}
}
type Printable = string | number | boolean | null | RegExp | Ref | ReadonlyArray<Printable> | PrintableObject
interface PrintableObject {
  readonly [key: string]: Printable | undefined
}

const isPlainObject = (value: Printable): value is PrintableObject =>
  typeof value === "object" &&
  value !== null &&
  !Array.isArray(value) &&
  !(value instanceof RegExp) &&
  !(value instanceof Ref)

const entriesOf = (value: PrintableObject): Array<[string, Printable]> =>
  Object.entries(value).filter((entry): entry is [string, Printable] => entry[1] !== undefined)

const keyOf = (key: string): string => (/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key) ? key : JSON.stringify(key))

const mustBreak = (value: Printable): boolean => {
  if (Array.isArray(value)) {
    const items = value as ReadonlyArray<Printable>
    if (items.length > 1 && items.every((item) => isPlainObject(item) && entriesOf(item).length > 1))
      return true
    return items.some(mustBreak)
  }
  return isPlainObject(value) && entriesOf(value).some(([, item]) => mustBreak(item))
}

const inline = (value: Printable): string => {
  if (value instanceof Ref) return value.name
  if (value instanceof RegExp) return value.toString()
  if (Array.isArray(value)) return `[${(value as ReadonlyArray<Printable>).map(inline).join(", ")}]`
  if (isPlainObject(value)) {
    const entries = entriesOf(value)
    return entries.length === 0
      ? "{}"
      : `{ ${entries.map(([key, item]) => `${keyOf(key)}: ${inline(item)}`).join(", ")} }`
  }
  return typeof value === "string" ? JSON.stringify(value) : String(value)
}

const print = (value: Printable, indent: string, head: string, tail: string): string => {
  const flat = `${indent}${head}${inline(value)}${tail}`
  if (flat.length <= LINE_WIDTH && !mustBreak(value)) return flat
  const inner = `${indent}  `
  if (Array.isArray(value)) {
    const items = (value as ReadonlyArray<Printable>).map((item) => print(item, inner, "", ","))
    return [`${indent}${head}[`, ...items, `${indent}]${tail}`].join("\n")
  }
  if (isPlainObject(value)) {
    const items = entriesOf(value).map(([key, item]) => print(item, inner, `${keyOf(key)}: `, ","))
    return [`${indent}${head}{`, ...items, `${indent}}${tail}`].join("\n")
  }
  // A regex too long for its line moves below its key, as biome lays it out; other primitives stay.
  if (value instanceof RegExp && head.endsWith(": "))
    return `${indent}${head.trimEnd()}\n${inner}${inline(value)}${tail}`
  return flat
}

// ---------------------------------------------------------------------------------------------
// The generated module

const constantName = (field: FieldRule, taken: ReadonlySet<string>): string => {
  const base = field.name.toUpperCase()
  const rule = field.rule
  if (rule.type === "literal" && rule.values.length === 1)
    return `${base}_${String(rule.values[0]).toUpperCase()}`
  if (!taken.has(base)) return base
  const variant = `${base}_${field.required ? "REQUIRED" : "OPTIONAL"}`
  if (!taken.has(variant)) return variant
  for (let n = 2; ; n++) if (!taken.has(`${base}_${n}`)) return `${base}_${n}`
}

const HEADER = `// GENERATED FILE, do not edit. Made by packages/domain/scripts/generate-validators.ts from the
// event Schemas in packages/domain/src/events, so the SDK checks events by the same rules and
// YAVIO codes as ingest's decodeEvent. After changing a Schema, regenerate:
//   ${REGENERATE}
// CI runs the same command with --check and fails when this file is stale.`

const TYPES = `export type ValidationResult =
  | { readonly ok: true }
  | { readonly ok: false; readonly code: string; readonly field: string; readonly message: string }

interface Failure {
  readonly code: string
  /** Completes "<field> …". */
  readonly message: string
}

type StringCheck = (
  | { readonly kind: "maxLength"; readonly limit: number }
  | { readonly kind: "pattern"; readonly regex: RegExp }
  | { readonly kind: "calendarDate" }
  | { readonly kind: "notOneOf"; readonly values: ReadonlyArray<string> }
) & { readonly failure?: Failure }

type NumberCheck = (
  | { readonly kind: "int" }
  | { readonly kind: "finite" }
  | { readonly kind: "range"; readonly min?: number; readonly max?: number }
) & { readonly failure?: Failure }

type Rule =
  | { readonly type: "string"; readonly checks: ReadonlyArray<StringCheck> }
  | { readonly type: "number"; readonly checks: ReadonlyArray<NumberCheck> }
  | { readonly type: "literal"; readonly values: ReadonlyArray<string | number | boolean | null> }
  | { readonly type: "object" }
  | { readonly type: "unknown" }
  | { readonly type: "array"; readonly items: Rule }
  | { readonly type: "record"; readonly values: Rule }
  | { readonly type: "union"; readonly members: ReadonlyArray<Rule> }

interface FieldRule {
  readonly name: string
  readonly required: boolean
  /** Used when the value has the wrong shape, or fails a check that names no failure of its own. */
  readonly failure: Failure
  readonly rule: Rule
}`

const INTERPRETER = `const isRecord = (value: unknown): value is { readonly [key: string]: unknown } =>
  typeof value === "object" && value !== null && !Array.isArray(value)

const isCalendarDate = (iso: string): boolean => {
  const year = Number(iso.slice(0, 4))
  const month = Number(iso.slice(5, 7))
  const day = Number(iso.slice(8, 10))
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0)
  const days =
    month === 2 ? (leap ? 29 : 28) : month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31
  return day <= days
}

const passesString = (check: StringCheck, value: string): boolean => {
  switch (check.kind) {
    case "maxLength":
      return value.length <= check.limit
    case "pattern":
      return check.regex.test(value)
    case "calendarDate":
      return isCalendarDate(value)
    case "notOneOf":
      return !check.values.includes(value)
  }
}

const passesNumber = (check: NumberCheck, value: number): boolean => {
  switch (check.kind) {
    case "int":
      return Number.isSafeInteger(value)
    case "finite":
      return Number.isFinite(value)
    case "range":
      return (
        (check.min === undefined || value >= check.min) && (check.max === undefined || value <= check.max)
      )
  }
}

/** undefined when the value passes; the failed check's own failure if it has one; else "invalid". */
const checkValue = (rule: Rule, value: unknown): Failure | "invalid" | undefined => {
  switch (rule.type) {
    case "string":
      if (typeof value !== "string") return "invalid"
      for (const check of rule.checks) if (!passesString(check, value)) return check.failure ?? "invalid"
      return undefined
    case "number":
      if (typeof value !== "number") return "invalid"
      for (const check of rule.checks) if (!passesNumber(check, value)) return check.failure ?? "invalid"
      return undefined
    case "literal":
      return rule.values.some((allowed) => allowed === value) ? undefined : "invalid"
    case "object":
      return isRecord(value) ? undefined : "invalid"
    case "unknown":
      return undefined
    case "array":
      if (!Array.isArray(value)) return "invalid"
      for (const item of value) {
        const outcome = checkValue(rule.items, item)
        if (outcome !== undefined) return outcome
      }
      return undefined
    case "record":
      if (!isRecord(value)) return "invalid"
      for (const key of Object.keys(value)) {
        const outcome = checkValue(rule.values, value[key])
        if (outcome !== undefined) return outcome
      }
      return undefined
    case "union": {
      // The first member whose shape matched but whose check failed speaks for the union.
      let specific: Failure | undefined
      for (const member of rule.members) {
        const outcome = checkValue(member, value)
        if (outcome === undefined) return undefined
        if (specific === undefined && outcome !== "invalid") specific = outcome
      }
      return specific ?? "invalid"
    }
  }
}

const VALID: ValidationResult = { ok: true }

/**
 * Checks one event as ingest's decodeEvent does: the fields of its event_type (or of a generic
 * event for an unknown type) in schema order, reporting the first failure. Unknown fields are
 * ignored. Size (MAX_EVENT_BYTES) and the timestamp window are separate checks.
 */
export const validateEvent = (event: unknown): ValidationResult => {
  if (!isRecord(event)) return { ok: false, code: "YAVIO-2100", field: "", message: NOT_AN_OBJECT_MESSAGE }
  const type = Object.hasOwn(event, "event_type") ? event.event_type : undefined
  const known = typeof type === "string" && Object.hasOwn(FIELDS_BY_TYPE, type)
  for (const field of (known && FIELDS_BY_TYPE[type]) || GENERIC_FIELDS) {
    if (!Object.hasOwn(event, field.name)) {
      if (!field.required) continue
      return { ok: false, code: "YAVIO-2101", field: field.name, message: \`\${field.name} \${MISSING_MESSAGE}\` }
    }
    const outcome = checkValue(field.rule, event[field.name])
    if (outcome !== undefined) {
      const failure = outcome === "invalid" ? field.failure : outcome
      return { ok: false, code: failure.code, field: field.name, message: \`\${field.name} \${failure.message}\` }
    }
  }
  return VALID
}`

/** The generated module's text. Pure: the freshness test compares it with the committed file. */
export const renderValidators = (): string => {
  const constants = new Map<string, { name: string; field: FieldRule }>()
  const taken = new Set<string>()
  const refsOf = (fields: ReadonlyArray<FieldRule>): Array<Ref> =>
    fields.map((field) => {
      const text = inline(field)
      let constant = constants.get(text)
      if (constant === undefined) {
        constant = { name: constantName(field, taken), field }
        taken.add(constant.name)
        constants.set(text, constant)
      }
      return new Ref(constant.name)
    })

  const byType: Record<string, Array<Ref>> = {}
  for (const type of KNOWN_EVENT_TYPES) byType[type] = refsOf(fieldRules(KnownEventSchemas[type]))
  const generic = refsOf(fieldRules(GenericEvent))

  const fieldConstants = [...constants.values()].map(({ name, field }) =>
    print(field, "", `const ${name}: FieldRule = `, ""),
  )
  return [
    HEADER,
    "",
    print(KNOWN_EVENT_TYPES, "", "export const KNOWN_EVENT_TYPES = ", " as const"),
    "export type KnownEventType = (typeof KNOWN_EVENT_TYPES)[number]",
    "",
    "/** Largest accepted event, serialised as JSON (YAVIO-2108 at ingest). */",
    `export const MAX_EVENT_BYTES = ${MAX_EVENT_BYTES}`,
    "",
    `const NOT_AN_OBJECT_MESSAGE = ${JSON.stringify(NOT_AN_OBJECT_MESSAGE)}`,
    `const MISSING_MESSAGE = ${JSON.stringify(MISSING_MESSAGE)}`,
    "",
    TYPES,
    "",
    fieldConstants.join("\n\n"),
    "",
    print(byType, "", "const FIELDS_BY_TYPE: { readonly [type: string]: ReadonlyArray<FieldRule> } = ", ""),
    "",
    print(generic, "", "const GENERIC_FIELDS: ReadonlyArray<FieldRule> = ", ""),
    "",
    INTERPRETER,
    "",
  ].join("\n")
}

const main = (): void => {
  const rendered = renderValidators()
  if (process.argv.includes("--check")) {
    let committed: string | undefined
    try {
      committed = readFileSync(GENERATED_FILE, "utf8")
    } catch {
      committed = undefined
    }
    if (committed !== rendered) {
      console.error(
        `packages/sdk/src/validators.generated.ts is ${committed === undefined ? "missing" : "stale"}: ` +
          `the event Schemas changed since it was generated. Run \`${REGENERATE}\` (npm run generate) and commit the result.`,
      )
      process.exitCode = 1
      return
    }
    console.log("packages/sdk/src/validators.generated.ts is up to date.")
    return
  }
  writeFileSync(GENERATED_FILE, rendered)
  console.log(`wrote ${GENERATED_FILE}`)
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) main()
