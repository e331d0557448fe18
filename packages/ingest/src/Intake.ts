import { randomUUID } from "node:crypto"
import {
  type ApiKeyBurstLimitExceeded,
  type ApiKeyRateLimitExceeded,
  type Backpressure,
  type ClickhouseWriteFailed,
  checkTimestampWindow,
  decodeEvent,
  EmptyBatchArray,
  EmptyOrMissingRequestBody,
  type EventResult,
  EventSchemaValidationFailed,
  MAX_EVENT_BYTES,
  timestampToDate,
  utf8ByteLength,
  type WidgetTokenRateLimitExceeded,
  WidgetTraceMismatch,
  type YavioCode,
} from "@yavio/domain"
import { Context, Effect, Either, Layer } from "effect"
import type { KeyOwner } from "./ApiKeys.js"
import { clickhouseDateTime, type RowContext, type TruncationCode, toRow } from "./EventRow.js"
import { EventWriter } from "./EventWriter.js"
import { Metrics } from "./Metrics.js"
import { Pii } from "./Pii.js"
import { RateLimiter } from "./RateLimiter.js"
import type { WidgetClaims } from "./WidgetTokens.js"

/** Who sends: a project API key (server SDK) or a widget token scoped to one trace. */
export type Credential =
  | { readonly _tag: "ApiKey"; readonly owner: KeyOwner }
  | { readonly _tag: "Widget"; readonly claims: WidgetClaims }

/** What `POST /v1/events` answers once the accepted events are written. */
export type IntakeOutcome =
  | { readonly status: 200; readonly accepted: number }
  | {
      readonly status: 207 | 400
      readonly accepted: number
      readonly rejected: number
      readonly results: ReadonlyArray<EventResult>
      /** For a 400: the first event's rejection, as the error of the body. */
      readonly firstError: { readonly code: YavioCode; readonly message: string } | undefined
    }

export type IntakeError =
  | EmptyOrMissingRequestBody
  | EmptyBatchArray
  | EventSchemaValidationFailed
  | WidgetTraceMismatch
  | ApiKeyRateLimitExceeded
  | ApiKeyBurstLimitExceeded
  | WidgetTokenRateLimitExceeded
  | ClickhouseWriteFailed
  | Backpressure

const rejected = (code: YavioCode, message: string): EventResult => ({
  status: "rejected",
  error: { code, message },
})
const ACCEPTED: EventResult = { status: "accepted" }

const isRecord = (u: unknown): u is Record<string, unknown> =>
  typeof u === "object" && u !== null && !Array.isArray(u)

/** Size of one event as received; a nesting too deep to serialise cannot be under the limit anyway. */
const eventBytes = (event: unknown): number => {
  try {
    return utf8ByteLength(JSON.stringify(event) ?? "")
  } catch {
    return Number.POSITIVE_INFINITY
  }
}

/** Longest `JSON.stringify` of a number: `-2.2250738585072014e-308`. */
const MAX_NUMBER_CHARS = 24
/** Deeper than this the bound gives up and the exact size decides. */
const BOUND_DEPTH = 64

/**
 * An upper bound of `eventBytes(value)` without serialising: a string takes at most 6 bytes per
 * UTF-16 unit (a `\uXXXX` escape; a raw unit is at most 3) plus its quotes, a number at most
 * 24. Stops early, returning `budget + 1`, once the bound passes `budget` or the nesting is
 * deeper than `BOUND_DEPTH`. Expects a JSON value (as `JSON.parse` makes them).
 */
const boundedBytes = (value: unknown, budget: number, depth: number): number => {
  if (typeof value === "string") return 2 + 6 * value.length
  if (typeof value !== "object" || value === null) return MAX_NUMBER_CHARS
  if (depth > BOUND_DEPTH) return budget + 1
  let bytes = 2
  if (Array.isArray(value)) {
    for (const item of value) {
      bytes += 1 + boundedBytes(item, budget - bytes, depth + 1)
      if (bytes > budget) return budget + 1
    }
    return bytes
  }
  for (const key in value) {
    if (!Object.hasOwn(value, key)) continue
    bytes +=
      4 + 6 * key.length + boundedBytes((value as Record<string, unknown>)[key], budget - bytes, depth + 1)
    if (bytes > budget) return budget + 1
  }
  return bytes
}

