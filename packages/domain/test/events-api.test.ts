import { describe, expect, it } from "@effect/vitest"
import { Effect, Either, Schema } from "effect"
import { ErrorBody } from "../src/api/ErrorBody.js"
import { EventBatch } from "../src/api/EventBatch.js"
import { EventBatchAccepted } from "../src/api/EventBatchAccepted.js"
import { EventBatchPartiallyAccepted } from "../src/api/EventBatchPartiallyAccepted.js"
import { WIDGET_TOKEN_TTL_SECONDS, WidgetTokenClaims } from "../src/api/WidgetTokenClaims.js"
import { WidgetTokenRequest } from "../src/api/WidgetTokenRequest.js"
import { WidgetTokenResponse } from "../src/api/WidgetTokenResponse.js"
import { decodeEvent } from "../src/events/decodeEvent.js"
import { ApiKey } from "../src/ids/ApiKey.js"
import { EventId } from "../src/ids/EventId.js"
import { SessionId } from "../src/ids/SessionId.js"
import { TraceId } from "../src/ids/TraceId.js"
import { invalidEvents, SESSION_ID, TRACE_ID, validEvents } from "./fixtures/events.js"

describe("POST /v1/events bodies", () => {
  it.effect("keeps each event undecoded so one bad event is rejected alone", () =>
    Effect.gen(function* () {
      const body = { events: [validEvents.tool_call, { nonsense: true }, 42], sdk_version: "0.1.0", extra: 1 }
      const batch = yield* Schema.decodeUnknown(EventBatch)(body)
      expect(batch).toEqual({ events: body.events, sdk_version: "0.1.0" })
      expect(batch.events.map((event) => Either.isRight(decodeEvent(event)))).toEqual([true, false, false])
    }),
  )

  it.effect("rejects a body without an events array", () =>
    Effect.gen(function* () {
      const error = yield* Effect.flip(Schema.decodeUnknown(EventBatch)({ events: "nope" }))
      expect(error._tag).toBe("ParseError")
    }),
  )

  it.effect("encodes the 200 and 207 responses", () =>
    Effect.gen(function* () {
      expect(yield* Schema.encode(EventBatchAccepted)({ accepted: 3 })).toEqual({ accepted: 3 })
      const rejected = invalidEvents[2]!
      const partial = {
        accepted: 1,
        rejected: 1,
        results: [
          { status: "accepted" as const },
          {
            status: "rejected" as const,
            error: { code: rejected.code, message: "latency_ms must be a number" },
          },
        ],
      }
      expect(yield* Schema.encode(EventBatchPartiallyAccepted)(partial)).toEqual(partial)
      const error = yield* Effect.flip(
        Schema.decodeUnknown(EventBatchPartiallyAccepted)({ ...partial, accepted: -1 }),
      )
      expect(error._tag).toBe("ParseError")
    }),
  )

  it.effect("decodes the error body", () =>
    Effect.gen(function* () {
      const body = {
        error: { code: "YAVIO-2003", message: "API key revoked", status: 401, requestId: "req_1" },
      }
      expect(yield* Schema.decodeUnknown(ErrorBody)(body)).toEqual(body)
    }),
  )
})

describe("widget tokens", () => {
  it.effect("decodes the request, the response and the JWT claims", () =>
    Effect.gen(function* () {
      const request = yield* Schema.decodeUnknown(WidgetTokenRequest)({
        traceId: TRACE_ID,
        sessionId: SESSION_ID,
      })
      expect(request).toEqual({ traceId: TRACE_ID, sessionId: SESSION_ID })
      const response = { token: "eyJhbGciOiJIUzI1NiJ9.e30.sig", expiresAt: "2025-06-01T12:15:00.000Z" }
      expect(yield* Schema.decodeUnknown(WidgetTokenResponse)(response)).toEqual(response)
      const iat = 1_748_779_200
      const claims = {
        pid: "prj_1",
        wid: "ws_1",
        tid: TRACE_ID,
        sid: SESSION_ID,
        iat,
        exp: iat + WIDGET_TOKEN_TTL_SECONDS,
      }
      expect(yield* Schema.decodeUnknown(WidgetTokenClaims)(claims)).toEqual(claims)
    }),
  )

  it.effect("rejects a request whose traceId is not a trace id", () =>
    Effect.gen(function* () {
      const error = yield* Effect.flip(
        Schema.decodeUnknown(WidgetTokenRequest)({ traceId: "x", sessionId: SESSION_ID }),
      )
      expect(error._tag).toBe("ParseError")
    }),
  )
})

describe("branded ids", () => {
  const is = <A, I>(schema: Schema.Schema<A, I>) => Schema.is(schema)

  it("TraceId: tr_ + URL-safe characters, at most 128 in all", () => {
    expect(is(TraceId)(TRACE_ID)).toBe(true)
    expect(is(TraceId)(`tr_${"a".repeat(125)}`)).toBe(true)
    expect(is(TraceId)(`tr_${"a".repeat(126)}`)).toBe(false)
    expect(is(TraceId)("tr_")).toBe(false)
    expect(is(TraceId)("tr_a b")).toBe(false)
  })

  it("SessionId: ses_ + visible ASCII (an Mcp-Session-Id), at most 128 in all", () => {
    expect(is(SessionId)(SESSION_ID)).toBe(true)
    expect(is(SessionId)("ses_a.b:c/d")).toBe(true)
    expect(is(SessionId)("ses_a b")).toBe(false)
    expect(is(SessionId)(`ses_${"a".repeat(125)}`)).toBe(false)
  })

  it("ApiKey: yav_ + exactly 32 URL-safe characters", () => {
    expect(is(ApiKey)(`yav_${"A1_-".repeat(8)}`)).toBe(true)
    expect(is(ApiKey)(`yav_${"a".repeat(31)}`)).toBe(false)
    expect(is(ApiKey)(`yav_${"a".repeat(33)}`)).toBe(false)
    expect(is(ApiKey)(`key_${"a".repeat(32)}`)).toBe(false)
  })

  it("EventId: a UUID", () => {
    expect(is(EventId)("0B7C2F4E-8F1A-4C56-9D2E-3F4A5B6C7D8E")).toBe(true)
    expect(is(EventId)("0b7c2f4e8f1a4c569d2e3f4a5b6c7d8e")).toBe(false)
  })
})
