import { Schema } from "effect"

/** Largest accepted request body: 500 KB (checked while reading, YAVIO-2111). */
export const MAX_BATCH_BODY_BYTES = 500 * 1024

/**
 * Body of `POST /v1/events`. Events stay `unknown` here so that each is decoded on its own
 * (`decodeEvent`) and one bad event is rejected alone; an empty `events` array is the
 * handler's YAVIO-2110, not a decode failure. Unknown top-level fields are ignored.
 */
export const EventBatch = Schema.Struct({
  events: Schema.Array(Schema.Unknown),
  sdk_version: Schema.optionalWith(Schema.String, { exact: true }),
  /** When the SDK sent the batch (ISO-8601), on its clock. */
  sent_at: Schema.optionalWith(Schema.String, { exact: true }),
})
export type EventBatch = typeof EventBatch.Type