/**
 * Whether the event as received is over `MAX_EVENT_BYTES` serialised. Nearly every event is
 * far below the limit, which the bound proves without serialising it; only an event the bound
 * cannot clear is serialised and measured.
 */
const exceedsEventBytes = (event: unknown): boolean =>
  boundedBytes(event, MAX_EVENT_BYTES, 0) > MAX_EVENT_BYTES && eventBytes(event) > MAX_EVENT_BYTES

/** A UTF-16 surrogate without its other half: valid in a JS string, not in UTF-8 or ClickHouse. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g
/** A body can only carry lone surrogates as `\uD8xx`-style escapes (its bytes are valid UTF-8). */
const SURROGATE_ESCAPE = /\\u[dD][89a-fA-F]/

/**
 * Replaces lone surrogates by U+FFFD in every string and key. Without this, one such string
 * is serialised as an escape ClickHouse refuses, and the insert it shares with other
 * requests fails for all of them.
 */
const wellFormed = (value: unknown): unknown => {
  if (typeof value === "string") return value.replace(LONE_SURROGATE, "\ufffd")
  if (typeof value !== "object" || value === null) return value
  if (Array.isArray(value)) return value.map(wellFormed)
  const copy: Record<string, unknown> = {}
  for (const [key, item] of Object.entries(value))
    copy[key.replace(LONE_SURROGATE, "\ufffd")] = wellFormed(item)
  return copy
}

/**
 * Steps 3–6 of the ingest processing order for one authenticated request: parse, rate limit,
 * decode each event with the shared Schemas, apply the limits, enrich, strip PII, hand the
 * accepted rows to the writer and wait until they are written.
 *
 * The per-event work is synchronous on purpose: it is the hot path (50,000 events/s on two
 * cores), and an Effect per event would cost more than most events' own processing.
 */
export class Intake extends Context.Tag("@yavio/ingest/Intake")<
  Intake,
  {
    readonly ingest: (
      credential: Credential,
      body: string,
      countryCode: string | undefined,
    ) => Effect.Effect<IntakeOutcome, IntakeError>
  }
