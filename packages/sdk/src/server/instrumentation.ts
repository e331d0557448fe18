/**
 * `ProxyInstrumentation` (sdk.md §2.4): instruments one MCP server of either generation in the
 * low-level server's request handlers and at registration; the transport itself is never
 * patched. What it touches:
 *
 * - the low-level server's handler map — handlers of `initialize`, `server/discover`,
 *   `tools/list`, `tools/call`, `resources/list|read`, `prompts/list|get` are wrapped when set
 *   (and those already set are wrapped at install);
 * - the low-level server's `connect` (transport kind, widget-token cache; the transport's
 *   `onclose` callback slot — which the MCP Protocol reads at connect and calls first on close —
 *   is chained for the disconnect event, the transport's methods are never touched) and its
 *   server → client requests (`sampling/createMessage`, `elicitation/create`);
 * - tool callbacks, through the one shared `wrapToolCallback` (`extra.yavio`, handler timing,
 *   the original thrown error, v2 `input_required` rounds).
 *
 * Every hook isolates failures: instrumentation that throws lets the original call run
 * uninstrumented (YAVIO-1100); results and errors reach the client unchanged apart from
 * `_meta.yavio` (§5) and the `sessionParam` handle.
 */

import { categorizeError } from "../core/errorCategory.js"
import { newSessionId, newTraceId } from "../core/ids.js"
import { captureInput } from "../core/inputCapture.js"
import { inspectResponse } from "../core/responseInspection.js"
import { estimateOutputTokens, estimateTokens } from "../core/tokens.js"
import { utf8ByteLength } from "../core/utf8.js"
import {
  askScope,
  currentScope,
  enterScope,
  leaveScope,
  type RequestScope,
  runInScope,
  scopeUsesStorage,
  type ToolCallState,
} from "./context.js"
import { detectPlatform, type PlatformVerdict } from "./platform.js"
import {
  asRecord,
  type ClientIdentity,
  clientIdentityOf,
  countryOf,
  type Generation,
  type JsonRpcRequest,
  otelTraceIdOf,
  type RequestInfo,
  readRequestInfo,
  transportKindOf,
} from "./requestInfo.js"
import type { Runtime } from "./runtime.js"
import { schemaDeclaresKey, withAdvertisedParam } from "./schema.js"
import { addPendingInput, bumpCount, type SessionState, type TraceState, toSessionId } from "./sessions.js"
import { RequestTracker } from "./tracker.js"
import type { PlatformStrategy, SessionRequest, YavioOptions } from "./types.js"
import {
  injectWidgetScript,
  isHtmlMimeType,
  TOKEN_WAIT_MS,
  type WidgetToken,
  widgetUriOf,
  within,
  withWidgetConfig,
} from "./widget.js"

type AnyFunction = Function
type Handler = (request: JsonRpcRequest, extra: unknown) => unknown

export const DEFAULT_INTENT_DESCRIPTION =
  "Why are you calling this tool? One sentence on the user's goal (e.g. 'find a budget hotel in Rome for next weekend')."
export const SESSION_PARAM_DESCRIPTION =
  'Session handle: pass the value of `_meta["yavio/session"]` from an earlier result of this server, if you have one.'
/** Where the `sessionParam` strategy hands out the session handle in a result. */
export const SESSION_META_KEY = "yavio/session"
export const MAX_ERROR_MESSAGE_BYTES = 2048
export const MAX_INTENT_LENGTH = 500
const MAX_LISTED = 200
const MAX_EVENT_NAME = 256

interface ResolvedIntent {
  readonly required: boolean
  readonly description: string
  readonly fallback:
    | ((toolName: string, args: Readonly<Record<string, unknown>>) => string | undefined | null)
    | undefined
}

export interface ResolvedOptions {
  readonly captureInputValues: boolean
  readonly captureOutputValues: boolean
  readonly geo: boolean
  readonly tokens: boolean
  readonly retries: boolean
  readonly intent: ResolvedIntent | undefined
  readonly sessionFrom: YavioOptions["sessionFrom"]
  readonly sessionParam: boolean
  readonly platformStrategies: ReadonlyArray<PlatformStrategy>
}

export const resolveOptions = (options: YavioOptions): ResolvedOptions => {
  const capture = options.capture ?? {}
  const intent = options.intent
  return {
    captureInputValues: capture.inputValues !== false,
    captureOutputValues: capture.outputValues !== false,
    geo: capture.geo !== false,
    tokens: capture.tokens !== false,
    retries: capture.retries !== false,
    intent:
      intent === undefined || intent === false
        ? undefined
        : {
            required: intent !== true && intent.required === true,
            description:
              intent !== true && typeof intent.description === "string" && intent.description !== ""
                ? intent.description
                : DEFAULT_INTENT_DESCRIPTION,
            fallback: intent !== true && typeof intent.fallback === "function" ? intent.fallback : undefined,
          },
    sessionFrom: typeof options.sessionFrom === "function" ? options.sessionFrom : undefined,
    sessionParam: options.sessionParam === true,
    platformStrategies: Array.isArray(options.platformStrategies) ? options.platformStrategies : [],
  }
}

interface ToolInfo {
  readonly declaresContext: boolean
  readonly declaresSession: boolean
  readonly widgetUri: string | undefined
}

interface ConnState {
  readonly transport: string
  /** The session of the connection's `initialize` handshake (stateful MCP). */
  session: SessionState | undefined
  initializedAt: number
  clientInfo: ClientIdentity | undefined
  protocolVersion: string | undefined
  capabilities: unknown
  /** Stateless requests on a connection that never initialised and gave no other clue. */
  fallback: SessionState | undefined
}

const newConn = (transport: string): ConnState => ({
  transport,
  session: undefined,
  initializedAt: 0,
  clientInfo: undefined,
  protocolVersion: undefined,
  capabilities: undefined,
  fallback: undefined,
})

interface RequestContext {
  readonly info: RequestInfo
  readonly session: SessionState
  readonly clientInfo: ClientIdentity | undefined
  readonly protocolVersion: string | undefined
  readonly capabilities: unknown
  readonly verdict: PlatformVerdict
  readonly country: string | undefined
  readonly otel: string | undefined
  /** `sessionParam`: the call carried no handle, so the result hands one out. */
  readonly announceSession: boolean
}

/** What a non-tool request wrapper reports to its finisher. */
interface Done {
  readonly request: JsonRpcRequest
  readonly ctx: RequestContext
  readonly scope: RequestScope
  readonly result: unknown
  readonly error: { readonly thrown: unknown } | undefined
  readonly latencyMs: number
}

/** The request scope a request-level wrapper left on the handler context (its `extra.yavio`). */
const scopeOf = (extra: unknown): RequestScope | undefined =>
  typeof extra === "object" && extra !== null
    ? RequestTracker.scopeOf((extra as { yavio?: unknown }).yavio)
    : undefined

/**
 * Gives the handler context its `extra.yavio` (sdk.md §3.1), which also carries the scope to the
 * tool callback without AsyncLocalStorage. A plain property (one small object, no accessor): it
 * survives the v2 SDK's `{ ...ctx }` copies. `false` when the context cannot take it (frozen).
 */
const attachTracker = (extra: unknown, scope: RequestScope): boolean => {
  if (typeof extra !== "object" || extra === null) return false
  try {
    const tracker = new RequestTracker(scope)
    ;(extra as { yavio?: unknown }).yavio = tracker
    return (extra as { yavio?: unknown }).yavio === tracker
  } catch {
    return false
  }
}

