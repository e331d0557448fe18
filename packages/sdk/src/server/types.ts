/**
 * Public types of the server entry (sdk.md §2.1, §3). Plain TypeScript: no MCP type appears
 * here, so the package type-checks without either MCP generation installed.
 */

/** What a platform strategy sees of a request (sdk.md §2.9). Header names are lower-case. */
export interface PlatformSignals {
  /** `clientInfo.name` from `initialize` (v1) or the request `_meta` envelope (v2). */
  readonly clientName?: string | undefined
  readonly clientVersion?: string | undefined
  readonly protocolVersion?: string | undefined
  readonly userAgent?: string | undefined
  readonly origin?: string | undefined
  readonly referer?: string | undefined
  /** Every request header on HTTP transports, lower-case names; empty elsewhere. */
  readonly headers: Readonly<Record<string, string>>
}

/**
 * An extra platform detector, tried before the built-in ones. Returns a platform name
 * (`chatgpt`, `claude`, …) when confident, else `undefined`/`null`.
 */
export type PlatformStrategy = (signals: PlatformSignals) => string | undefined | null

/** What `sessionFrom` receives: enough of the request to derive the developer's own session handle. */
export interface SessionRequest {
  readonly method: string
  readonly params: unknown
  /** Lower-case request headers on HTTP transports; empty elsewhere. */
  readonly headers: Readonly<Record<string, string>>
  readonly clientInfo?: { readonly name?: string; readonly version?: string } | undefined
  /** The transport's auth info (`extra.authInfo` / `ctx.http.authInfo`), when the server authenticates. */
  readonly authInfo?: unknown
}

/** Intent capture (sdk.md §2.5, our decision). */
export interface IntentOptions {
  /** Mark the advertised `context` parameter as required in `tools/list` (a missing one still never fails a call). */
  readonly required?: boolean
  /** Description of the advertised `context` parameter. */
  readonly description?: string
  /** Synchronous fallback when no `context` is passed; its answer is stored with source `inferred`. */
  readonly fallback?: (toolName: string, args: Readonly<Record<string, unknown>>) => string | undefined | null
}

export interface CaptureOptions {
  /** Full tool arguments in `input_values` (PII pass first). Default true. */
  readonly inputValues?: boolean
  /** Full tool results in `output_values` (PII pass first). Default true. */
  readonly outputValues?: boolean
  /** `country_code` from trusted CDN headers on HTTP transports. Default true. */
  readonly geo?: boolean
  /** Token estimates `tokens_in` / `tokens_out`. Default true. */
  readonly tokens?: boolean
  /** Retry detection; `false` → `is_retry` always 0. Default true. */
  readonly retries?: boolean
}

export interface YavioOptions {
  /** Project API key (`yav_…`); discovered from env / `.yaviorc.json` when absent (sdk.md §2.2). */
  readonly apiKey?: string
  /** Ingest URL; the events URL or the service origin. Default the hosted ingest. */
  readonly endpoint?: string
  readonly capture?: CaptureOptions
  /** Intent capture; off by default. */
  readonly intent?: boolean | IntentOptions
  /**
   * Stateless MCP (2026-07-28): derive the session from the request — return the developer's own
   * session handle (prefixed `ses_` when it is not already), or nothing to fall through.
   */
  readonly sessionFrom?: (request: SessionRequest) => string | undefined | null
  /** Stateless MCP: advertise an optional `session` tool parameter and mint it in the first result's `_meta`. */
  readonly sessionParam?: boolean
  /** Extra platform detectors, tried before the built-in ones. */
  readonly platformStrategies?: ReadonlyArray<PlatformStrategy>
  /** Log every event built and every flush (no payload values). */
  readonly debug?: boolean
}

export interface ConversionInput {
  /** A finite number. */
  readonly value: number
  /** ISO 4217 code, three letters (upper-cased). */
  readonly currency: string
  readonly meta?: Readonly<Record<string, unknown>>
}

/**
 * The explicit tracking API (sdk.md §3.2): `extra.yavio` in tool handlers, the `yavio` singleton,
 * and what `createYavio` returns. Every method is synchronous, never throws, and drops invalid
 * input with a log code.
 */
export interface YavioContext {
  /** Binds `userId` to the session; later events carry it. Traits are merged across calls. */
  readonly identify: (userId: string, traits?: Readonly<Record<string, unknown>>) => void
  /** A funnel step; `step_sequence` 0, 1, 2 … per trace. */
  readonly step: (name: string, meta?: Readonly<Record<string, unknown>>) => void
  /** Anything else. */
  readonly track: (event: string, properties?: Readonly<Record<string, unknown>>) => void
  /** A conversion; `value` and `currency` are required (else dropped with YAVIO-1303). */
  readonly conversion: (name: string, input: ConversionInput) => void
}

export interface Yavio extends YavioContext {
  /** Sends what is buffered now; resolves when delivered or given up. Never rejects. */
  readonly flush: () => Promise<void>
  /** Final flush, stops timers; idempotent. Never rejects. */
  readonly shutdown: () => Promise<void>
}

/** The widget configuration placed in `_meta.yavio` and `window.__YAVIO__` (sdk.md §5.3). */
export interface WidgetConfigPayload {
  readonly token: string
  readonly endpoint: string
  readonly traceId: string
  readonly sessionId: string
  readonly stepOffset: number
}
