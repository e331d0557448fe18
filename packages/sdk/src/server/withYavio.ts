/**
 * `withYavio(server, options?)` (sdk.md §2): wraps an `McpServer` of either MCP generation —
 * told apart by shape at runtime, never by importing either package — and returns the same
 * server behind a `Proxy` (`instanceof McpServer` holds; every method and property still works).
 * Not configured → YAVIO-1000 once and the server itself, untouched (§2.3). A low-level `Server`
 * is instrumented in place and returned as is.
 */

import { type InstrumentationLayer, ProxyInstrumentation, resolveOptions } from "./instrumentation.js"
import { asRecord, type Generation } from "./requestInfo.js"
import { type OptionsWithInternal, runtimeFor } from "./runtime.js"
import type { YavioOptions } from "./types.js"

type AnyFunction = Function

interface ServerShape {
  readonly gen: Generation
  /** The low-level server holding the handler map. */
  readonly inner: Record<string, unknown>
  /** An McpServer (registration API) rather than a bare low-level Server. */
  readonly high: boolean
}

const isLowLevel = (value: Record<string, unknown> | undefined): value is Record<string, unknown> =>
  value !== undefined &&
  value._requestHandlers instanceof Map &&
  typeof value.setRequestHandler === "function"

/**
 * v2 (`@modelcontextprotocol/server`): the low-level server builds a per-request `ctx`
 * (`buildContext`) and the McpServer has no legacy `tool()`; v1 (`@modelcontextprotocol/sdk`)
 * has neither `buildContext` nor the 2026-07-28 discover handler.
 */
export const detectServer = (server: unknown): ServerShape | undefined => {
  const record = asRecord(server)
  if (record === undefined) return undefined
  const high = typeof record.registerTool === "function" && isLowLevel(asRecord(record.server))
  const inner = high ? asRecord(record.server) : isLowLevel(record) ? record : undefined
  if (inner === undefined) return undefined
  const gen: Generation =
    typeof inner.buildContext === "function" || typeof inner._wrapHandler === "function" ? 2 : 1
  return { gen, inner, high }
}

const instrumented = new WeakMap<object, object>()
const proxies = new WeakSet<object>()

/** Methods of the McpServer that are wrapped; everything else passes through. */
const interceptors = (
  target: Record<string, unknown>,
  instr: InstrumentationLayer,
): Readonly<Record<string, AnyFunction>> => {
  const call = (name: string, args: unknown[]): unknown => (target[name] as AnyFunction).apply(target, args)
  const guarded = (
    name: string,
    wrap: (args: unknown[]) => unknown[],
    after: (args: unknown[], result: unknown) => unknown,
  ) => {
    return (...args: unknown[]): unknown => {
      let forwarded = args
      try {
        forwarded = wrap(args)
      } catch {
        forwarded = args
      }
      const result = call(name, forwarded)
      try {
        return after(args, result)
      } catch {
        return result
      }
    }
  }
  const out: Record<string, AnyFunction> = {}
  if (typeof target.registerTool === "function") {
    out.registerTool = guarded(
      "registerTool",
      (args) => {
        const [name, , cb] = args
        if (typeof name !== "string") return args
        const next = [...args]
        next[2] = instr.wrapToolCallback(name, cb)
        return next
      },
      (args, result) => {
        const [name, config] = args
        if (typeof name !== "string") return result
        const record = asRecord(config)
        instr.noteTool(name, record?._meta, record?.inputSchema)
        return instr.wrapRegisteredTool(result, name)
      },
    )
  }
  if (typeof target.tool === "function") {
    // Legacy tool(): every overload; the callback is the first function argument.
    out.tool = guarded(
      "tool",
      (args) => {
        const [name] = args
        const index = args.findIndex((arg, i) => i > 0 && typeof arg === "function")
        if (typeof name !== "string" || index < 0) return args
        const next = [...args]
        next[index] = instr.wrapToolCallback(name, args[index])
        return next
      },
      (args, result) => {
        const [name] = args
        if (typeof name !== "string") return result
        const objects = args.slice(1).filter((arg) => arg !== null && typeof arg === "object")
        instr.noteTool(name, undefined, undefined, objects)
        return instr.wrapRegisteredTool(result, name)
      },
    )
  }
  for (const name of ["registerResource", "resource"]) {
    if (typeof target[name] !== "function") continue
    out[name] = guarded(
      name,
      (args) => args,
      (args, result) => {
        instr.noteResource(args[0], args[1])
        return result
      },
    )
  }
  return out
}

const makeProxy = <T extends object>(server: T, instr: InstrumentationLayer): T => {
  const target = server as Record<string, unknown>
  const wrapped = interceptors(target, instr)
  const bound = new WeakMap<AnyFunction, AnyFunction>()
  return new Proxy(server, {
    get(obj, prop, receiver) {
      if (typeof prop === "string" && Object.hasOwn(wrapped, prop)) return wrapped[prop]
      const value = Reflect.get(obj, prop, receiver)
      if (typeof value !== "function") return value
      // Methods run against the real server (safe with private fields), one bound copy each.
      let fn = bound.get(value)
      if (fn === undefined) {
        fn = value.bind(obj) as AnyFunction
        bound.set(value, fn)
      }
      return fn
    },
  })
}

/**
 * Instruments an MCP server for Yavio analytics. Three lines for the user: import, wrap, use.
 * Never throws because analytics is missing or broken: the server is returned unchanged then.
 */
export function withYavio<T>(server: T, options: YavioOptions = {}): T {
  if (server === null || typeof server !== "object") return server
  if (proxies.has(server)) return server
  const existing = instrumented.get(server)
  if (existing !== undefined) return existing as T
  let runtime: ReturnType<typeof runtimeFor>
  try {
    runtime = runtimeFor(options as OptionsWithInternal)
  } catch {
    runtime = undefined
  }
  if (runtime === undefined) return server
  try {
    const shape = detectServer(server)
    if (shape === undefined) {
      runtime.logger.log(
        "error",
        "YAVIO-1100",
        "withYavio() was given something that is not an MCP server; left as is",
      )
      return server
    }
    const instr: InstrumentationLayer = new ProxyInstrumentation(
      runtime,
      resolveOptions(options),
      shape.gen,
      shape.inner,
    )
    if (!instr.install()) {
      runtime.logger.log("error", "YAVIO-1100", "this MCP server version is not supported; left as is")
      return server
    }
    if (!shape.high) {
      instrumented.set(server, server)
      return server
    }
    instr.adoptRegistered(server as Record<string, unknown>)
    const proxy = makeProxy(server, instr)
    instrumented.set(server, proxy)
    proxies.add(proxy)
    return proxy
  } catch {
    runtime.logger.log("error", "YAVIO-1100", "withYavio() failed; the server runs uninstrumented")
    return server
  }
}