interface ToolCallPrep {
  readonly request: JsonRpcRequest
  readonly scope: RequestScope & { readonly call: ToolCallState; readonly trace: TraceState }
  readonly ctx: RequestContext
  readonly name: string
  readonly args: Record<string, unknown> | undefined
  readonly intentText: string | undefined
  readonly startedAt: number
  readonly t0: number
  readonly isRetry: boolean
  readonly widgetUri: string | undefined
  readonly minting: Promise<WidgetToken | undefined> | undefined
}

/** `Object.keys(record).length > 0` without the array. */
const hasAnyKey = (record: Readonly<Record<string, unknown>>): boolean => {
  for (const _ in record) return true
  return false
}

const str = (value: unknown): string | undefined =>
  typeof value === "string" && value !== "" ? value : undefined
const num = (value: unknown): number | undefined =>
  typeof value === "number" && Number.isFinite(value) && value >= 0 ? Math.round(value) : undefined
const roundMs = (ms: number): number => Math.max(0, Math.round(ms * 1000) / 1000)
const isPromiseLike = (value: unknown): value is PromiseLike<unknown> =>
  typeof (value as { then?: unknown } | null | undefined)?.then === "function"

/** Cuts a string to at most `maxBytes` UTF-8 bytes, on a character boundary. */
export const truncateUtf8 = (text: string, maxBytes: number): string => {
  if (text.length <= maxBytes / 3 || utf8ByteLength(text) <= maxBytes) return text
  let end = Math.min(text.length, maxBytes)
  while (end > 0 && utf8ByteLength(text.slice(0, end)) > maxBytes) end = Math.floor(end * 0.9)
  while (end < text.length && utf8ByteLength(text.slice(0, end + 1)) <= maxBytes) end++
  const code = text.charCodeAt(end - 1)
  if (code >= 0xd800 && code <= 0xdbff) end-- // no lone high surrogate
  return text.slice(0, end)
}

/** The message of a thrown value or error text (never a stack). */
const messageOf = (value: unknown): string | undefined => {
  if (typeof value === "string") return value
  const record = asRecord(value)
  if (record === undefined) return value === undefined || value === null ? undefined : String(value)
  try {
    const message = record.message
    return typeof message === "string" ? message : undefined
  } catch {
    return undefined
  }
}

const textOfContent = (content: unknown): string => {
  const items = Array.isArray(content) ? content : content === undefined ? [] : [content]
  const texts: string[] = []
  for (const item of items) {
    const record = asRecord(item)
    if (record?.type === "text" && typeof record.text === "string") texts.push(record.text)
  }
  return texts.join("\n")
}

const samplingInputText = (params: Record<string, unknown>): string => {
  const parts: string[] = []
  if (typeof params.systemPrompt === "string") parts.push(params.systemPrompt)
  if (Array.isArray(params.messages)) {
    for (const message of params.messages) parts.push(textOfContent(asRecord(message)?.content))
  }
  return parts.join("\n")
}

const jsonCopy = (json: string | undefined): Record<string, unknown> | undefined => {
  if (json === undefined) return undefined
  try {
    return asRecord(JSON.parse(json))
  } catch {
    return undefined
  }
}

/**
 * The one seam between `withYavio` and how requests are observed (sdk.md §2.4). Today's
 * implementation is `ProxyInstrumentation` (handler map + registration); a later
 * `TransportInstrumentation` (JSON-RPC level, for non-JS servers) plugs in without touching
 * event code.
 */
export interface InstrumentationLayer {
  /** Hooks the server; `false` when its shape is not one the layer knows. */
  install(): boolean
  /** Tools and resources registered before the layer was installed. */
  adoptRegistered(server: Record<string, unknown>): void
  wrapToolCallback(name: string, callback: unknown): unknown
  wrapRegisteredTool(registered: unknown, name: string): unknown
  noteTool(name: string, meta: unknown, inputSchema: unknown, extraSchemas?: ReadonlyArray<unknown>): void
  noteResource(name: unknown, uriOrTemplate: unknown): void
}

/** Marks functions this module produced, so nothing is wrapped twice. */
const WRAPPED: unique symbol = Symbol.for("yavio.sdk.wrapped")

/** A symbol property rather than a WeakSet: per-request wrappers (v2 `send`) would otherwise
 * fill an ephemeron table that every GC has to walk. */
const isWrapped = (fn: unknown): boolean => (fn as { [WRAPPED]?: true })[WRAPPED] === true
const markWrapped = (fn: object): void => {
  ;(fn as { [WRAPPED]?: true })[WRAPPED] = true
}

export class ProxyInstrumentation implements InstrumentationLayer {
  private readonly tools = new Map<string, ToolInfo>()
  private widgetTools = 0
  /** Resource URI → name, and templates, from registration and `resources/list`. */
  private readonly resourceNames = new Map<string, string>()
  private readonly templates: Array<{ readonly name: string; readonly template: unknown }> = []
  private conn: ConnState = newConn("unknown")
  private everConnected = false
  private readonly platformCache = new Map<string, PlatformVerdict>()
  /** The last header-less verdict and whose it was: most calls come from the same client. */
  private lastPlatform:
    | {
        readonly name: string | undefined
        readonly version: string | undefined
        readonly verdict: PlatformVerdict
      }
    | undefined

  constructor(
    private readonly runtime: Runtime,
    private readonly options: ResolvedOptions,
    readonly gen: Generation,
    private readonly inner: Record<string, unknown>,
  ) {}

  private fail(error: unknown): void {
    const name = error instanceof Error ? error.name : typeof error
    this.runtime.logger.log(
      "error",
      "YAVIO-1100",
      `instrumentation failed (${name}); the call ran uninstrumented`,
    )
  }

  // ---------------------------------------------------------------- install

  /** Hooks the low-level server. `false` when its shape is not one we know. */
  install(): boolean {
    const inner = this.inner
    const map = inner._requestHandlers
    if (!(map instanceof Map) || typeof inner.connect !== "function") return false
    const self = this

    for (const [method, handler] of [...map.entries()]) {
      Map.prototype.set.call(map, method, this.wrapHandler(String(method), handler))
    }
    const setHandler = map.set
    Object.defineProperty(map, "set", {
      configurable: true,
      writable: true,
      value(this: Map<unknown, unknown>, method: unknown, handler: unknown) {
        return setHandler.call(this, method, self.wrapHandler(String(method), handler))
      },
    })

    const connect = inner.connect as AnyFunction
    Object.defineProperty(inner, "connect", {
      configurable: true,
      writable: true,
      value(this: unknown, transport: unknown, ...rest: unknown[]) {
        try {
          self.onConnect(transport)
        } catch (error) {
          self.fail(error)
        }
        return connect.call(this, transport, ...rest)
      },
    })

    this.hookOutbound()
    return true
  }

