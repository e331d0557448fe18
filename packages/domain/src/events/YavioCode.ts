import type { SchemaAST } from "effect"

/**
 * Annotation naming the YAVIO code (and the end-user message) for a value that fails a schema
 * node. `decodeEvent` reads it from the failing check, else from the field's property
 * signature; the SDK validator generator reads the same annotations, so both report the same
 * code for the same bad value.
 */
export const YavioCodeAnnotationId: unique symbol = Symbol.for("@yavio/domain/YavioCode")

/** The codes a single event can be rejected with (error-codes.md, YAVIO-21xx). */
export type EventRejectionCode =
  | "YAVIO-2100"
  | "YAVIO-2101"
  | "YAVIO-2102"
  | "YAVIO-2103"
  | "YAVIO-2104"
  | "YAVIO-2105"
  | "YAVIO-2106"
  | "YAVIO-2107"
  | "YAVIO-2108"
  | "YAVIO-2113"

export interface YavioCodeAnnotation {
  readonly code: EventRejectionCode
  /** Completes the sentence "<field> …", e.g. "exceeds 256 characters". Never echoes the value. */
  readonly message: string
}

/** Annotations to spread into a schema, filter or property signature. */
export const coded = (
  code: EventRejectionCode,
  message: string,
): { readonly [YavioCodeAnnotationId]: YavioCodeAnnotation } => ({
  [YavioCodeAnnotationId]: { code, message },
})

export const getYavioCode = (annotated: SchemaAST.Annotated): YavioCodeAnnotation | undefined =>
  annotated.annotations[YavioCodeAnnotationId] as YavioCodeAnnotation | undefined
