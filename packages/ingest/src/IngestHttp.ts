import { HttpApiBuilder, type HttpServerRequest, HttpServerResponse } from "@effect/platform"
import {
  type ApiKeyRevoked,
  EmptyOrMissingRequestBody,
  IngestApi,
  type InvalidApiKey,
  InvalidTraceId,
  MAX_BATCH_BODY_BYTES,
  MalformedBearerToken,
  MissingAuthorizationHeader,
  MissingSessionId,
  type PostgresUnavailable,
  WidgetTokenUnauthorized,
} from "@yavio/domain"
import { Config, Effect, Layer, Option } from "effect"
import { ApiKeys, type KeyOwner } from "./ApiKeys.js"
import { Health } from "./Health.js"
import { answer, errorResponse, isAcceptedContentType, readBody, requestIdOf } from "./HttpEdge.js"
import { type Credential, Intake } from "./Intake.js"
import { Metrics } from "./Metrics.js"
import { RateLimiter } from "./RateLimiter.js"
import { WidgetTokens } from "./WidgetTokens.js"

const CORS_HEADERS = {
  "access-control-allow-methods": "POST, OPTIONS",
  "access-control-allow-headers": "Authorization, Content-Type",
  "access-control-max-age": "86400",
} as const

/** Widgets call from any origin; auth is by token, so the origin is reflected, never `*` with credentials. */
const withCors =
  (request: HttpServerRequest.HttpServerRequest) => (response: HttpServerResponse.HttpServerResponse) => {
    const origin = request.headers.origin
    return origin === undefined
      ? response
      : HttpServerResponse.setHeaders(response, {
          ...CORS_HEADERS,
          "access-control-allow-origin": origin,
          vary: "Origin",
        })
  }

const bearerOf = (
  request: HttpServerRequest.HttpServerRequest,
): Effect.Effect<string, MissingAuthorizationHeader | MalformedBearerToken> => {
  const header = request.headers.authorization
  if (header === undefined || header.trim() === "") return Effect.fail(new MissingAuthorizationHeader({}))
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header)
  return match === null ? Effect.fail(new MalformedBearerToken({})) : Effect.succeed(match[1]!)
}

/** The trusted CDN headers for the client's country (only used when the SDK sent none). */
const countryHeaders = Config.option(Config.string("YAVIO_GEO_HEADER")).pipe(
  Config.map((custom) => [
    ...Option.toArray(custom).map((h) => h.toLowerCase()),
    "cf-ipcountry",
    "x-vercel-ip-country",
  ]),
)

const countryOf = (request: HttpServerRequest.HttpServerRequest, headers: ReadonlyArray<string>) => {
  for (const name of headers) {
    const value = request.headers[name]
    // Cloudflare sends XX for unknown and T1 for Tor: neither is a country.
    if (value !== undefined && /^[A-Za-z]{2}$/.test(value) && value.toUpperCase() !== "XX")
      return value.toUpperCase()
  }
  return undefined
}

const clientIp = (request: HttpServerRequest.HttpServerRequest) =>
  Option.getOrElse(request.remoteAddress, () => "unknown")