  /** Server → client `sampling/createMessage` and `elicitation/create`. */
  private hookOutbound(): void {
    const inner = this.inner
    const self = this
    if (this.gen === 1) {
      // v1: createMessage, elicitInput and extra.sendRequest all go through `request`.
      const request = inner.request
      if (typeof request !== "function") return
      Object.defineProperty(inner, "request", {
        configurable: true,
        writable: true,
        value(this: unknown, req: unknown, ...rest: unknown[]) {
          const method = asRecord(req)?.method
          if (method === "sampling/createMessage" || method === "elicitation/create") {
            return self.timedOutbound(method, asRecord(req)?.params, () => request.call(this, req, ...rest))
          }
          return request.call(this, req, ...rest)
        },
      })
      return
    }
    // v2: the public push APIs (ctx.mcpReq.requestSampling / elicitInput delegate to them);
    // ctx.mcpReq.send is wrapped per request.
    for (const [name, method] of [
      ["createMessage", "sampling/createMessage"],
      ["elicitInput", "elicitation/create"],
    ] as const) {
      const original = inner[name]
      if (typeof original !== "function") continue
      Object.defineProperty(inner, name, {
        configurable: true,
        writable: true,
        value(this: unknown, params: unknown, ...rest: unknown[]) {
          return self.timedOutbound(method, params, () => original.call(this, params, ...rest))
        },
      })
    }
  }

  /**
   * v2: times sampling / elicitation sent with `ctx.mcpReq.send`. Only on 2025-era requests: on
   * the 2026-07-28 era the SDK refuses these server → client requests (they are `input_required`
   * rounds, timed in the callback wrapper), so nothing would be there to time.
   */
  private wrapSend(extra: unknown): void {
    const mcpReq = asRecord(asRecord(extra)?.mcpReq)
    const send = mcpReq?.send
    if (mcpReq === undefined || typeof send !== "function" || isWrapped(send)) return
    const wrapped = (req: unknown, ...rest: unknown[]): unknown => {
      const method = asRecord(req)?.method
      if (method === "sampling/createMessage" || method === "elicitation/create") {
        return this.timedOutbound(method, asRecord(req)?.params, () => send(req, ...rest))
      }
      return send(req, ...rest)
    }
    markWrapped(wrapped)
    try {
      mcpReq.send = wrapped
    } catch {
      // a frozen context: sends go untimed
    }
  }

  private wrapHandler(method: string, handler: unknown): unknown {
    if (typeof handler !== "function" || isWrapped(handler)) return handler
    const original = handler as Handler
    let wrapped: Handler
    switch (method) {
      case "initialize":
        wrapped = this.wrapInitialize(original)
        break
      case "server/discover":
        wrapped = this.wrapDiscover(original)
        break
      case "tools/list":
        wrapped = this.wrapSimple(original, (done) => this.finishToolsList(done))
        break
      case "tools/call":
        wrapped = this.wrapToolsCall(original)
        break
      case "resources/list":
        wrapped = this.wrapSimple(original, (done) => this.finishResourcesList(done))
        break
      case "resources/read":
        wrapped = this.wrapSimple(original, (done) => this.finishResourceRead(done))
        break
      case "prompts/list":
        wrapped = this.wrapSimple(original, (done) => this.finishPromptsList(done))
        break
      case "prompts/get":
        wrapped = this.wrapSimple(original, (done) => this.finishPromptGet(done))
        break
      default:
        return handler
    }
    markWrapped(wrapped)
    return wrapped
  }

  // ---------------------------------------------------------------- registration

  /** Records what the SDK needs about a tool: widget template and parameters it declares itself. */
  noteTool(
    name: string,
    meta: unknown,
    inputSchema: unknown,
    extraSchemas: ReadonlyArray<unknown> = [],
  ): void {
    try {
      const schemas = [inputSchema, ...extraSchemas]
      const info: ToolInfo = {
        declaresContext: schemas.some((schema) => schemaDeclaresKey(schema, "context")),
        declaresSession: schemas.some((schema) => schemaDeclaresKey(schema, "session")),
        widgetUri: widgetUriOf(meta),
      }
      this.setTool(name, info)
    } catch (error) {
      this.fail(error)
    }
  }

  private setTool(name: string, info: ToolInfo): void {
    const previous = this.tools.get(name)
    if (previous?.widgetUri !== undefined) this.widgetTools--
    if (info.widgetUri !== undefined) this.widgetTools++
    this.tools.set(name, info)
  }

  private renameTool(from: string, to: string | null): void {
    const info = this.tools.get(from)
    if (info === undefined) return
    if (info.widgetUri !== undefined) this.widgetTools--
    this.tools.delete(from)
    if (to !== null) this.setTool(to, info)
  }

  noteResource(name: unknown, uriOrTemplate: unknown): void {
    if (typeof name !== "string") return
    if (typeof uriOrTemplate === "string") {
      this.resourceNames.set(normalizeUri(uriOrTemplate), name)
      this.resourceNames.set(uriOrTemplate, name)
    } else if (uriOrTemplate !== null && typeof uriOrTemplate === "object") {
      this.templates.push({ name, template: uriOrTemplate })
    }
  }

  /**
   * The one shared tool-callback wrapper (registerTool, legacy tool(), RegisteredTool.update):
   * adds `extra.yavio`, times the handler, keeps its original error and v2 `input_required`
   * rounds for the request-level wrapper, which emits the event.
   */
  wrapToolCallback(name: string, callback: unknown): unknown {
    if (typeof callback !== "function" || isWrapped(callback)) return callback
    const self = this
    const cb = callback as AnyFunction
    const wrapped = function (this: unknown, ...args: unknown[]): unknown {
      const extra = args[args.length - 1]
      let scope = scopeOf(extra)
      if (scope === undefined) {
        // The request-level wrapper could not attach the tracker: it ran the request in scope.
        scope = currentScope()
        if (scope !== undefined) attachTracker(extra, scope)
      }
      const call = scope?.call
      if (scope === undefined || call === undefined) {
        self.runtime.logger.once("warn", "YAVIO-1100", `tool ${name} ran outside an instrumented tools/call`)
        return cb.apply(this, args)
      }
      try {
        if (self.gen === 2) self.answerPendingInputs(scope, extra)
        call.handlerRan = true
      } catch (error) {
        self.fail(error)
      }
      const t0 = performance.now()
      // The handler runs as its request's scope (the `yavio` singleton finds it across awaits);
      // the scope is left when its result settles (context.ts says how and why).
      const viaStorage = scopeUsesStorage()
      const done = (value: unknown): unknown => {
        call.handlerLatencyMs = performance.now() - t0
        leaveScope(scope, viaStorage)
        try {
          self.noteInputRequired(scope, value)
        } catch (error) {
          self.fail(error)
        }
        return value
      }
      const failed = (error: unknown): never => {
        call.handlerLatencyMs = performance.now() - t0
        leaveScope(scope, viaStorage)
        call.threw = true
        call.thrown = error
        throw error
      }
      let out: unknown
      try {
        out = enterScope(scope, viaStorage, cb, this, args)
      } catch (error) {
        return failed(error)
      }
      return isPromiseLike(out) ? Promise.resolve(out).then(done, failed) : done(out)
    }
    markWrapped(wrapped)
    return wrapped
  }

  /** Wraps `update({ callback })` of a RegisteredTool and follows renames / `_meta` changes. */
  wrapRegisteredTool(registered: unknown, name: string): unknown {
    const record = asRecord(registered)
    const update = record?.update
    if (record === undefined || typeof update !== "function") return registered
    let current = name
    try {
      Object.defineProperty(record, "update", {
        configurable: true,
        writable: true,
        value: (updates: unknown) => {
          let next = updates
          try {
            const changes = asRecord(updates)
            if (changes !== undefined) {
              const target = typeof changes.name === "string" ? changes.name : current
              if (typeof changes.callback === "function") {
                next = { ...changes, callback: this.wrapToolCallback(target, changes.callback) }
              }
              if (changes.name !== undefined && changes.name !== current) {
                this.renameTool(current, typeof changes.name === "string" ? changes.name : null)
                if (typeof changes.name === "string") current = changes.name
              }
              if (changes._meta !== undefined || changes.paramsSchema !== undefined) {
                this.noteTool(
                  current,
                  changes._meta ?? record._meta,
                  changes.paramsSchema ?? record.inputSchema,
                )
              }
            }
          } catch (error) {
            this.fail(error)
          }
          return update.call(record, next)
        },
      })
    } catch {
      // frozen: callback updates go without extra.yavio
    }
    return registered
  }

