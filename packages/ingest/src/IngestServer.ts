import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http"
import {
  HttpApiBuilder,
  type HttpApp,
  HttpServer,
  HttpServerRequest,
  HttpServerResponse,
} from "@effect/platform"
import { NodeHttpServer } from "@effect/platform-node"
import { Backpressure, CorsMethodNotAllowed, IngestApi, renderErrorBody } from "@yavio/domain"
import { Effect, Layer } from "effect"
import { ApiKeys } from "./ApiKeys.js"
import { defaultEventWriterOptions, EventWriter, type EventWriterOptions } from "./EventWriter.js"
import { Health } from "./Health.js"
import { errorResponse, requestIdOf } from "./HttpEdge.js"
import { IngestHandlers } from "./IngestHttp.js"
import { Intake } from "./Intake.js"
import { Metrics } from "./Metrics.js"
import { Pii } from "./Pii.js"
import { RateLimiter, type RateLimits } from "./RateLimiter.js"
import { WidgetTokens } from "./WidgetTokens.js"

export interface IngestServerOptions {
  readonly port: number
  readonly host: string
  readonly version: string
  readonly writer?: EventWriterOptions
  /** Defaults to the spec's limits, overridable through YAVIO_RATE_LIMIT_* variables. */
  readonly rateLimits?: RateLimits
}

const API_PATHS = new Set(["/v1/events", "/v1/widget-tokens", "/health", "/metrics", "/v1/openapi.json"])

/**
 * A known path asked with a method it does not serve answers 405 `YAVIO-7401` instead of the
 * router's bare 404.
 */
const methodNotAllowed = <R>(
  app: HttpApp.Default<never, R>,
): HttpApp.Default<never, R | HttpServerRequest.HttpServerRequest> =>
  Effect.gen(function* () {
    // The router fails with RouteNotFound (typed never: the server turns it into a bare 404
    // later), so both that failure and a 404 response count as "no such route".
    const response = yield* Effect.either(app as HttpApp.Default<unknown, R>)
    const notFound =
      response._tag === "Left"
        ? typeof response.left === "object" &&
          response.left !== null &&
          (response.left as { _tag?: unknown })._tag === "RouteNotFound"
        : response.right.status === 404
    const request = yield* HttpServerRequest.HttpServerRequest
    const path = request.url.split("?")[0]!
    if (!notFound || !API_PATHS.has(path)) {
      return response._tag === "Right" ? response.right : yield* Effect.fail(response.left as never)
    }
    const requestId = requestIdOf(request)
    return HttpServerResponse.setHeaders(errorResponse(new CorsMethodNotAllowed({}), requestId), {
      allow: path === "/v1/events" ? "POST, OPTIONS" : path === "/v1/widget-tokens" ? "POST" : "GET",
      "x-request-id": requestId,
    })
  })

/** The services behind the handlers. Needs PgClient, ClickhouseClient and IngestSecrets. */
export const IngestServices = (options: Omit<IngestServerOptions, "port" | "host">) =>
  Layer.mergeAll(Intake.layer, ApiKeys.layer, WidgetTokens.layer, Health.layer(options.version)).pipe(
    Layer.provideMerge(
      Layer.mergeAll(
        EventWriter.layer(options.writer ?? defaultEventWriterOptions),
        Pii.layer,
        options.rateLimits === undefined ? RateLimiter.layer : RateLimiter.layerWith(options.rateLimits),
      ),
    ),
    Layer.provideMerge(Metrics.layer),
  )

/**
 * Shutdown, first step (its finalizer runs before the app handler is detached): stop
 * accepting connections, close idle ones, and from the moment the app handler is gone
 * answer any request still arriving on an open connection with 503 `YAVIO-2402` and
 * `Connection: close`. Requests already running finish: their handlers wait for the
 * writer, which drains its queue before the server is finally closed.
 */
const shutdownGate = (server: Server) =>
  Layer.scopedDiscard(
    Effect.addFinalizer(() =>
      Effect.sync(() => {
        const body = JSON.stringify(
          renderErrorBody(
            new Backpressure({ detail: "shutting down", retryAfterSeconds: 1 }),
            "req_shutdown",
          ),
        )
        server.on("request", (_request: IncomingMessage, response: ServerResponse) => {
          // While the app's own listener is still attached it answers; this one only
          // catches what arrives after it was removed.
          if (server.listenerCount("request") > 1 || response.headersSent) return
          response.writeHead(503, {
            "content-type": "application/json",
            "retry-after": "1",
            connection: "close",
          })
          response.end(body)
        })
        server.close()
        server.closeIdleConnections()
        // Connections that finish their last request become idle later; close them as they do.
        setInterval(() => server.closeIdleConnections(), 50).unref()
      }),
    ),
  )

/**
 * The ingestion service on a Node HTTP server. On release (SIGTERM) it stops taking
 * connections, answers what is in flight once the writer has written it, refuses the rest
 * with 503, and closes.
 */
export const IngestServer = (options: IngestServerOptions) =>
  Layer.unwrapEffect(
    Effect.sync(() => {
      const server = createServer()
      // HttpApiBuilder.serve, with our fallback wrapped around the app (a serve middleware
      // only sees the response after it was sent).
      const serve = HttpApiBuilder.httpApp.pipe(
        Effect.map((app) => HttpServer.serve(methodNotAllowed(app))),
        Layer.unwrapEffect,
        Layer.provide([HttpApiBuilder.Router.Live, HttpApiBuilder.Middleware.layer]),
        Layer.provide(HttpApiBuilder.middlewareOpenApi({ path: "/v1/openapi.json" })),
        Layer.provide(HttpApiBuilder.api(IngestApi).pipe(Layer.provide(IngestHandlers))),
        Layer.provide(IngestServices(options)),
      )
      return shutdownGate(server).pipe(
        Layer.provide(serve),
        // Kept in the output so a caller that asked for port 0 can read the bound address.
        Layer.provideMerge(NodeHttpServer.layer(() => server, { port: options.port, host: options.host })),
      )
    }),
  )
