/**
 * One SDK instance per configured project: resolved configuration, logger, event sink (the HTTP
 * batch transport), session store and widget tokens, plus event construction (sdk.md §3.3:
 * enrich → capture → buffer). Instances are shared: every `withYavio`/`createYavio` call that
 * resolves to the same key and endpoint reuses one, so servers built per request (stateless
 * MCP) share sessions, pre-minted tokens and one sender.
 */

import { scrubEventRecord } from "@yavio/pii"
import { resolveConfig } from "../core/config.js"
import type { EventSink, ResolvedConfig, SdkEvent, SdkLogger } from "../core/contracts.js"
import { deferredEvent, materialize } from "../core/deferredEvent.js"
import { newEventId, newSessionId } from "../core/ids.js"
import { createLogger } from "../core/logger.js"
import { createHttpTransport } from "../transport/HttpTransport.js"
import { installShutdownHooks } from "../transport/signals.js"
import type { RequestScope } from "./context.js"
import { type SessionState, SessionStore } from "./sessions.js"
import type { YavioOptions } from "./types.js"
import { SDK_VERSION } from "./version.js"
import { WidgetTokens } from "./widget.js"

/** Key of the internal hooks on an options object (tests and embedding; not part of the public API). */
export const INTERNAL: unique symbol = Symbol.for("yavio.sdk.internal")

export interface InternalHooks {
  /** Events go here instead of the HTTP transport. */
  readonly sink?: EventSink
  readonly logger?: SdkLogger
  /** `fetch` for the widget-token endpoint. */
  readonly fetch?: typeof fetch
  /** Configuration discovery environment (default `process.env` / `process.cwd()`). */
  readonly env?: Readonly<Record<string, string | undefined>>
  readonly cwd?: string
}

export type OptionsWithInternal = YavioOptions & { readonly [INTERNAL]?: InternalHooks }

export interface Runtime {
  readonly config: ResolvedConfig
  readonly logger: SdkLogger
  readonly sink: EventSink
  readonly sessions: SessionStore
  readonly widgets: WidgetTokens
  /** The session of events recorded outside any request (singleton / createYavio). */
  readonly backgroundSession: SessionState
  /** Unregisters the shutdown hooks of this instance's sink (after `shutdown`). */
  readonly detach: () => void
  /**
   * Builds an event (enrichment of sdk.md §3.3) and enqueues it. Never throws. `fields` may be a
   * builder: it runs later, in the transport's background turn, not on the caller's path.
   */
  readonly emit: (
    scope: EmitScope | undefined,
    eventType: string,
    fields: Readonly<Record<string, unknown>> | (() => Readonly<Record<string, unknown>>),
    timestampMs?: number,
  ) => void
}

/** What event enrichment reads from a request scope. */
export type EmitScope = Pick<
  RequestScope,
  "session" | "trace" | "platform" | "countryCode" | "otelTraceId" | "toolName"
>

/** Codes logged `once` are once per process across instances (sdk.md §3.1: YAVIO-1105). */
const processOnceKeys = new Set<string>()
const loggers = new Map<boolean, SdkLogger>()
const processLogger = (debug: boolean): SdkLogger => {
  let logger = loggers.get(debug)
  if (logger === undefined) {
    logger = createLogger({ debug, onceKeys: processOnceKeys })
    loggers.set(debug, logger)
  }
  return logger
}

/** Every live instance, for the `yavio` singleton's `flush`/`shutdown` and its default. */
export const runtimes = new Set<Runtime>()

const byKey = new Map<string, Runtime>()
const bySink = new WeakMap<EventSink, Runtime>()
const configMemo = new Map<string, ResolvedConfig | undefined>()

/** Event-specific fields onto the envelope; the request's W3C trace id joins their metadata. */
const applyFields = (
  event: Record<string, unknown>,
  fields: Readonly<Record<string, unknown>>,
  otelTraceId: string | undefined,
): void => {
  Object.assign(event, fields)
  if (otelTraceId !== undefined) {
    event.metadata = {
      ...(fields.metadata as Record<string, unknown> | undefined),
      otel_trace_id: otelTraceId,
    }
  }
}

/** A test or embedding sink gets finished events: deferred fields are built before it sees them. */
const completeEvents = (sink: EventSink): EventSink => ({
  enqueue: (event) => sink.enqueue(materialize(event)),
  flush: () => sink.flush(),
  shutdown: () => sink.shutdown(),
})