  /** Tools and resources registered before `withYavio` was called (McpServer internals, read-only use). */
  adoptRegistered(server: Record<string, unknown>): void {
    try {
      const tools = asRecord(server._registeredTools)
      if (tools !== undefined) {
        for (const [name, tool] of Object.entries(tools)) {
          const record = asRecord(tool)
          if (record === undefined) continue
          this.noteTool(name, record._meta, record.inputSchema)
          if (typeof record.handler === "function" && typeof record.update === "function") {
            ;(record.update as AnyFunction).call(record, {
              callback: this.wrapToolCallback(name, record.handler),
            })
          }
          this.wrapRegisteredTool(record, name)
        }
      }
      const resources = asRecord(server._registeredResources)
      if (resources !== undefined) {
        for (const [uri, resource] of Object.entries(resources))
          this.noteResource(asRecord(resource)?.name, uri)
      }
      const templates = asRecord(server._registeredResourceTemplates)
      if (templates !== undefined) {
        for (const [name, template] of Object.entries(templates)) {
          this.noteResource(name, asRecord(template)?.resourceTemplate)
        }
      }
    } catch (error) {
      this.fail(error)
    }
  }

  // ---------------------------------------------------------------- connection & sessions

  private onConnect(transport: unknown): void {
    // A reconnect of this instance clears the widget-token cache (sdk.md §5.2). The first connect
    // has nothing of its own to clear: servers built per request would otherwise defeat pre-minting.
    if (this.everConnected) this.runtime.widgets.clear()
    this.everConnected = true
    const conn = newConn(transportKindOf(transport))
    this.conn = conn
    const slot = asRecord(transport)
    if (slot === undefined) return
    const previous = slot.onclose
    const self = this
    let closed = false
    slot.onclose = function (this: unknown) {
      try {
        if (typeof previous === "function") (previous as AnyFunction).call(this)
      } finally {
        if (!closed) {
          closed = true
          self.onClose(conn)
        }
      }
    }
  }

  private onClose(conn: ConnState): void {
    if (this.conn === conn) this.conn = newConn(conn.transport)
    const session = conn.session
    if (session === undefined) return
    const verdict = this.platformOf(conn.clientInfo, conn.protocolVersion, {})
    const fields: Record<string, unknown> = {
      connection_duration_ms: Math.max(0, Date.now() - conn.initializedAt),
      metadata: { phase: "disconnect", transport: conn.transport },
    }
    if (conn.protocolVersion !== undefined) fields.protocol_version = conn.protocolVersion
    if (conn.clientInfo?.name !== undefined) fields.client_name = conn.clientInfo.name
    if (conn.clientInfo?.version !== undefined) fields.client_version = conn.clientInfo.version
    this.runtime.emit(this.bareScope(session, verdict.platform, undefined), "connection", fields)
    this.runtime.sessions.end(session.id)
  }

  private bareScope(session: SessionState, platform: string, country: string | undefined): RequestScope {
    return {
      runtime: this.runtime,
      session,
      trace: undefined,
      toolName: undefined,
      platform,
      countryCode: country,
      otelTraceId: undefined,
      call: undefined,
    }
  }

  private wrapInitialize(original: Handler): Handler {
    return async (request, extra) => {
      const result = await original(request, extra)
      try {
        this.onInitialize(request, extra, result)
      } catch (error) {
        this.fail(error)
      }
      return result
    }
  }

  /** One `initialize` = one session (sdk.md §2.6); `Mcp-Session-Id` adopted when the transport assigned one. */
  private onInitialize(request: JsonRpcRequest, extra: unknown, result: unknown): void {
    const params = asRecord(request.params)
    const info = readRequestInfo(this.gen, request, extra)
    let id: string | undefined
    if (info.transportSessionId !== undefined) {
      id = toSessionId(info.transportSessionId)
      if (id === undefined) {
        this.runtime.logger.log(
          "warn",
          "YAVIO-1102",
          "the transport session id is not usable; a random session id is used",
        )
      }
    }
    const session = this.runtime.sessions.get(id ?? newSessionId())
    const conn = this.conn
    conn.session = session
    conn.initializedAt = Date.now()
    conn.clientInfo = clientIdentityOf(params?.clientInfo)
    conn.protocolVersion = str(asRecord(result)?.protocolVersion) ?? str(params?.protocolVersion)
    conn.capabilities = params?.capabilities
    const verdict = this.platformOf(conn.clientInfo, conn.protocolVersion, info.headers)
    const metadata: Record<string, unknown> = { phase: "connect", transport: conn.transport }
    if (conn.capabilities !== undefined) metadata.client_capabilities = conn.capabilities
    if (verdict.signals !== undefined) metadata.platform_signals = verdict.signals
    const fields: Record<string, unknown> = { metadata }
    if (conn.protocolVersion !== undefined) fields.protocol_version = conn.protocolVersion
    if (conn.clientInfo?.name !== undefined) fields.client_name = conn.clientInfo.name
    if (conn.clientInfo?.version !== undefined) fields.client_version = conn.clientInfo.version
    const country = this.options.geo ? countryOf(info.headers) : undefined
    this.runtime.emit(this.bareScope(session, verdict.platform, country), "connection", fields)
    if (this.widgetTools > 0) this.runtime.widgets.prepare(session.id)
  }

  private wrapDiscover(original: Handler): Handler {
    return async (request, extra) => {
      const result = await original(request, extra)
      try {
        const ctx = this.requestContext("server/discover", request, extra)
        const metadata: Record<string, unknown> = { phase: "discover", transport: this.conn.transport }
        if (ctx.verdict.signals !== undefined) metadata.platform_signals = ctx.verdict.signals
        const fields: Record<string, unknown> = { metadata }
        const version =
          ctx.protocolVersion ?? str((asRecord(result)?.supportedVersions as unknown[] | undefined)?.[0])
        if (version !== undefined) fields.protocol_version = version
        if (ctx.clientInfo?.name !== undefined) fields.client_name = ctx.clientInfo.name
        if (ctx.clientInfo?.version !== undefined) fields.client_version = ctx.clientInfo.version
        this.runtime.emit(
          { ...this.bareScope(ctx.session, ctx.verdict.platform, ctx.country), otelTraceId: ctx.otel },
          "connection",
          fields,
        )
      } catch (error) {
        this.fail(error)
      }
      return result
    }
  }

