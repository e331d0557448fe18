import { randomBytes } from "node:crypto"
import { type HttpServerRequest, HttpServerResponse } from "@effect/platform"
import { NodeHttpServerRequest } from "@effect/platform-node"
import {
  BatchExceedsMaxSize,
  EmptyOrMissingRequestBody,
  InternalIngestError,
  isYavioFailure,
  renderErrorBody,
  retryAfterOf,
  type YavioFailure,
} from "@yavio/domain"
import { Cause, Effect, Option } from "effect"

/**
 * What every ingest response shares: a request id (the caller's `X-Request-Id` or a new
 * `req_…`), the YAVIO error body, `Retry-After` on 429/503. Nothing that reaches a client
 * is a bare 500: an unexpected failure is logged whole and answered with `YAVIO-2999`.
 */
export const requestIdOf = (request: HttpServerRequest.HttpServerRequest): string => {
  const given = request.headers["x-request-id"]
  return given !== undefined && /^[\w.:-]{1,128}$/.test(given)
    ? given
    : `req_${randomBytes(9).toString("base64url")}`
}

export const errorResponse = (
  error: YavioFailure & { readonly retryAfterSeconds?: number | undefined },
  requestId: string,
  extra: Readonly<Record<string, unknown>> = {},
): HttpServerResponse.HttpServerResponse => {
  const body = renderErrorBody(error, requestId)
  const retryAfter = retryAfterOf(error)
  return HttpServerResponse.unsafeJson(
    { ...body, ...extra },
    {
      status: body.error.status,
      headers: retryAfter === undefined ? {} : { "retry-after": String(retryAfter) },
    },
  )
}

/** Runs a handler; typed failures become their error body, defects `YAVIO-2999` (and a log line). */
export const answer = <E>(
  requestId: string,
  handler: Effect.Effect<HttpServerResponse.HttpServerResponse, E>,
): Effect.Effect<HttpServerResponse.HttpServerResponse> =>
  handler.pipe(
    Effect.catchAllCause((cause) => {
      const failure = Cause.failureOption(cause)
      if (Option.isSome(failure) && isYavioFailure(failure.value)) {
        return Effect.succeed(errorResponse(failure.value, requestId))
      }
      if (Cause.isInterruptedOnly(cause)) return Effect.interrupt
      return Effect.logError("unexpected failure while handling a request").pipe(
        Effect.annotateLogs({ requestId, "err.code": "YAVIO-2999", cause: Cause.pretty(cause) }),
        Effect.as(errorResponse(new InternalIngestError({}), requestId)),
      )
    }),
    Effect.map(HttpServerResponse.setHeader("x-request-id", requestId)),
  )

/**
 * The request body as text, refused while streaming as soon as it passes `maxBytes` (so a
 * huge body is never buffered, let alone parsed), and refused if it is not UTF-8.
 *
 * Read from Node's own request: when the limit is hit the rest of the body is drained and
 * discarded rather than the socket destroyed, so the client still receives its 413.
 */
export const readBody = (
  request: HttpServerRequest.HttpServerRequest,
  maxBytes: number,
): Effect.Effect<string, BatchExceedsMaxSize | EmptyOrMissingRequestBody> => {
  const tooLarge = new BatchExceedsMaxSize({ detail: `the body exceeds ${maxBytes} bytes` })
  const declared = Number(request.headers["content-length"])
  if (Number.isFinite(declared) && declared > maxBytes) return Effect.fail(tooLarge)
  const incoming = NodeHttpServerRequest.toIncomingMessage(request)
  return Effect.async<Buffer, BatchExceedsMaxSize | EmptyOrMissingRequestBody>((resume) => {
    const chunks: Buffer[] = []
    let size = 0
    const onData = (chunk: Buffer) => {
      size += chunk.byteLength
      if (size > maxBytes) {
        cleanup()
        // Keep reading into the void: the answer can only be written once the body is consumed.
        incoming.resume()
        resume(Effect.fail(tooLarge))
        return
      }
      chunks.push(chunk)
    }
    const onEnd = () => {
      cleanup()
      resume(Effect.succeed(Buffer.concat(chunks, size)))
    }
    const onError = () => {
      cleanup()
      resume(Effect.fail(new EmptyOrMissingRequestBody({ detail: "the body could not be read" })))
    }
    const cleanup = () => {
      incoming.off("data", onData)
      incoming.off("end", onEnd)
      incoming.off("error", onError)
    }
    incoming.on("data", onData)
    incoming.on("end", onEnd)
    incoming.on("error", onError)
    return Effect.sync(cleanup)
  }).pipe(
    Effect.flatMap((bytes) =>
      Effect.try({
        try: () => new TextDecoder("utf-8", { fatal: true }).decode(bytes),
        catch: () => new EmptyOrMissingRequestBody({ detail: "the body is not valid UTF-8" }),
      }),
    ),
  )
}

/** Media types `POST /v1/events` takes: JSON, and text/plain, which a widget's beacon must use. */
export const isAcceptedContentType = (header: string | undefined): boolean => {
  if (header === undefined) return true
  const type = header.split(";")[0]!.trim().toLowerCase()
  return type === "application/json" || type === "text/plain" || type === ""
}
