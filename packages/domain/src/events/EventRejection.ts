import { type ParseResult, SchemaAST } from "effect"
import { type EventRejectionCode, getYavioCode, type YavioCodeAnnotation } from "./YavioCode.js"

/** Why one event was rejected: a YAVIO code, a message safe to show end users, the failing path. */
export interface EventRejection {
  readonly code: EventRejectionCode
  readonly message: string
  readonly path: ReadonlyArray<PropertyKey>
}

/** The message for an input that is not an object at all (path `[]`). */
export const NOT_AN_OBJECT_MESSAGE = "event must be a JSON object"
/** Completes "<field> …" for a missing required field (YAVIO-2101). */
export const MISSING_MESSAGE = "is required"
/** Used when a failing node carries no annotation; every event field has one, so this is a safety net. */
const UNANNOTATED: YavioCodeAnnotation = { code: "YAVIO-2100", message: "is invalid" }

const first = <A>(issues: A | ReadonlyArray<A>): A =>
  Array.isArray(issues) ? (issues as ReadonlyArray<A>)[0]! : (issues as A)

const keys = (path: ParseResult.Path): ReadonlyArray<PropertyKey> =>
  Array.isArray(path) ? (path as ReadonlyArray<PropertyKey>) : [path as PropertyKey]

/**
 * The annotation of the check that failed, if that check names a code of its own (a length
 * limit, the timestamp format, …); `undefined` when the value had the wrong shape, which the
 * field's own annotation covers. Appends nested keys (array index, record key) to `path`.
 * In a union (`user_id: string | null`, `timestamp: string | number`) the first member whose
 * shape matched but whose check failed speaks for the union.
 */
const failedCheck = (
  issue: ParseResult.ParseIssue,
  path: Array<PropertyKey>,
): YavioCodeAnnotation | undefined => {
  switch (issue._tag) {
    case "Refinement":
      return issue.kind === "Predicate" ? getYavioCode(issue.ast) : failedCheck(issue.issue, path)
    case "Pointer":
      path.push(...keys(issue.path))
      return failedCheck(issue.issue, path)
    case "Transformation":
      return failedCheck(issue.issue, path)
    case "Composite": {
      if (!SchemaAST.isUnion(issue.ast)) return failedCheck(first(issue.issues), path)
      for (const member of Array.isArray(issue.issues) ? issue.issues : [issue.issues]) {
        const memberPath: Array<PropertyKey> = []
        const annotation = failedCheck(member, memberPath)
        if (annotation !== undefined) {
          path.push(...memberPath)
          return annotation
        }
      }
      return undefined
    }
    default:
      return undefined
  }
}

const fieldRejection = (struct: SchemaAST.TypeLiteral, pointer: ParseResult.Pointer): EventRejection => {
  const [key] = keys(pointer.path) as [PropertyKey]
  const field = String(key)
  if (pointer.issue._tag === "Missing") {
    return { code: "YAVIO-2101", message: `${field} ${MISSING_MESSAGE}`, path: [key] }
  }
  const path: Array<PropertyKey> = [key]
  const property = struct.propertySignatures.find((signature) => signature.name === key)
  const annotation = failedCheck(pointer.issue, path) ?? (property && getYavioCode(property)) ?? UNANNOTATED
  return { code: annotation.code, message: `${field} ${annotation.message}`, path }
}

/**
 * Maps the issue of a failed event decode (default options: first error only) to the YAVIO
 * code and message of the first failing field, in schema field order.
 */
export const rejectionFromIssue = (issue: ParseResult.ParseIssue): EventRejection => {
  if (issue._tag === "Composite" && SchemaAST.isTypeLiteral(issue.ast)) {
    const pointer = first(issue.issues)
    if (pointer._tag === "Pointer") return fieldRejection(issue.ast, pointer)
  }
  return { code: "YAVIO-2100", message: NOT_AN_OBJECT_MESSAGE, path: [] }
}