  private platformOf(
    clientInfo: ClientIdentity | undefined,
    protocolVersion: string | undefined,
    headers: Readonly<Record<string, string>>,
  ): PlatformVerdict {
    const hasHeaders = hasAnyKey(headers)
    const name = clientInfo?.name
    const version = clientInfo?.version
    // The same client as last time (the common case: one client per process or connection).
    const last = this.lastPlatform
    if (!hasHeaders && last !== undefined && last.name === name && last.version === version)
      return last.verdict
    const cacheKey = hasHeaders ? undefined : `${name ?? ""}\u0000${version ?? ""}`
    if (cacheKey !== undefined) {
      const cached = this.platformCache.get(cacheKey)
      if (cached !== undefined) {
        this.lastPlatform = { name, version, verdict: cached }
        return cached
      }
    }
    const verdict = detectPlatform(
      {
        clientName: clientInfo?.name,
        clientVersion: clientInfo?.version,
        protocolVersion,
        userAgent: headers["user-agent"],
        origin: headers.origin,
        referer: headers.referer,
        headers,
      },
      this.options.platformStrategies,
    )
    if (verdict.signals !== undefined) {
      this.runtime.logger.log("debug", "YAVIO-1101", "no confident platform signal; recorded as unknown")
    }
    if (cacheKey !== undefined) {
      if (this.platformCache.size >= 500) this.platformCache.clear()
      this.platformCache.set(cacheKey, verdict)
      this.lastPlatform = { name, version, verdict }
    }
    return verdict
  }

  /**
   * Session of a request (sdk.md §2.6, §2.7): the connection's `initialize` session; else
   * `sessionFrom`; else the transport's session id (`Mcp-Session-Id`); else the `session`
   * parameter; else the 30-minute inactivity window per client identity.
   */
  private requestContext(
    method: string,
    request: JsonRpcRequest,
    extra: unknown,
    sessionHandle?: string,
  ): RequestContext {
    const info = readRequestInfo(this.gen, request, extra)
    const conn = this.conn
    const initialized = conn.session !== undefined
    const clientInfo = initialized ? conn.clientInfo : info.clientInfo
    const protocolVersion = initialized ? conn.protocolVersion : info.protocolVersion
    const capabilities = initialized ? conn.capabilities : info.capabilities
    let session = conn.session
    let announceSession = false
    if (session !== undefined) session.lastSeen = Date.now()
    else {
      const derived = this.statelessSession(method, request, info, clientInfo, sessionHandle)
      session = derived.session
      announceSession = derived.announce
    }
    return {
      info,
      session,
      clientInfo,
      protocolVersion,
      capabilities,
      verdict: this.platformOf(clientInfo, protocolVersion, info.headers),
      country: this.options.geo ? countryOf(info.headers) : undefined,
      otel: otelTraceIdOf(info.traceparent),
      announceSession,
    }
  }

  private unusableSession(what: string): void {
    this.runtime.logger.log("warn", "YAVIO-1102", `${what} is not a usable session id; falling back`)
  }

  private statelessSession(
    method: string,
    request: JsonRpcRequest,
    info: RequestInfo,
    clientInfo: ClientIdentity | undefined,
    sessionHandle: string | undefined,
  ): { readonly session: SessionState; readonly announce: boolean } {
    const store = this.runtime.sessions
    if (this.options.sessionFrom !== undefined) {
      let handle: unknown
      try {
        const input: SessionRequest = {
          method,
          params: request.params,
          headers: info.headers,
          clientInfo,
          authInfo: info.authInfo,
        }
        handle = this.options.sessionFrom(input)
      } catch {
        this.unusableSession("sessionFrom threw; it")
      }
      if (typeof handle === "string" && handle !== "") {
        const id = toSessionId(handle)
        if (id !== undefined) return { session: store.get(id), announce: false }
        this.unusableSession("the sessionFrom handle")
      }
    }
    const transportSession = info.transportSessionId ?? info.headers["mcp-session-id"]
    if (transportSession !== undefined && transportSession !== "") {
      const id = toSessionId(transportSession)
      if (id !== undefined) return { session: store.get(id), announce: false }
      this.unusableSession("the transport session id")
    }
    const paramMode = this.options.sessionParam && method === "tools/call"
    if (paramMode && sessionHandle !== undefined && sessionHandle !== "") {
      const id = toSessionId(sessionHandle)
      if (id !== undefined) return { session: store.get(id), announce: false }
      this.unusableSession("the session parameter")
    }
    if (info.modern || clientInfo !== undefined) {
      const authClientId = str(asRecord(info.authInfo)?.clientId) ?? ""
      const identity = `${clientInfo?.name ?? ""}\u0000${clientInfo?.version ?? ""}\u0000${authClientId}`
      return { session: store.forIdentity(identity), announce: paramMode }
    }
    const conn = this.conn
    conn.fallback ??= store.create()
    conn.fallback.lastSeen = Date.now()
    return { session: conn.fallback, announce: paramMode }
  }

  // ---------------------------------------------------------------- tool calls

  private wrapToolsCall(original: Handler): Handler {
    return (request, extra) => {
      let prep: ToolCallPrep
      try {
        prep = this.prepareToolCall(request, extra)
      } catch (error) {
        this.fail(error)
        return original(request, extra)
      }
      return this.runToolCall(original, prep, extra)
    }
  }

  private prepareToolCall(request: JsonRpcRequest, extra: unknown): ToolCallPrep {
    const t0 = performance.now()
    const startedAt = Date.now()
    const params = asRecord(request.params) ?? {}
    const name = typeof params.name === "string" ? params.name : ""
    const tool = this.tools.get(name)
    let args = asRecord(params.arguments)
    let forward = request
    let intentText: string | undefined
    let sessionHandle: string | undefined
    if (args !== undefined && (this.options.intent !== undefined || this.options.sessionParam)) {
      // Removed before the tool's own validation: handlers and strict schemas never see them.
      let stripped: Record<string, unknown> | undefined
      if (
        this.options.intent !== undefined &&
        tool?.declaresContext !== true &&
        Object.hasOwn(args, "context")
      ) {
        if (typeof args.context === "string") intentText = args.context
        stripped = { ...args }
        delete stripped.context
      }
      if (this.options.sessionParam && tool?.declaresSession !== true && Object.hasOwn(args, "session")) {
        if (typeof args.session === "string") sessionHandle = args.session
        stripped ??= { ...args }
        delete stripped.session
      }
      if (stripped !== undefined) {
        args = stripped
        forward = { ...request, params: { ...params, arguments: stripped } }
      }
    }

    const ctx = this.requestContext("tools/call", request, extra, sessionHandle)
    const session = ctx.session

    // v2 multi-round-trip: a retry answering our own `input_required` continues that trace.
    let continued: TraceState | undefined
    let continuedRetry = false
    const answers = ctx.info.inputResponses
    if (answers !== undefined && session.pendingInputs !== undefined) {
      for (const key of Object.keys(answers)) {
        const pending = session.pendingInputs.get(key)
        if (pending !== undefined && pending.toolName === name) {
          continued = pending.trace
          continuedRetry = pending.isRetry
          break
        }
      }
    }

    const widgets = this.runtime.widgets
    let trace: TraceState
    let minting: Promise<WidgetToken | undefined> | undefined
    if (continued !== undefined) {
      trace = continued
      if (tool?.widgetUri !== undefined) minting = widgets.token(trace.id, session.id)
    } else if (tool?.widgetUri !== undefined) {
      // Off the call path: adopt the session's pre-minted token and its trace when one is ready.
      const ready = widgets.takeReady(session.id)
      trace = { id: ready?.traceId ?? newTraceId(), nextStep: 0 }
      minting = ready?.promise ?? widgets.token(trace.id, session.id)
    } else {
      trace = { id: newTraceId(), nextStep: 0 }
    }

    const isRetry =
      continued === undefined ? this.options.retries && session.lastTool === name : continuedRetry
    if (continued === undefined) session.lastTool = name

    const call: ToolCallState = {
      toolName: name,
      modern: ctx.info.modern,
      isRetry,
      handlerRan: false,
      handlerLatencyMs: undefined,
      threw: false,
      thrown: undefined,
    }
    const scope = {
      runtime: this.runtime,
      session,
      trace,
      toolName: name,
      platform: ctx.verdict.platform,
      countryCode: ctx.country,
      otelTraceId: ctx.otel,
      call,
    }
    if (this.gen === 2 && !ctx.info.modern) this.wrapSend(extra)
    return {
      request: forward,
      scope,
      ctx,
      name,
      args,
      intentText,
      startedAt,
      t0,
      isRetry,
      widgetUri: tool?.widgetUri,
      minting,
    }
  }

