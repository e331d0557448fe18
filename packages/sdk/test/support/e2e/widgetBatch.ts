/**
 * What the browser side of a widget sends (sdk.md §7.4, §7.6), built by hand from the widget
 * configuration a tool result carried in `_meta.yavio`: `POST {endpoint}` with
 * `Authorization: Bearer <widget token>` and `{ events, sdk_version, sent_at }`, every event
 * with the configured trace and session, `source: "widget"`, and steps continuing the server's
 * count from `stepOffset`.
 */

import { randomUUID } from "node:crypto"

export interface WidgetConfig {
  readonly token: string
  readonly endpoint: string
  readonly traceId: string
  readonly sessionId: string
  readonly stepOffset: number
}

/** `_meta.yavio` of a tool result, validated like the hook's `extractWidgetConfig`. */
export const widgetConfigOf = (result: unknown): WidgetConfig => {
  const yavio = (result as { _meta?: { yavio?: Partial<WidgetConfig> } } | undefined)?._meta?.yavio
  const { token, endpoint, traceId, sessionId, stepOffset } = yavio ?? {}
  if (
    typeof token !== "string" ||
    token === "" ||
    typeof endpoint !== "string" ||
    !/^https?:\/\//.test(endpoint) ||
    typeof traceId !== "string" ||
    !traceId.startsWith("tr_") ||
    typeof sessionId !== "string" ||
    !sessionId.startsWith("ses_") ||
    typeof stepOffset !== "number"
  ) {
    throw new Error(`no usable _meta.yavio in ${JSON.stringify(result)}`)
  }
  return { token, endpoint, traceId, sessionId, stepOffset }
}

/** The claims of a JWT (no verification: ingest does that). */
export const jwtClaims = (token: string): Record<string, unknown> => {
  const [, payload] = token.split(".")
  return JSON.parse(Buffer.from(payload ?? "", "base64url").toString("utf8")) as Record<string, unknown>
}

/**
 * The current time as the widget's clock sees it, strictly after `after` (epoch ms): a widget
 * renders after the tool result reached it, and a click comes after the render. Spins at most
 * until the millisecond turns.
 */
export const laterThan = (after: number): number => {
  let now = Date.now()
  while (now <= after) now = Date.now()
  return now
}

export interface WidgetSession {
  /** Events built so far, in the order they happened. */
  readonly events: Array<Record<string, unknown>>
  readonly render: () => void
  readonly step: (name: string, meta?: Record<string, unknown>) => void
}

/** A widget instance for one configuration: a `widget_render`, then steps continuing `stepOffset`. */
export const widgetSession = (config: WidgetConfig, startAfter: number): WidgetSession => {
  const events: Array<Record<string, unknown>> = []
  let last = startAfter
  let nextStep = config.stepOffset
  const base = (type: string) => {
    last = laterThan(last)
    return {
      event_id: randomUUID(),
      event_type: type,
      timestamp: new Date(last).toISOString(),
      trace_id: config.traceId,
      session_id: config.sessionId,
      source: "widget",
      viewport_width: 390,
      viewport_height: 640,
    }
  }
  return {
    events,
    render: () => {
      events.push({
        ...base("widget_render"),
        device_pixel_ratio: 2,
        device_touch: 1,
        connection_type: "wifi",
        metadata: { language: "en-GB", timezone_offset: -60 },
      })
    },
    step: (name, meta) => {
      events.push({
        ...base("step"),
        event_name: name,
        step_sequence: nextStep++,
        ...(meta === undefined ? {} : { metadata: meta }),
      })
    },
  }
}

export interface PostAnswer {
  readonly status: number
  readonly body: unknown
}

/** POSTs a widget batch the way the hook does (`Authorization: Bearer <token>`). */
export const postWidgetBatch = async (
  config: WidgetConfig,
  events: ReadonlyArray<Record<string, unknown>>,
): Promise<PostAnswer> => {
  const response = await fetch(config.endpoint, {
    method: "POST",
    headers: { authorization: `Bearer ${config.token}`, "content-type": "application/json" },
    body: JSON.stringify({ events, sdk_version: "0.1.0", sent_at: new Date().toISOString() }),
    signal: AbortSignal.timeout(10_000),
  })
  const text = await response.text()
  let body: unknown = text
  try {
    body = JSON.parse(text)
  } catch {
    // kept as text
  }
  return { status: response.status, body }
}
