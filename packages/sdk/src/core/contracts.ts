/**
 * The seams between the SDK's parts, fixed first so they can be built side by side:
 * instrumentation builds events and hands them to an `EventSink`; the transport owns
 * buffering, PII pass, validation and delivery. Plain TypeScript, no runtime code.
 */

/** An event as the SDK builds it (snake_case fields of the event reference). */
export interface SdkEvent {
  readonly event_id: string
  readonly event_type: string
  /** ISO-8601 with milliseconds, UTC. */
  readonly timestamp: string
  readonly session_id: string
  readonly source: "server" | "widget"
  readonly sdk_version: string
  readonly trace_id?: string
  readonly event_name?: string
  readonly user_id?: string | null
  readonly platform?: string
  readonly metadata?: Readonly<Record<string, unknown>>
  readonly [field: string]: unknown
}

export type SdkLogLevel = "debug" | "info" | "warn" | "error"

/** Every SDK log line carries a YAVIO-1xxx code; payload values and keys are never logged. */
export interface SdkLogger {
  readonly log: (level: SdkLogLevel, code: `YAVIO-1${string}`, message: string) => void
  /** Logs the code at most once per process (e.g. YAVIO-1105). */
  readonly once: (level: SdkLogLevel, code: `YAVIO-1${string}`, message: string) => void
  /**
   * Uncoded diagnostic line (events built, flushes), written only when `debug` is on. Never
   * carries payload values. Optional so test doubles may leave it out: call as `logger.debug?.()`.
   */
  readonly debug?: (message: string) => void
  /** Whether debug lines are written; lets callers skip building a message. */
  readonly debugEnabled?: boolean
}

/** Where events go. `enqueue` never throws, never blocks and never awaits the network. */
export interface EventSink {
  readonly enqueue: (event: SdkEvent) => void
  /** Sends what is buffered now; resolves when delivered or given up. Never rejects. */
  readonly flush: () => Promise<void>
  /** Final flush (bounded), stops timers; idempotent. Never rejects. */
  readonly shutdown: () => Promise<void>
}

/** Resolved configuration of a server SDK instance. */
export interface ResolvedConfig {
  readonly apiKey: string
  /** Ingest base URL without a trailing slash and without `/v1/events`. */
  readonly baseUrl: string
}