  private async runToolCall(original: Handler, prep: ToolCallPrep, extra: unknown): Promise<unknown> {
    let result: unknown
    let threw = false
    let thrown: unknown
    try {
      // The scope reaches the tool callback on its context object (`extra.yavio`), not through
      // AsyncLocalStorage: the MCP SDK's own work around the callback runs with the storage off.
      result = await (attachTracker(extra, prep.scope)
        ? original(prep.request, extra)
        : runInScope(prep.scope, () => original(prep.request, extra), true))
    } catch (error) {
      threw = true
      thrown = error
    }
    try {
      // Synchronous unless a widget is attached: no extra promise turn on the common path (§8).
      let finished = this.finishToolCall(prep, result, threw, thrown)
      if (isPromiseLike(finished)) finished = await finished
      if (!threw) result = finished
    } catch (error) {
      this.fail(error)
    }
    if (threw) throw thrown
    return result
  }

  private intentSignals(prep: ToolCallPrep): ReadonlyArray<Record<string, string>> | undefined {
    const intent = this.options.intent
    if (intent === undefined) return undefined
    let text = prep.intentText?.trim()
    let source = "context_parameter"
    if ((text === undefined || text === "") && intent.fallback !== undefined) {
      try {
        const inferred = intent.fallback(prep.name, prep.args ?? {})
        if (typeof inferred === "string" && inferred.trim() !== "") {
          text = inferred.trim()
          source = "inferred"
        }
      } catch {
        // a failing fallback records nothing
      }
    }
    if (text === undefined || text === "") return undefined
    return [{ source, text: text.slice(0, MAX_INTENT_LENGTH) }]
  }

  /** The `tool_call` fields of events.md, built off the call path from what the call left behind. */
  private toolCallFields(
    prep: ToolCallPrep,
    result: unknown,
    record: Record<string, unknown> | undefined,
    isError: boolean,
    latencyMs: number,
    errorSource: unknown,
    mcpErrorCode: unknown,
  ): Record<string, unknown> {
    const { name } = prep
    const fields: Record<string, unknown> = {
      event_name: name.slice(0, MAX_EVENT_NAME),
      latency_ms: latencyMs,
      status: isError ? "error" : "success",
      is_retry: prep.isRetry ? 1 : 0,
    }
    const metadata: Record<string, unknown> = {}
    if (isError) {
      const source = errorSource ?? textOfContent(record?.content)
      fields.error_category = categorizeError(source)
      const message = messageOf(source)
      if (message !== undefined && message !== "") {
        fields.error_message = truncateUtf8(message, MAX_ERROR_MESSAGE_BYTES)
      }
      if (typeof mcpErrorCode === "number") metadata.mcp_error_code = mcpErrorCode
    }

    let argsJson: string | undefined
    try {
      argsJson = prep.args === undefined ? undefined : JSON.stringify(prep.args)
    } catch {
      argsJson = undefined
    }
    const input = captureInput(prep.args)
    fields.input_keys = input.input_keys
    fields.input_types = input.input_types
    metadata.input_params_count = input.input_params_count
    if (this.options.captureInputValues && prep.args !== undefined) {
      const values = jsonCopy(argsJson)
      if (values !== undefined) fields.input_values = values
    }
    const intent = this.intentSignals(prep)
    if (intent !== undefined) fields.intent_signals = intent

    if (this.options.tokens) fields.tokens_in = argsJson === undefined ? 0 : estimateTokens(argsJson)
    if (record !== undefined) {
      let json: string | undefined
      try {
        json = JSON.stringify(result)
      } catch {
        json = undefined
      }
      try {
        Object.assign(metadata, inspectResponse(result, json))
      } catch {
        this.runtime.logger.log(
          "warn",
          "YAVIO-1106",
          `response of ${name} could not be inspected; sent without it`,
        )
      }
      if (this.options.captureOutputValues) {
        const values = jsonCopy(json)
        if (values !== undefined) fields.output_values = values
      }
      if (this.options.tokens) fields.tokens_out = estimateOutputTokens(result)
    }
    if (prep.ctx.verdict.signals !== undefined) metadata.platform_signals = prep.ctx.verdict.signals
    fields.metadata = metadata
    return fields
  }

  private finishToolCall(prep: ToolCallPrep, result: unknown, threw: boolean, thrown: unknown): unknown {
    const { scope } = prep
    const call = scope.call
    const record = asRecord(result)
    // An intermediate multi-round-trip answer (2026-07-28): the call is not finished yet.
    if (!threw && record?.resultType === "input_required") return result

    const isError = threw || record?.isError === true
    // On the call path only what cannot wait: the latency and the outcome. Everything derived from
    // the arguments and the result is built in the transport's background turn (sdk.md §8).
    const latencyMs = roundMs(call.handlerLatencyMs ?? performance.now() - prep.t0)
    const source = isError ? (call.threw ? call.thrown : threw ? thrown : undefined) : undefined
    const code = threw ? asRecord(thrown)?.code : undefined
    this.runtime.emit(
      scope,
      "tool_call",
      () => this.toolCallFields(prep, result, record, isError, latencyMs, source, code),
      prep.startedAt,
    )

    if (threw || record === undefined) {
      // The adopted pre-minted token went unused: keep one ready for the next widget call.
      if (prep.widgetUri !== undefined) this.runtime.widgets.prepare(scope.session.id)
      return result
    }
    const announce = (out: Record<string, unknown>): Record<string, unknown> =>
      prep.ctx.announceSession
        ? { ...out, _meta: { ...asRecord(out._meta), [SESSION_META_KEY]: scope.session.id } }
        : out
    if (!isError) {
      const widgetUri = prep.widgetUri ?? widgetUriOf(record._meta)
      if (widgetUri !== undefined) return this.attachWidget(prep, record, widgetUri).then(announce)
    } else if (prep.widgetUri !== undefined) {
      this.runtime.widgets.prepare(scope.session.id)
    }
    return announce(record)
  }

  /** §5: token for this trace (bounded wait), `_meta.yavio`, `widget_response`, next token pre-minted. */
  private async attachWidget(
    prep: ToolCallPrep,
    record: Record<string, unknown>,
    widgetUri: string,
  ): Promise<Record<string, unknown>> {
    const { scope, name } = prep
    const { session, trace } = scope
    const widgets = this.runtime.widgets
    const token = await within(prep.minting ?? widgets.token(trace.id, session.id), TOKEN_WAIT_MS)
    session.latestWidget = { trace, toolName: name }
    widgets.prepare(session.id)
    let out = record
    if (token !== undefined) {
      out = withWidgetConfig(record, {
        token: token.token,
        endpoint: widgets.eventsEndpoint,
        traceId: trace.id,
        sessionId: session.id,
        stepOffset: trace.nextStep,
      })
    } else {
      this.runtime.logger.log("debug", "YAVIO-1104", `no widget token for ${name} within ${TOKEN_WAIT_MS} ms`)
    }
    this.runtime.emit(scope, "widget_response", {
      event_name: name.slice(0, MAX_EVENT_NAME),
      metadata: { resource_uri: widgetUri, token_minted: token !== undefined, trace_id: trace.id },
    })
    return out
  }