const buildRuntime = (
  config: ResolvedConfig,
  logger: SdkLogger,
  hooks: InternalHooks | undefined,
): Runtime => {
  // The PII pass runs at flush time, off the call path (sdk.md §3.3); an engine failure drops
  // the event with YAVIO-1301 in the transport.
  const sink =
    hooks?.sink === undefined
      ? createHttpTransport({
          config,
          logger,
          sdkVersion: SDK_VERSION,
          prepare: (event) =>
            scrubEventRecord(event as unknown as Record<string, unknown>, {
              ipAddresses: true,
            }) as unknown as SdkEvent,
        })
      : completeEvents(hooks.sink)
  // SIGTERM / SIGINT / beforeExit deliver the tail (sdk.md §6.4); a test sink needs no hooks.
  const detach = hooks?.sink === undefined ? installShutdownHooks(sink, logger) : () => {}
  const sessions = new SessionStore()
  const widgets = new WidgetTokens(
    hooks?.fetch === undefined ? { config, logger } : { config, logger, fetch: hooks.fetch },
  )
  const backgroundSession = new SessionStore().get(newSessionId())
  const debugLines = (logger as { debugEnabled?: boolean }).debugEnabled === true

  const baseEvent = (
    scope: EmitScope | undefined,
    session: SessionState,
    eventType: string,
    timestampMs: number,
    userId: string | null,
  ): Record<string, unknown> => {
    const event: Record<string, unknown> = {
      event_id: newEventId(),
      event_type: eventType,
      timestamp: new Date(timestampMs).toISOString(),
      session_id: session.id,
      source: "server",
      sdk_version: SDK_VERSION,
      user_id: userId,
    }
    if (scope?.trace !== undefined) event.trace_id = scope.trace.id
    if (scope !== undefined) event.platform = scope.platform
    if (scope?.countryCode !== undefined) event.country_code = scope.countryCode
    return event
  }

  const emit: Runtime["emit"] = (scope, eventType, fields, timestampMs) => {
    try {
      const session = scope?.session ?? backgroundSession
      const at = timestampMs ?? Date.now()
      // The user as of now: a later identify() must not reach back to this event (sdk.md §3.2).
      const userId = session.userId ?? null
      if (typeof fields === "function") {
        // The whole event is built in the transport's background turn (core/deferredEvent.ts).
        sink.enqueue(
          deferredEvent(eventType, () => {
            const event = baseEvent(scope, session, eventType, at, userId)
            applyFields(event, fields(), scope?.otelTraceId)
            return event as SdkEvent
          }),
        )
      } else {
        const event = baseEvent(scope, session, eventType, at, userId)
        applyFields(event, fields, scope?.otelTraceId)
        sink.enqueue(event as SdkEvent)
      }
      if (debugLines) {
        const name = typeof fields === "function" ? scope?.toolName : fields.event_name
        logger.debug?.(`event ${eventType}${typeof name === "string" ? ` ${name}` : ""}`)
      }
    } catch {
      // Event construction must never reach the host.
    }
  }

  const runtime: Runtime = { config, logger, sink, sessions, widgets, backgroundSession, detach, emit }
  runtimes.add(runtime)
  return runtime
}

/**
 * The instance for these options: configuration resolved once (sdk.md §2.2), `undefined` when
 * not configured (pass-through, YAVIO-1000 logged once by the resolver).
 */
export const runtimeFor = (options: OptionsWithInternal): Runtime | undefined => {
  const hooks = options[INTERNAL]
  const logger = hooks?.logger ?? processLogger(options.debug === true)
  let config: ResolvedConfig | undefined
  if (hooks === undefined) {
    const memoKey = JSON.stringify([
      options.apiKey,
      options.endpoint,
      process.env.YAVIO_API_KEY,
      process.env.YAVIO_ENDPOINT,
      process.cwd(),
    ])
    if (configMemo.has(memoKey)) config = configMemo.get(memoKey)
    else {
      config = resolveConfig(options, logger)
      configMemo.set(memoKey, config)
    }
  } else {
    const environment: { env?: Readonly<Record<string, string | undefined>>; cwd?: string } = {}
    if (hooks.env !== undefined) environment.env = hooks.env
    if (hooks.cwd !== undefined) environment.cwd = hooks.cwd
    config = resolveConfig(options, logger, environment)
  }
  if (config === undefined) return undefined

  if (hooks?.sink !== undefined) {
    let runtime = bySink.get(hooks.sink)
    if (runtime === undefined) {
      runtime = buildRuntime(config, logger, hooks)
      bySink.set(hooks.sink, runtime)
    }
    return runtime
  }
  const key = `${config.apiKey}\n${config.baseUrl}\n${options.debug === true}`
  let runtime = byKey.get(key)
  if (runtime === undefined) {
    runtime = buildRuntime(config, logger, hooks)
    byKey.set(key, runtime)
  }
  return runtime
}

/** Forgets an instance (after `shutdown`): a later `withYavio` with the same key builds a new one. */
export const retireRuntime = (runtime: Runtime): void => {
  runtimes.delete(runtime)
  runtime.detach()
  for (const [key, value] of byKey) if (value === runtime) byKey.delete(key)
}
