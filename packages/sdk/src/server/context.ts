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

/**
 * How a handler of ours finds its request when code without `extra` asks (the `yavio`
 * singleton, `createYavio` trackers, server → client requests made through the server object).
 *
 * On Node 20 an enabled AsyncLocalStorage installs async_hooks' promise hooks for the whole
 * process: every promise anyone creates pays a hook call. One MCP v2 `tools/call` creates dozens
 * of promises inside the MCP SDK, so a storage left on cost ~18 µs per call, bare calls included
 * (sdk.md §8). So (our decision):
 *
 *  - the storage is on only while a handler of ours runs (the tool callback, not the SDK's
 *    parsing and validation around it) and switched off when none runs;
 *  - a process whose first `UNASKED_CALLS` handlers never asked stops entering the storage at
 *    all: `extra.yavio` needs none, and entering and leaving it is most of what is left of the
 *    overhead. From then on the sync part of a handler is found directly, and after an `await`
 *    the one handler running is the answer. The first question switches the storage back on for
 *    good; that one question is answered only when exactly one handler runs (else it records
 *    without trace, like a call outside any request).
 *
 * Work a handler leaves behind after it returned finds its request only while the storage is on
 * and another handler runs (which keeps the storage enabled); otherwise it records without trace.
 */
const UNASKED_CALLS = 1000

/** Handlers in the storage now: it is disabled when the last one settles. */
let inStorage = 0
/** Handlers that run without the storage (after the switch), for the one-handler answer. */
const outside = new Set<RequestScope>()
/** The handler whose synchronous part is running, when it runs outside the storage. */
let syncScope: RequestScope | undefined
let useStorage = true
let asked = false
let unaskedCalls = 0

/** The scope of the running handler as the storage knows it (internal lookups; no side effects). */
export const currentScope = (): RequestScope | undefined => requestStorage.getStore() ?? syncScope

/** Whether a handler entered now runs inside the storage; pass the answer to `leaveScope`. */
export const scopeUsesStorage = (): boolean => useStorage

/**
 * Calls `fn` (with `thisArg` and `args`: no closure per call) as the handler of `scope`; the
 * caller calls `leaveScope(scope, viaStorage)` exactly once when what `fn` started has settled
 * (or `fn` threw).
 */
export const enterScope = <T = unknown>(
  scope: RequestScope,
  viaStorage: boolean,
  fn: Function,
  thisArg?: unknown,
  args: ReadonlyArray<unknown> = [],
): T => {
  if (viaStorage) {
    inStorage++
    return requestStorage.run(scope, Reflect.apply, fn, thisArg, args) as T
  }
  outside.add(scope)
  const previous = syncScope
  syncScope = scope
  try {
    return Reflect.apply(fn, thisArg, args) as T
  } finally {
    syncScope = previous
  }
}

export const leaveScope = (scope: RequestScope, viaStorage: boolean): void => {
  if (viaStorage) {
    inStorage--
    if (inStorage === 0) requestStorage.disable()
  } else {
    outside.delete(scope)
  }
  if (!asked && useStorage && ++unaskedCalls >= UNASKED_CALLS) {
    useStorage = false
    scope.runtime.logger.debug?.(
      `no handler asked for its request in ${UNASKED_CALLS} calls: AsyncLocalStorage off until one does`,
    )
  }
}

/** The request for the singleton, `createYavio` trackers and outbound requests (see above). */
export const askScope = (): RequestScope | undefined => {
  asked = true
  const scope = requestStorage.getStore() ?? syncScope
  if (scope !== undefined) return scope
  if (!useStorage) {
    useStorage = true
    outside
      .values()
      .next()
      .value?.runtime.logger.debug?.("a handler asked for its request: AsyncLocalStorage on")
  }
  return outside.size === 1 ? outside.values().next().value : undefined
}

const isThenable = (value: unknown): value is PromiseLike<unknown> =>
  typeof (value as { then?: unknown } | null | undefined)?.then === "function"

/**
 * `enterScope` + `leaveScope` around `fn` and whatever it returns. `inStorage` forces the
 * storage (a request whose handler context cannot carry `extra.yavio`).
 */
export const runInScope = <T>(
  scope: RequestScope,
  fn: () => T,
  inStorage = false,
): T | Promise<Awaited<T>> => {
  const viaStorage = inStorage || useStorage
  let out: T
  try {
    out = enterScope(scope, viaStorage, fn)
  } catch (error) {
    leaveScope(scope, viaStorage)
    throw error
  }
  if (!isThenable(out)) {
    leaveScope(scope, viaStorage)
    return out
  }
  return Promise.resolve(out).then(
    (value) => {
      leaveScope(scope, viaStorage)
      return value
    },
    (error: unknown) => {
      leaveScope(scope, viaStorage)
      throw error
    },
  )
}