  /** v2: a handler returned `input_required` — remember what was asked, to time the answer. */
  private noteInputRequired(scope: RequestScope, value: unknown): void {
    const record = asRecord(value)
    if (record?.resultType !== "input_required" || scope.trace === undefined || scope.call === undefined)
      return
    const requests = asRecord(record.inputRequests)
    if (requests === undefined) return
    const now = Date.now()
    for (const [key, entry] of Object.entries(requests)) {
      const req = asRecord(entry)
      const method = req?.method
      // On 2025-era connections the SDK's shim sends sampling through createMessage (timed there).
      const kind =
        method === "elicitation/create"
          ? "elicitation"
          : method === "sampling/createMessage" && scope.call.modern
            ? "sampling"
            : undefined
      if (kind === undefined) continue
      addPendingInput(scope.session, key, {
        kind,
        trace: scope.trace,
        toolName: scope.call.toolName,
        isRetry: scope.call.isRetry,
        startedAt: now,
        params: asRecord(req?.params) ?? {},
      })
    }
  }

  /** v2: the client answered an `input_required` round — emit what the user/model answered. */
  private answerPendingInputs(scope: RequestScope, extra: unknown): void {
    const answers = asRecord(asRecord(asRecord(extra)?.mcpReq)?.inputResponses)
    const pendingInputs = scope.session.pendingInputs
    if (answers === undefined || pendingInputs === undefined) return
    const now = Date.now()
    for (const [key, answer] of Object.entries(answers)) {
      const pending = pendingInputs.get(key)
      if (pending === undefined) continue
      pendingInputs.delete(key)
      this.emitOutbound(
        { ...scope, trace: pending.trace },
        pending.kind === "elicitation" ? "elicitation/create" : "sampling/createMessage",
        pending.params,
        answer,
        false,
        now - pending.startedAt,
      )
    }
  }

  // ---------------------------------------------------------------- server → client requests

  private detachedScope(): RequestScope {
    const session = this.conn.session ?? this.runtime.backgroundSession
    const verdict = this.platformOf(this.conn.clientInfo, this.conn.protocolVersion, {})
    return {
      ...this.bareScope(session, verdict.platform, undefined),
      trace: { id: newTraceId(), nextStep: 0 },
    }
  }

  private async timedOutbound(method: string, params: unknown, invoke: () => unknown): Promise<unknown> {
    let scope: RequestScope | undefined
    try {
      scope = askScope() ?? this.detachedScope()
    } catch (error) {
      this.fail(error)
    }
    const t0 = performance.now()
    let result: unknown
    try {
      result = await invoke()
    } catch (error) {
      if (scope !== undefined) this.emitOutbound(scope, method, params, error, true, performance.now() - t0)
      throw error
    }
    if (scope !== undefined) this.emitOutbound(scope, method, params, result, false, performance.now() - t0)
    return result
  }

  private emitOutbound(
    scope: RequestScope,
    method: string,
    params: unknown,
    outcome: unknown,
    failed: boolean,
    latencyMs: number,
  ): void {
    try {
      const p = asRecord(params) ?? {}
      const r = failed ? undefined : asRecord(outcome)
      if (method === "sampling/createMessage") {
        const usage = asRecord(r?.usage)
        const hints = asRecord(p.modelPreferences)?.hints
        const metadata: Record<string, unknown> = { status: failed ? "error" : "success" }
        const hint = Array.isArray(hints) ? str(asRecord(hints[0])?.name) : undefined
        if (hint !== undefined) metadata.model_hint = hint
        if (typeof r?.model === "string") metadata.model = r.model
        if (typeof r?.stopReason === "string") metadata.stop_reason = r.stopReason
        if (failed) metadata.error_category = categorizeError(outcome)
        const fields: Record<string, unknown> = {
          latency_ms: roundMs(latencyMs),
          tokens_in: num(usage?.inputTokens ?? usage?.input_tokens) ?? estimateTokens(samplingInputText(p)),
          metadata,
        }
        if (!failed) {
          fields.tokens_out =
            num(usage?.outputTokens ?? usage?.output_tokens) ?? estimateTokens(textOfContent(r?.content))
        }
        this.runtime.emit(scope, "sampling_call", fields)
        return
      }
      const schema = asRecord(p.requestedSchema)
      const properties = asRecord(schema?.properties)
      const metadata: Record<string, unknown> = {
        mode: typeof p.mode === "string" ? p.mode : typeof p.url === "string" ? "url" : "form",
        outcome: failed ? "error" : (str(r?.action) ?? "unknown"),
      }
      if (properties !== undefined) metadata.requested_fields = Object.keys(properties)
      if (schema !== undefined) metadata.requested_schema = schema
      if (failed) metadata.error_category = categorizeError(outcome)
      this.runtime.emit(scope, "elicitation", { latency_ms: roundMs(latencyMs), metadata })
    } catch (error) {
      this.fail(error)
    }
  }

  // ---------------------------------------------------------------- lists, resources, prompts

  /** Runs a non-tool request in a scope with a fresh trace (sdk.md §2.8) and reports its outcome. */
  private wrapSimple(original: Handler, finish: (done: Done) => unknown): Handler {
    return async (request, extra) => {
      let ctx: RequestContext
      let scope: RequestScope
      try {
        ctx = this.requestContext(request.method, request, extra)
        scope = {
          runtime: this.runtime,
          session: ctx.session,
          trace: { id: newTraceId(), nextStep: 0 },
          toolName: undefined,
          platform: ctx.verdict.platform,
          countryCode: ctx.country,
          otelTraceId: ctx.otel,
          call: undefined,
        }
        if (this.gen === 2 && !ctx.info.modern) this.wrapSend(extra)
      } catch (error) {
        this.fail(error)
        return original(request, extra)
      }
      const t0 = performance.now()
      let result: unknown
      let error: { readonly thrown: unknown } | undefined
      try {
        result = await runInScope(scope, () => original(request, extra))
      } catch (thrown) {
        error = { thrown }
      }
      try {
        const finished = await finish({
          request,
          ctx,
          scope,
          result,
          error,
          latencyMs: performance.now() - t0,
        })
        if (error === undefined) result = finished
      } catch (failure) {
        this.fail(failure)
      }
      if (error !== undefined) throw error.thrown
      return result
    }
  }

  private statusFields(error: { readonly thrown: unknown } | undefined): Record<string, unknown> {
    if (error === undefined) return { status: "success" }
    return { status: "error", error_category: categorizeError(error.thrown) }
  }