export const EventsHandlers = HttpApiBuilder.group(IngestApi, "events", (handlers) =>
  Effect.gen(function* () {
    const apiKeys = yield* ApiKeys
    const widgetTokens = yield* WidgetTokens
    const limiter = yield* RateLimiter
    const intake = yield* Intake
    const metrics = yield* Metrics
    const geoHeaders = yield* countryHeaders

    /** Per-IP budget first, then the credential; a failed credential is charged to the address. */
    const authenticate = <A, E>(
      request: HttpServerRequest.HttpServerRequest,
      resolve: (token: string) => Effect.Effect<A, E>,
    ) => {
      const ip = clientIp(request)
      return limiter.checkIp(ip).pipe(
        Effect.zipRight(bearerOf(request)),
        Effect.flatMap(resolve),
        Effect.tapError((error) =>
          typeof error === "object" && error !== null && "code" in error && error.code === "YAVIO-2403"
            ? Effect.void
            : limiter.chargeFailedAuth(ip),
        ),
      )
    }

    const credentialOf = (token: string): Effect.Effect<Credential, unknown> =>
      token.startsWith("yav_")
        ? Effect.map(apiKeys.resolve(token), (owner) => ({ _tag: "ApiKey", owner }) as const)
        : Effect.map(widgetTokens.verify(token), (claims) => ({ _tag: "Widget", claims }) as const)

    const countRejected = <E>(effect: Effect.Effect<HttpServerResponse.HttpServerResponse, E>) =>
      Effect.tapError(effect, (error) =>
        Effect.sync(() => {
          if (typeof error === "object" && error !== null && "code" in error)
            metrics.eventsRejected.inc({ reason: String(error.code) })
        }),
      )

    return handlers
      .handleRaw("postEvents", ({ request }) => {
        const requestId = requestIdOf(request)
        return answer(
          requestId,
          Effect.gen(function* () {
            if (!isAcceptedContentType(request.headers["content-type"])) {
              return yield* new EmptyOrMissingRequestBody({ detail: "Content-Type must be application/json" })
            }
            const credential = yield* authenticate(request, credentialOf)
            const body = yield* readBody(request, MAX_BATCH_BODY_BYTES)
            const outcome = yield* intake.ingest(credential, body, countryOf(request, geoHeaders))
            if (outcome.status === 200) return HttpServerResponse.unsafeJson({ accepted: outcome.accepted })
            const results = {
              accepted: outcome.accepted,
              rejected: outcome.rejected,
              results: outcome.results,
            }
            if (outcome.status === 207) return HttpServerResponse.unsafeJson(results, { status: 207 })
            const first = outcome.firstError!
            return errorResponse(
              {
                _tag: "EveryEventRejected",
                code: first.code,
                message: `every event was rejected; first: ${first.message}`,
                status: 400,
                fix: undefined,
              },
              requestId,
              results,
            )
          }).pipe(countRejected),
        ).pipe(Effect.map(withCors(request)))
      })
      .handleRaw("preflightEvents", ({ request }) =>
        Effect.succeed(withCors(request)(HttpServerResponse.empty({ status: 204 }))),
      )
      .handleRaw("mintWidgetToken", ({ request }) => {
        const requestId = requestIdOf(request)
        return answer(
          requestId,
          Effect.gen(function* () {
            const owner = yield* authenticate(
              request,
              (
                token,
              ): Effect.Effect<
                KeyOwner,
                InvalidApiKey | ApiKeyRevoked | PostgresUnavailable | WidgetTokenUnauthorized
              > =>
                token.startsWith("yav_")
                  ? apiKeys.resolve(token)
                  : Effect.fail(new WidgetTokenUnauthorized({})),
            )
            yield* limiter.takeMint(owner.keyId)
            const text = yield* readBody(request, 16 * 1024)
            let parsed: unknown
            try {
              parsed = JSON.parse(text)
            } catch {
              return yield* new EmptyOrMissingRequestBody({ detail: "the body is not valid JSON" })
            }
            const payload =
              typeof parsed === "object" && parsed !== null ? (parsed as Record<string, unknown>) : {}
            const { traceId, sessionId } = payload
            if (typeof traceId !== "string" || !/^tr_[A-Za-z0-9_-]{1,125}$/.test(traceId)) {
              return yield* new InvalidTraceId({ detail: "traceId must be tr_ followed by its id" })
            }
            if (typeof sessionId !== "string" || !/^ses_[\x21-\x7e]{1,124}$/.test(sessionId)) {
              return yield* new MissingSessionId({
                detail: "sessionId must be ses_ followed by the session id",
              })
            }
            const minted = yield* widgetTokens.mint({
              projectId: owner.projectId,
              workspaceId: owner.workspaceId,
              traceId,
              sessionId,
            })
            return HttpServerResponse.unsafeJson({
              token: minted.token,
              expiresAt: minted.expiresAt.toISOString(),
            })
          }),
        )
      })
  }),
)

export const OpsHandlers = HttpApiBuilder.group(IngestApi, "ops", (handlers) =>
  Effect.gen(function* () {
    const health = yield* Health
    const metrics = yield* Metrics
    return handlers
      .handleRaw("health", () =>
        Effect.map(health.check, (report) =>
          HttpServerResponse.unsafeJson(report, { status: report.status === "healthy" ? 200 : 503 }),
        ),
      )
      .handleRaw("metrics", () =>
        Effect.succeed(
          HttpServerResponse.text(metrics.render(), {
            contentType: "text/plain; version=0.0.4; charset=utf-8",
          }),
        ),
      )
  }),
)

export const IngestHandlers = Layer.mergeAll(EventsHandlers, OpsHandlers)
