import { HttpApi, HttpApiEndpoint, HttpApiGroup, HttpApiSchema, OpenApi } from "@effect/platform"
import { Schema } from "effect"
import { ErrorBody } from "./ErrorBody.js"
import { EventBatch } from "./EventBatch.js"
import { EventBatchAccepted } from "./EventBatchAccepted.js"
import { EventBatchPartiallyAccepted } from "./EventBatchPartiallyAccepted.js"
import { WidgetTokenRequest } from "./WidgetTokenRequest.js"
import { WidgetTokenResponse } from "./WidgetTokenResponse.js"

// The error body is one shape; each status it is sent with is a separate annotated schema so
// the OpenAPI document lists every status an SDK can see.
const errorAt = (status: number, description: string) =>
  ErrorBody.annotations({ ...HttpApiSchema.annotations({ status }), description })

const ServiceStatus = Schema.Struct({
  status: Schema.Literal("up", "down"),
  latencyMs: Schema.Number,
})

/** `GET /health`: 200 when healthy, 503 otherwise (same body). */
export const HealthReport = Schema.Struct({
  status: Schema.Literal("healthy", "unhealthy"),
  version: Schema.String,
  uptime: Schema.Number,
  services: Schema.Struct({ postgres: ServiceStatus, clickhouse: ServiceStatus }),
})
export type HealthReport = typeof HealthReport.Type

export class EventsGroup extends HttpApiGroup.make("events")
  .add(
    HttpApiEndpoint.post("postEvents", "/v1/events")
      .setPayload(EventBatch)
      .addSuccess(EventBatchAccepted)
      .addSuccess(EventBatchPartiallyAccepted.annotations(HttpApiSchema.annotations({ status: 207 })))
      .addError(
        errorAt(400, "Malformed body (2109), empty batch (2110), every event rejected, foreign trace (2112)"),
      )
      .addError(errorAt(401, "Missing, invalid, expired or revoked credential (2000–2006)"))
      .addError(errorAt(413, "Body over 500 KB (2111)"))
      .addError(errorAt(429, "Rate limited (2050–2053) or monthly quota reached (2056); see Retry-After"))
      .addError(
        errorAt(
          503,
          "Write failed (2401), back-pressure (2402), PostgreSQL unavailable (2403); see Retry-After",
        ),
      )
      .annotate(OpenApi.Summary, "Send a batch of events")
      .annotate(
        OpenApi.Description,
        "Authenticate with `Bearer yav_…` (project API key) or `Bearer <widget token>`. Answers only after the accepted events are written; retries are idempotent by `event_id`.",
      ),
  )
  .add(
    HttpApiEndpoint.options("preflightEvents", "/v1/events")
      .addSuccess(HttpApiSchema.NoContent)
      .annotate(OpenApi.Summary, "CORS preflight"),
  )
  .add(
    HttpApiEndpoint.post("mintWidgetToken", "/v1/widget-tokens")
      .setPayload(WidgetTokenRequest)
      .addSuccess(WidgetTokenResponse)
      .addError(errorAt(400, "Missing or invalid traceId (2300) or sessionId (2301)"))
      .addError(errorAt(401, "Not a project API key (2302, 2000–2006)"))
      .addError(errorAt(429, "Minting rate limited (2303)"))
      .addError(errorAt(503, "PostgreSQL unavailable (2403)"))
      .annotate(OpenApi.Summary, "Mint a widget token for one trace (server to server)"),
  ) {}

export class OpsGroup extends HttpApiGroup.make("ops")
  .add(
    HttpApiEndpoint.get("health", "/health")
      .addSuccess(HealthReport)
      .addError(HealthReport.annotations(HttpApiSchema.annotations({ status: 503 })))
      .annotate(OpenApi.Summary, "Health of the service and its stores"),
  )
  .add(
    HttpApiEndpoint.get("metrics", "/metrics")
      .addSuccess(HttpApiSchema.Text())
      .annotate(OpenApi.Summary, "Prometheus metrics (bind privately in production)"),
  ) {}

/** The ingestion API. The OpenAPI document at `GET /v1/openapi.json` is generated from it. */
export class IngestApi extends HttpApi.make("ingest")
  .add(EventsGroup)
  .add(OpsGroup)
  .annotate(OpenApi.Title, "Yavio ingestion API")
  .annotate(OpenApi.Version, "1") {}