  private finishToolsList({ ctx, scope, result, error }: Done): unknown {
    const record = asRecord(result)
    const tools = Array.isArray(record?.tools) ? (record.tools as unknown[]) : []
    const names: string[] = []
    let advertised: unknown[] | undefined
    const intent = this.options.intent
    const sessionParam = this.options.sessionParam
    for (const [index, tool] of tools.entries()) {
      const entry = asRecord(tool)
      const name = str(entry?.name)
      if (entry === undefined || name === undefined) continue
      names.push(name)
      // Listed `_meta` is the source of truth for widget templates (tools may be updated).
      const known = this.tools.get(name)
      const properties = asRecord(asRecord(entry.inputSchema)?.properties)
      const listedWidget = widgetUriOf(entry._meta)
      if (known === undefined || known.widgetUri !== listedWidget) {
        this.setTool(name, {
          declaresContext: known?.declaresContext ?? Object.hasOwn(properties ?? {}, "context"),
          declaresSession: known?.declaresSession ?? Object.hasOwn(properties ?? {}, "session"),
          widgetUri: listedWidget,
        })
      }
      if (intent === undefined && !sessionParam) continue
      let schema: unknown = entry.inputSchema
      if (intent !== undefined && !Object.hasOwn(properties ?? {}, "context")) {
        schema = withAdvertisedParam(schema, "context", intent.description, intent.required)
      }
      if (sessionParam && !Object.hasOwn(properties ?? {}, "session")) {
        schema = withAdvertisedParam(schema, "session", SESSION_PARAM_DESCRIPTION, false)
      }
      if (schema !== entry.inputSchema) {
        advertised ??= [...tools]
        advertised[index] = { ...entry, inputSchema: schema }
      }
    }
    const metadata: Record<string, unknown> = {
      tools_listed: names.slice(0, MAX_LISTED),
      tools_count: names.length,
      ...this.statusFields(error),
    }
    if (ctx.clientInfo?.name !== undefined) metadata.client_name = ctx.clientInfo.name
    if (ctx.clientInfo?.version !== undefined) metadata.client_version = ctx.clientInfo.version
    if (ctx.capabilities !== undefined) metadata.client_capabilities = ctx.capabilities
    if (ctx.verdict.signals !== undefined) metadata.platform_signals = ctx.verdict.signals
    this.runtime.emit(scope, "tool_discovery", { metadata })
    return advertised === undefined || record === undefined ? result : { ...record, tools: advertised }
  }

  private resourceNameOf(uri: string | undefined): string | undefined {
    if (uri === undefined) return undefined
    const exact = this.resourceNames.get(uri) ?? this.resourceNames.get(normalizeUri(uri))
    if (exact !== undefined) return exact
    for (const { name, template } of this.templates) {
      try {
        const uriTemplate = asRecord(template)?.uriTemplate as
          | { match?: (uri: string) => unknown }
          | undefined
        if (typeof uriTemplate?.match === "function" && uriTemplate.match(uri) !== null) return name
      } catch {
        // a template that cannot match this URI
      }
    }
    return undefined
  }

  private finishResourcesList({ scope, result, error, latencyMs }: Done): unknown {
    const resources = asRecord(result)?.resources
    const names: string[] = []
    if (Array.isArray(resources)) {
      for (const resource of resources) {
        const entry = asRecord(resource)
        const name = str(entry?.name)
        const uri = str(entry?.uri)
        if (name === undefined) continue
        names.push(name)
        if (uri !== undefined && !this.resourceNames.has(uri) && this.resourceNames.size < 10_000) {
          this.resourceNames.set(uri, name)
        }
      }
    }
    this.runtime.emit(scope, "resource_access", {
      metadata: {
        method: "resources/list",
        resources_listed: names.slice(0, MAX_LISTED),
        resources_count: names.length,
        response_size: responseSize(result),
        latency_ms: roundMs(latencyMs),
        ...this.statusFields(error),
      },
    })
    return result
  }

  private async finishResourceRead({ request, scope, result, error, latencyMs }: Done): Promise<unknown> {
    const uri = str(asRecord(request.params)?.uri)
    const name = this.resourceNameOf(uri) ?? uri ?? "unknown"
    const metadata: Record<string, unknown> = {
      method: "resources/read",
      access_count: bumpCount(scope.session, "resourceCounts", name),
      latency_ms: roundMs(latencyMs),
      ...this.statusFields(error),
    }
    if (uri !== undefined) metadata.uri = uri
    if (error === undefined) {
      metadata.response_size = responseSize(result)
      const contents = asRecord(result)?.contents
      if (Array.isArray(contents)) {
        const mimeTypes = contents
          .map((content) => str(asRecord(content)?.mimeType))
          .filter((m) => m !== undefined)
        if (mimeTypes.length > 0) metadata.mime_types = [...new Set(mimeTypes)]
      }
    }
    this.runtime.emit(scope, "resource_access", { event_name: name.slice(0, MAX_EVENT_NAME), metadata })
    return error === undefined ? this.injectWidgetHtml(scope.session, result) : result
  }

  /** §5.3 secondary path: `window.__YAVIO__` in widget HTML served by a registered resource. */
  private async injectWidgetHtml(session: SessionState, result: unknown): Promise<unknown> {
    const record = asRecord(result)
    const contents = record?.contents
    if (!Array.isArray(contents)) return result
    const isWidgetHtml = (content: unknown): boolean => {
      const entry = asRecord(content)
      return isHtmlMimeType(entry?.mimeType) && typeof entry?.text === "string"
    }
    if (!contents.some(isWidgetHtml)) return result
    const widget = session.latestWidget
    if (widget === undefined) {
      this.runtime.logger.log(
        "debug",
        "YAVIO-1104",
        "widget HTML served before any widget call of this session",
      )
      return result
    }
    const widgets = this.runtime.widgets
    const token = await within(widgets.token(widget.trace.id, session.id), TOKEN_WAIT_MS)
    if (token === undefined) {
      this.runtime.logger.log("debug", "YAVIO-1104", "no widget token for the served widget HTML")
      return result
    }
    const config = {
      token: token.token,
      endpoint: widgets.eventsEndpoint,
      traceId: widget.trace.id,
      sessionId: session.id,
      stepOffset: widget.trace.nextStep,
    }
    return {
      ...record,
      contents: contents.map((content) => {
        if (!isWidgetHtml(content)) return content
        const entry = asRecord(content) as Record<string, unknown>
        return { ...entry, text: injectWidgetScript(entry.text as string, config) }
      }),
    }
  }

  private finishPromptsList({ scope, result, error, latencyMs }: Done): unknown {
    const prompts = asRecord(result)?.prompts
    const names = Array.isArray(prompts)
      ? prompts.map((prompt) => str(asRecord(prompt)?.name)).filter((name) => name !== undefined)
      : []
    this.runtime.emit(scope, "prompt_usage", {
      metadata: {
        method: "prompts/list",
        prompts_listed: names.slice(0, MAX_LISTED),
        prompts_count: names.length,
        latency_ms: roundMs(latencyMs),
        ...this.statusFields(error),
      },
    })
    return result
  }

  private finishPromptGet({ request, scope, result, error, latencyMs }: Done): unknown {
    const params = asRecord(request.params)
    const name = str(params?.name) ?? "unknown"
    const metadata: Record<string, unknown> = {
      method: "prompts/get",
      use_count: bumpCount(scope.session, "promptCounts", name),
      latency_ms: roundMs(latencyMs),
      ...this.statusFields(error),
    }
    const args = asRecord(params?.arguments)
    if (args !== undefined) {
      const copy = jsonCopy(safeStringify(args))
      if (copy !== undefined) metadata.arguments = copy
    }
    if (error === undefined) metadata.response_size = responseSize(result)
    this.runtime.emit(scope, "prompt_usage", { event_name: name.slice(0, MAX_EVENT_NAME), metadata })
    return result
  }
}

const safeStringify = (value: unknown): string | undefined => {
  try {
    return JSON.stringify(value)
  } catch {
    return undefined
  }
}

const responseSize = (result: unknown): number => {
  const json = safeStringify(result)
  return json === undefined ? 0 : utf8ByteLength(json)
}

const normalizeUri = (uri: string): string => {
  try {
    return new URL(uri).toString()
  } catch {
    return uri
  }
}
