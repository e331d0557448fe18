/**
 * The explicit tracking API (sdk.md §3): `extra.yavio` (bound to its request), the `yavio`
 * singleton (finds the current request through AsyncLocalStorage) and `createYavio` (a tracker
 * of its own, for code without an McpServer). Every method is synchronous, returns nothing,
 * never throws, and drops invalid input with a log code.
 */

import type { SdkLogger } from "../core/contracts.js"
import { askScope, type RequestScope } from "./context.js"
import {
  type EmitScope,
  type OptionsWithInternal,
  type Runtime,
  retireRuntime,
  runtimeFor,
  runtimes,
} from "./runtime.js"
import type { ConversionInput, Yavio, YavioContext, YavioOptions } from "./types.js"

export const MAX_NAME_LENGTH = 256
const CURRENCY_PATTERN = /^[A-Za-z]{3}$/

interface Target {
  readonly runtime: Runtime
  readonly scope: EmitScope | undefined
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value)

/** Properties are captured as JSON when the call is made (the caller may mutate them later). */
const snapshot = (
  value: unknown,
  logger: SdkLogger,
  what: string,
): Record<string, unknown> | null | undefined => {
  if (value === undefined) return undefined
  if (!isRecord(value)) {
    logger.log("warn", "YAVIO-1300", `${what} must be a plain object; event dropped`)
    return null
  }
  try {
    return JSON.parse(JSON.stringify(value)) as Record<string, unknown>
  } catch {
    logger.log("warn", "YAVIO-1300", `${what} is not JSON-serialisable; event dropped`)
    return null
  }
}

const validName = (name: unknown, logger: SdkLogger, what: string): name is string => {
  if (typeof name === "string" && name !== "" && name.length <= MAX_NAME_LENGTH) return true
  logger.log(
    "warn",
    "YAVIO-1300",
    `${what} must be a non-empty string of at most ${MAX_NAME_LENGTH} characters`,
  )
  return false
}

type Resolve = () => Target | undefined

const identifyWith = (resolve: Resolve, userId: string, traits?: Readonly<Record<string, unknown>>): void => {
  try {
    const target = resolve()
    if (target === undefined) return
    const { runtime, scope } = target
    if (!validName(userId, runtime.logger, "identify userId")) return
    const captured = snapshot(traits, runtime.logger, "identify traits")
    if (captured === null) return
    const session = scope?.session ?? runtime.backgroundSession
    if (session.userId !== undefined && session.userId !== userId) {
      runtime.logger.log(
        "warn",
        "YAVIO-1302",
        "this session is already bound to another user; identify ignored",
      )
      return
    }
    session.userId = userId
    if (captured !== undefined) session.traits = { ...session.traits, ...captured }
    const fields: Record<string, unknown> = { user_id: userId }
    if (session.traits !== undefined) fields.user_traits = { ...session.traits }
    runtime.emit(scope, "identify", fields)
  } catch {
    // never into the host
  }
}

const stepWith = (resolve: Resolve, name: string, meta?: Readonly<Record<string, unknown>>): void => {
  try {
    const target = resolve()
    if (target === undefined) return
    const { runtime, scope } = target
    if (!validName(name, runtime.logger, "step name")) return
    const metadata = snapshot(meta, runtime.logger, "step meta")
    if (metadata === null) return
    const fields: Record<string, unknown> = { event_name: name }
    if (scope?.trace !== undefined) fields.step_sequence = scope.trace.nextStep++
    if (metadata !== undefined) fields.metadata = metadata
    runtime.emit(scope, "step", fields)
  } catch {
    // never into the host
  }
}

const trackWith = (resolve: Resolve, event: string, properties?: Readonly<Record<string, unknown>>): void => {
  try {
    const target = resolve()
    if (target === undefined) return
    const { runtime, scope } = target
    if (!validName(event, runtime.logger, "track event")) return
    const metadata = snapshot(properties, runtime.logger, "track properties")
    if (metadata === null) return
    runtime.emit(
      scope,
      "track",
      metadata === undefined ? { event_name: event } : { event_name: event, metadata },
    )
  } catch {
    // never into the host
  }
}

const conversionWith = (resolve: Resolve, name: string, input: ConversionInput): void => {
  try {
    const target = resolve()
    if (target === undefined) return
    const { runtime, scope } = target
    if (!validName(name, runtime.logger, "conversion name")) return
    const { value, currency, meta } = (isRecord(input) ? input : {}) as Partial<ConversionInput>
    if (
      typeof value !== "number" ||
      !Number.isFinite(value) ||
      typeof currency !== "string" ||
      !CURRENCY_PATTERN.test(currency)
    ) {
      runtime.logger.log(
        "warn",
        "YAVIO-1303",
        "conversion needs a finite `value` and a three-letter ISO 4217 `currency`; dropped",
      )
      return
    }
    const metadata = snapshot(meta, runtime.logger, "conversion meta")
    if (metadata === null) return
    const fields: Record<string, unknown> = {
      event_name: name,
      conversion_value: value,
      conversion_currency: currency.toUpperCase(),
    }
    if (metadata !== undefined) fields.metadata = metadata
    runtime.emit(scope, "conversion", fields)
  } catch {
    // never into the host
  }
}

