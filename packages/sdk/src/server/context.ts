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

const requestStorage = new AsyncLocalStorage<RequestScope>()

export const currentScope = (): RequestScope | undefined => requestStorage.getStore()

/** Scopes entered with `enterScope` and not yet left. */
let running = 0

/**
 * Calls `fn` with `scope` as the current request, through everything it awaits; the caller calls
 * `leaveScope()` exactly once when what `fn` started has settled (or `fn` threw).
 *
 * On Node 20 an enabled AsyncLocalStorage installs async_hooks' promise hooks for the whole
 * process: every promise anyone creates then pays an init hook. One MCP v2 `tools/call` creates
 * dozens of promises inside the MCP SDK, so a storage left on cost ~18 µs per call, even on a
 * bare server in the same process (sdk.md §8). So the storage is on only while a handler of ours
 * runs — the tool callback, not the SDK's parsing and validation around it — and switched off
 * when none is running. Work a handler leaves behind after it returned then finds no scope unless
 * another handler is running: the singleton records it without trace fields, as outside a request.
 */
export const enterScope = <T>(scope: RequestScope, fn: () => T): T => {
  running++
  return requestStorage.run(scope, fn)
}

export const leaveScope = (): void => {
  running--
  if (running === 0) requestStorage.disable()
}

const isThenable = (value: unknown): value is PromiseLike<unknown> =>
  typeof (value as { then?: unknown } | null | undefined)?.then === "function"

/** `enterScope` + `leaveScope` around `fn` and whatever it returns. */
export const runInScope = <T>(scope: RequestScope, fn: () => T): T | Promise<Awaited<T>> => {
  let out: T
  try {
    out = enterScope(scope, fn)
  } catch (error) {
    leaveScope()
    throw error
  }
  if (!isThenable(out)) {
    leaveScope()
    return out
  }
  return Promise.resolve(out).then(
    (value) => {
      leaveScope()
      return value
    },
    (error: unknown) => {
      leaveScope()
      throw error
    },
  )
}
