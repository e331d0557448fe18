import { Schema } from "effect"

/** The error body of every HTTP service (error-codes.md). `message` is safe to show end users. */
export const ErrorBody = Schema.Struct({
  error: Schema.Struct({
    code: Schema.String,
    message: Schema.String,
    status: Schema.Number.pipe(Schema.int()),
    requestId: Schema.String,
  }),
})
export type ErrorBody = typeof ErrorBody.Type
