/**
 * The request context (sdk.md §2.8, §3.1): every intercepted request runs inside an
 * `AsyncLocalStorage` scope holding its runtime, session, trace, tool, platform and country, so
 * `extra.yavio` and the `yavio` singleton find it across `await`, timers and promise chains.
 */

import { AsyncLocalStorage } from "node:async_hooks"
import type { Runtime } from "./runtime.js"
import type { SessionState, TraceState } from "./sessions.js"

export interface RequestScope {
  readonly runtime: Runtime
  readonly session: SessionState
  /** Absent only for scopes that carry no trace (never for intercepted requests). */
  readonly trace: TraceState | undefined
  /** The tool of a `tools/call` scope. */
  readonly toolName: string | undefined
  readonly platform: string
  readonly countryCode: string | undefined
  /** W3C trace id from the request's `traceparent` (v2 `_meta` or HTTP header). */
  readonly otelTraceId: string | undefined
  /** Set for `tools/call` scopes: what the wrapped callback reports back. */
  readonly call: ToolCallState | undefined
}

/** What the wrapped tool callback records for the request-level wrapper. */
export interface ToolCallState {
  readonly toolName: string
  /** The request came on the 2026-07-28 era (per-request `_meta` envelope). */
  readonly modern: boolean
  /** `is_retry` of this invocation (a multi-round-trip continuation inherits it). */
  readonly isRetry: boolean
  handlerRan: boolean
  handlerLatencyMs: number | undefined
  /** The original error thrown by the handler (McpServer turns it into an `isError` result). */
  threw: boolean
  thrown: unknown
}

export const requestStorage = new AsyncLocalStorage<RequestScope>()

export const currentScope = (): RequestScope | undefined => requestStorage.getStore()