>() {
  static readonly make = Effect.gen(function* () {
    const pii = yield* Pii
    const limiter = yield* RateLimiter
    const writer = yield* EventWriter
    const metrics = yield* Metrics

    const parse = (body: string): Either.Either<ReadonlyArray<unknown>, IntakeError> => {
      if (body.trim() === "")
        return Either.left(new EmptyOrMissingRequestBody({ detail: "the body is empty" }))
      let parsed: unknown
      try {
        parsed = JSON.parse(body)
        // Rare (only escaped surrogates can carry one), so the common body pays one regex test.
        if (SURROGATE_ESCAPE.test(body)) parsed = wellFormed(parsed)
      } catch {
        return Either.left(new EmptyOrMissingRequestBody({ detail: "the body is not valid JSON" }))
      }
      if (!isRecord(parsed)) {
        return Either.left(
          new EmptyOrMissingRequestBody({ detail: 'the body must be an object: { "events": [ … ] }' }),
        )
      }
      const events = parsed.events
      if (events === undefined)
        return Either.left(new EmptyOrMissingRequestBody({ detail: "events is missing" }))
      if (!Array.isArray(events))
        return Either.left(new EventSchemaValidationFailed({ detail: "events must be an array" }))
      if (events.length === 0) return Either.left(new EmptyBatchArray({}))
      return Either.right(events)
    }

    const limit = (
      credential: Credential,
      events: ReadonlyArray<unknown>,
    ): Effect.Effect<void, IntakeError> => {
      if (credential._tag === "ApiKey") return limiter.takeKeyEvents(credential.owner.keyId, events.length)
      const { claims } = credential
      // A widget token speaks for one trace: one foreign event rejects the whole batch, since
      // a batch that mixes traces is a forged or broken client, not a partial success.
      for (const event of events) {
        if (!isRecord(event) || event.trace_id !== claims.traceId) {
          return Effect.fail(
            new WidgetTraceMismatch({ detail: "every event must carry the token's trace_id" }),
          )
        }
      }
      return limiter.takeWidgetEvents(`${claims.traceId}:${claims.issuedAt}`, events.length)
    }

    const ingest = (credential: Credential, body: string, countryCode: string | undefined) =>
      Effect.gen(function* () {
        const events = yield* parse(body)
        yield* limit(credential, events)

        const now = new Date()
        const context: RowContext =
          credential._tag === "ApiKey"
            ? {
                workspaceId: credential.owner.workspaceId,
                projectId: credential.owner.projectId,
                ingestedAt: clickhouseDateTime(now),
                countryCode,
                sessionId: undefined,
                source: undefined,
                newEventId: randomUUID,
              }
            : {
                workspaceId: credential.claims.workspaceId,
                projectId: credential.claims.projectId,
                ingestedAt: clickhouseDateTime(now),
                countryCode,
                sessionId: credential.claims.sessionId,
                source: "widget",
                newEventId: randomUUID,
              }
        // No event can exceed 50 KB in a body that is smaller: skip measuring each one.
        const measure = body.length > MAX_EVENT_BYTES / 4

        const results: EventResult[] = []
        const notices: TruncationCode[] = []
        let rows = ""
        let accepted = 0
        let fromServer = 0
        let firstError: { code: YavioCode; message: string } | undefined
        const reject = (code: YavioCode, message: string) => {
          results.push(rejected(code, message))
          metrics.eventsRejected.inc({ reason: code })
          firstError ??= { code, message }
        }

        const piiStartedAt = performance.now()
        for (const raw of events) {
          if (measure && exceedsEventBytes(raw)) {
            reject("YAVIO-2108", `event exceeds ${MAX_EVENT_BYTES} bytes`)
            continue
          }
          const decoded = decodeEvent(raw)
          if (Either.isLeft(decoded)) {
            reject(decoded.left.code, decoded.left.message)
            continue
          }
          const event = decoded.right
          const timestamp = timestampToDate(event.timestamp)
          if (checkTimestampWindow(timestamp, now) !== null) {
            reject("YAVIO-2113", "timestamp must lie within the last 30 days and at most 10 minutes ahead")
            continue
          }
          const scrubbed = pii.scrubEvent(event as unknown as Record<string, unknown>)
          if (Either.isLeft(scrubbed)) {
            reject(scrubbed.left.code, scrubbed.left.message)
            continue
          }
          rows += toRow(scrubbed.right, timestamp, context, notices)
          results.push(ACCEPTED)
          accepted++
          if (event.source === "server" && context.source === undefined) fromServer++
        }
        metrics.piiStripDuration.observe((performance.now() - piiStartedAt) / 1000)
        for (const code of notices) metrics.notices.inc({ code })
        metrics.eventsReceived.inc({ source: "server" }, fromServer)
        metrics.eventsReceived.inc({ source: "widget" }, accepted - fromServer)

        yield* writer.write(rows, accepted)
        metrics.eventsWritten.inc({ source: "server" }, fromServer)
        metrics.eventsWritten.inc({ source: "widget" }, accepted - fromServer)

        const rejectedCount = events.length - accepted
        if (rejectedCount === 0) return { status: 200, accepted } as const
        return {
          status: accepted === 0 ? 400 : 207,
          accepted,
          rejected: rejectedCount,
          results,
          firstError,
        } as const
      })

    return Intake.of({ ingest })
  })

  static readonly layer = Layer.effect(this, this.make)
}
