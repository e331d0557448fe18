import type { Cause } from "effect"
import { Schema } from "effect"
import { type CatalogEntry, ErrorCatalog, type LogLevel, type YavioCode } from "./ErrorCatalog.js"

/**
 * Every error a Yavio service fails with is a `Schema.TaggedError` made here, bound to one
 * catalog code. The catalog owns the user-facing message and status so that a code means the
 * same thing at every edge (HTTP body, RPC failure, CLI line, log `err.code`).
 *
 * `detail` is appended to the message and therefore must be safe to show an end user (a
 * field name, a limit). Internal causes (driver errors, SQL) go to `cause`, which edges log
 * but never render.
 *
 * Usage: `export class InvalidApiKey extends YavioError<InvalidApiKey>()("InvalidApiKey", "YAVIO-2001") {}`
 */
const fields = {
  detail: Schema.optional(Schema.String),
  cause: Schema.optional(Schema.Defect),
  /** Seconds the client should wait before retrying (429 and 503 answers send it as `Retry-After`). */
  retryAfterSeconds: Schema.optional(Schema.Number),
}

type Fields<Tag extends string> = { readonly _tag: Schema.tag<Tag> } & typeof fields

/** What a Yavio error adds to a tagged error, on top of `_tag`, `detail` and `cause`. */
export interface YavioErrorMembers<Code extends YavioCode> {
  readonly code: Code
  readonly status: number | LogLevel
  readonly fix: string | undefined
}

/**
 * The class `YavioError` makes. Named so declaration emit can refer to it: an anonymous class
 * returned from a generic function cannot be written into a `.d.ts`.
 */
export interface YavioErrorClass<Self, Tag extends string, Code extends YavioCode>
  extends Schema.Class<
    Self,
    Fields<Tag>,
    Schema.Struct.Encoded<Fields<Tag>>,
    never,
    Schema.Struct.Constructor<typeof fields>,
    {},
    Cause.YieldableError & YavioErrorMembers<Code>
  > {
  readonly _tag: Tag
  readonly code: Code
}

export const YavioError =
  <Self = never>() =>
  <const Tag extends string, const Code extends YavioCode>(
    tag: Tag,
    code: Code,
  ): YavioErrorClass<Self, Tag, Code> => {
    const entry: CatalogEntry = ErrorCatalog[code]
    // Inside this generic function `Self` is still open, so TaggedError's guard against a
    // missing `Self` cannot resolve; the cast states the class it produces once `Self` is known.
    const Base = Schema.TaggedError<Self>()(tag, fields) as unknown as Schema.TaggedErrorClass<
      Self,
      Tag,
      Fields<Tag>
    >
    const YavioErrorBase = class extends Base {
      static readonly code: Code = code
      get code(): Code {
        return code
      }
      /** HTTP status for codes an edge returns, else the level the code is logged at. */
      get status(): number | LogLevel {
        return entry.status
      }
      override get message(): string {
        return this.detail === undefined ? entry.message : `${entry.message}: ${this.detail}`
      }
      get fix(): string | undefined {
        return entry.fix
      }
    }
    // The statics inherited from Schema.Class (`extend`, `make`) are typed for the base; the
    // instance members above are what callers use.
    return YavioErrorBase as unknown as YavioErrorClass<Self, Tag, Code>
  }

/** What every Yavio error exposes, whatever its tag. */
export interface YavioFailure {
  readonly _tag: string
  readonly code: YavioCode
  readonly status: number | LogLevel
  readonly message: string
  readonly fix: string | undefined
}

export const isYavioFailure = (u: unknown): u is YavioFailure =>
  typeof u === "object" &&
  u !== null &&
  "_tag" in u &&
  "code" in u &&
  typeof u.code === "string" &&
  Object.hasOwn(ErrorCatalog, u.code)

/** The HTTP status an edge answers with: the catalog's, or 500 for a code that is only logged. */
export const httpStatusOf = (error: YavioFailure): number =>
  typeof error.status === "number" ? error.status : 500

/** The error body every HTTP service returns (error-codes.md). */
export interface ErrorBodyJson {
  readonly error: {
    readonly code: YavioCode
    readonly message: string
    readonly status: number
    readonly requestId: string
  }
}

/** `Retry-After` for answers that invite a retry: the error's own figure, else one second. */
export const retryAfterOf = (error: YavioFailure & { readonly retryAfterSeconds?: number | undefined }) => {
  const status = httpStatusOf(error)
  if (status !== 429 && status !== 503) return undefined
  return Math.max(1, Math.ceil(error.retryAfterSeconds ?? 1))
}

export const renderErrorBody = (error: YavioFailure, requestId: string): ErrorBodyJson => ({
  error: { code: error.code, message: error.message, status: httpStatusOf(error), requestId },
})