/** A tracker whose events go where `resolve` says; `undefined` → silent no-op. */
export const makeTracker = (resolve: Resolve): YavioContext => ({
  identify: (userId, traits) => identifyWith(resolve, userId, traits),
  step: (name, meta) => stepWith(resolve, name, meta),
  track: (event, properties) => trackWith(resolve, event, properties),
  conversion: (name, input) => conversionWith(resolve, name, input),
})

/**
 * `extra.yavio`: bound to its request for good (also from timers that outlive it). One is made
 * for every tool call and most handlers never use it, so making one allocates a single object:
 * its methods are bound when first read (they still work detached, `const { step } = …`).
 */
export class RequestTracker implements YavioContext {
  readonly #scope: RequestScope
  constructor(scope: RequestScope) {
    this.#scope = scope
  }
  /** The request scope of a `RequestTracker`; `undefined` for anything else. */
  static scopeOf(value: unknown): RequestScope | undefined {
    return value instanceof RequestTracker ? value.#scope : undefined
  }
  #resolver(): Resolve {
    const target: Target = { runtime: this.#scope.runtime, scope: this.#scope }
    return () => target
  }
  get identify(): YavioContext["identify"] {
    const resolve = this.#resolver()
    return (userId, traits) => identifyWith(resolve, userId, traits)
  }
  get step(): YavioContext["step"] {
    const resolve = this.#resolver()
    return (name, meta) => stepWith(resolve, name, meta)
  }
  get track(): YavioContext["track"] {
    const resolve = this.#resolver()
    return (event, properties) => trackWith(resolve, event, properties)
  }
  get conversion(): YavioContext["conversion"] {
    const resolve = this.#resolver()
    return (name, input) => conversionWith(resolve, name, input)
  }
}

const isTracker = (value: unknown): value is YavioContext =>
  typeof value === "object" &&
  value !== null &&
  typeof (value as { identify?: unknown }).identify === "function" &&
  typeof (value as { conversion?: unknown }).conversion === "function"

/**
 * `extra.yavio`, typed: the tracker bound to this handler's request. The MCP SDKs' handler
 * context types do not know the property (and cannot be augmented), so handlers call this
 * instead of casting. When `extra` carries none (an unwrapped server), the `yavio` singleton.
 */
export const yavioOf = (extra: unknown): YavioContext => {
  const attached =
    typeof extra === "object" && extra !== null ? (extra as { yavio?: unknown }).yavio : undefined
  return isTracker(attached) ? attached : yavio
}

const firstRuntime = (): Runtime | undefined => runtimes.values().next().value

/**
 * The module singleton: inside a request it joins that request's trace; outside any request it
 * records on the first configured instance without trace, platform or tool (YAVIO-1105 once).
 * Silent no-op while nothing is configured.
 */
export const yavio: Yavio = {
  ...makeTracker(() => {
    const scope = askScope()
    if (scope !== undefined) return { runtime: scope.runtime, scope }
    const runtime = firstRuntime()
    if (runtime === undefined) return undefined
    runtime.logger.once(
      "warn",
      "YAVIO-1105",
      "yavio called outside a request: recorded without trace, platform or tool",
    )
    return { runtime, scope: undefined }
  }),
  flush: async () => {
    await Promise.all([...runtimes].map((runtime) => runtime.sink.flush().catch(() => {})))
  },
  shutdown: async () => {
    const all = [...runtimes]
    for (const runtime of all) retireRuntime(runtime)
    await Promise.all(all.map((runtime) => runtime.sink.shutdown().catch(() => {})))
  },
}

const noop = (): void => {}
const noopTracker: Yavio = {
  identify: noop,
  step: noop,
  track: noop,
  conversion: noop,
  flush: () => Promise.resolve(),
  shutdown: () => Promise.resolve(),
}

/**
 * A tracker configured like `withYavio` (sdk.md §3.4), for code without an McpServer. Inside a
 * wrapped handler its events join that request's trace; elsewhere they carry no trace.
 */
export const createYavio = (options: YavioOptions = {}): Yavio => {
  let runtime: Runtime | undefined
  try {
    runtime = runtimeFor(options as OptionsWithInternal)
  } catch {
    runtime = undefined
  }
  if (runtime === undefined) return noopTracker
  const own = runtime
  let shutDown = false
  return {
    ...makeTracker(() => (shutDown ? undefined : { runtime: own, scope: askScope() })),
    flush: () => own.sink.flush().catch(() => {}),
    shutdown: async () => {
      if (shutDown) return
      shutDown = true
      retireRuntime(own)
      await own.sink.shutdown().catch(() => {})
    },
  }
}
