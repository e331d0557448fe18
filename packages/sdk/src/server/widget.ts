/**
 * The server side of widgets (sdk.md §5): widget tokens minted by ingest for one trace, kept off
 * the tool-call path where possible, and the widget configuration injected into tool results
 * (`_meta.yavio`) and served widget HTML (`window.__YAVIO__`). The API key is only ever sent to
 * the token endpoint; what reaches a result or a page is the short-lived, trace-scoped token.
 */

import type { ResolvedConfig, SdkLogger } from "../core/contracts.js"
import { newTraceId } from "../core/ids.js"
import type { WidgetConfigPayload } from "./types.js"

export interface WidgetToken {
  readonly token: string
  /** Epoch milliseconds. */
  readonly expiresAt: number
}

/** A token within this long of expiry is refreshed rather than handed out (sdk.md §5.2). */
export const REFRESH_BEFORE_EXPIRY_MS = 30_000
/** Longest wait for a token after the handler returned (our decision, sdk.md §5.2). */
export const TOKEN_WAIT_MS = 500
/** The token endpoint request is abandoned after this long (off the call path). */
const MINT_TIMEOUT_MS = 10_000
/** Ingest's token lifetime, assumed when the answer carries no usable `expiresAt`. */
const DEFAULT_TOKEN_LIFETIME_MS = 15 * 60 * 1000
const MAX_CACHED_TOKENS = 5_000
const MAX_READY = 1_000
/** At most one YAVIO-1103 line per this interval (a dead endpoint fails every call). */
const FAILURE_LOG_INTERVAL_MS = 60_000

interface ReadyToken {
  readonly traceId: string
  readonly promise: Promise<WidgetToken | undefined>
  settled: WidgetToken | undefined
}

export interface WidgetTokensOptions {
  readonly config: ResolvedConfig
  readonly logger: SdkLogger
  readonly fetch?: typeof fetch
  readonly now?: () => number
}

/** Resolves to the promise's value, or `undefined` after `ms` or when it rejects. */
export const within = <T>(promise: Promise<T>, ms: number): Promise<T | undefined> =>
  new Promise((resolve) => {
    const timer = setTimeout(() => resolve(undefined), ms)
    timer.unref?.()
    promise.then(
      (value) => {
        clearTimeout(timer)
        resolve(value)
      },
      () => {
        clearTimeout(timer)
        resolve(undefined)
      },
    )
  })

export class WidgetTokens {
  /** traceId → token; a token is only ever reused for its own trace. */
  private readonly cache = new Map<string, WidgetToken>()
  private readonly inflight = new Map<string, Promise<WidgetToken | undefined>>()
  /** sessionId → one pre-minted (trace, token) ready for the next widget call. */
  private readonly ready = new Map<string, ReadyToken>()
  /** Bumped by `clear()`: answers of requests started before are not cached. */
  private epoch = 0
  private lastFailureLog = Number.NEGATIVE_INFINITY
  private readonly fetchImpl: typeof fetch | undefined
  private readonly now: () => number
  /** Requests made to the token endpoint (diagnostics and tests). */
  minted = 0

  constructor(private readonly options: WidgetTokensOptions) {
    this.fetchImpl = options.fetch ?? globalThis.fetch
    this.now = options.now ?? Date.now
  }

  /** Where widgets send their events: `{base}/v1/events`. */
  get eventsEndpoint(): string {
    return `${this.options.config.baseUrl}/v1/events`
  }

  /** A cached token of this trace that is not about to expire. */
  cached(traceId: string): WidgetToken | undefined {
    const token = this.cache.get(traceId)
    if (token === undefined) return undefined
    if (token.expiresAt - this.now() > REFRESH_BEFORE_EXPIRY_MS) return token
    this.cache.delete(traceId)
    return undefined
  }

  /** The trace's token: cached, else minted (one request per trace at a time). Never rejects. */
  token(traceId: string, sessionId: string): Promise<WidgetToken | undefined> {
    const cached = this.cached(traceId)
    return cached !== undefined ? Promise.resolve(cached) : this.mint(traceId, sessionId)
  }

  /**
   * Takes the session's pre-minted token when one is ready or under way (and not about to
   * expire): the widget call adopts its trace id.
   */
  takeReady(
    sessionId: string,
  ): { readonly traceId: string; readonly promise: Promise<WidgetToken | undefined> } | undefined {
    const ready = this.ready.get(sessionId)
    if (ready === undefined) return undefined
    this.ready.delete(sessionId)
    if (ready.settled !== undefined && ready.settled.expiresAt - this.now() <= REFRESH_BEFORE_EXPIRY_MS) {
      this.cache.delete(ready.traceId)
      return undefined
    }
    return { traceId: ready.traceId, promise: ready.promise }
  }

  /** Keeps one token ready for the session's next widget call, minted in the background. */
  prepare(sessionId: string): void {
    if (this.ready.has(sessionId)) return
    const traceId = newTraceId()
    const ready: ReadyToken = { traceId, promise: this.mint(traceId, sessionId), settled: undefined }
    this.ready.set(sessionId, ready)
    ready.promise.then((token) => {
      if (token !== undefined) ready.settled = token
      else if (this.ready.get(sessionId) === ready) this.ready.delete(sessionId)
    })
    if (this.ready.size > MAX_READY) {
      const oldest = this.ready.keys().next()
      if (oldest.done !== true) this.ready.delete(oldest.value)
    }
  }

  /** Forgets every token (new `connect()`, or the key was rejected). */
  clear(): void {
    this.epoch++
    this.cache.clear()
    this.inflight.clear()
    this.ready.clear()
  }

  private mint(traceId: string, sessionId: string): Promise<WidgetToken | undefined> {
    const existing = this.inflight.get(traceId)
    if (existing !== undefined) return existing
    const epoch = this.epoch
    const promise = this.request(traceId, sessionId).then((token) => {
      if (this.inflight.get(traceId) === promise) this.inflight.delete(traceId)
      if (token !== undefined && epoch === this.epoch) this.remember(traceId, token)
      return token
    })
    this.inflight.set(traceId, promise)
    return promise
  }

  private remember(traceId: string, token: WidgetToken): void {
    this.cache.set(traceId, token)
    if (this.cache.size > MAX_CACHED_TOKENS) {
      const now = this.now()
      for (const [id, cached] of this.cache) if (cached.expiresAt <= now) this.cache.delete(id)
      while (this.cache.size > MAX_CACHED_TOKENS) {
        const oldest = this.cache.keys().next()
        if (oldest.done === true) break
        this.cache.delete(oldest.value)
      }
    }
  }

  private failed(reason: string): undefined {
    const now = this.now()
    if (now - this.lastFailureLog >= FAILURE_LOG_INTERVAL_MS) {
      this.lastFailureLog = now
      this.options.logger.log("warn", "YAVIO-1103", `${reason}; the widget gets no configuration`)
    }
    return undefined
  }

  private async request(traceId: string, sessionId: string): Promise<WidgetToken | undefined> {
    const fetchImpl = this.fetchImpl
    if (fetchImpl === undefined) return this.failed("fetch is not available")
    this.minted++
    let response: Response
    try {
      response = await fetchImpl(`${this.options.config.baseUrl}/v1/widget-tokens`, {
        method: "POST",
        headers: {
          authorization: `Bearer ${this.options.config.apiKey}`,
          "content-type": "application/json",
        },
        body: JSON.stringify({ traceId, sessionId }),
        signal: AbortSignal.timeout(MINT_TIMEOUT_MS),
      })
    } catch (error) {
      const name = error instanceof Error ? error.name : "error"
      return this.failed(`token endpoint unreachable (${name})`)
    }
    if (response.status === 401 || response.status === 403) {
      // Key rotated or revoked: nothing cached under it may be handed out any more.
      this.clear()
      await response.body?.cancel().catch(() => {})
      return this.failed(`token endpoint answered ${response.status}`)
    }
    if (!response.ok) {
      await response.body?.cancel().catch(() => {})
      return this.failed(`token endpoint answered ${response.status}`)
    }
    let body: unknown
    try {
      body = await response.json()
    } catch {
      return this.failed("token endpoint answered invalid JSON")
    }
    const { token, expiresAt } = (typeof body === "object" && body !== null ? body : {}) as {
      token?: unknown
      expiresAt?: unknown
    }
    if (typeof token !== "string" || token === "") return this.failed("token endpoint answered no token")
    const expiry = typeof expiresAt === "string" ? Date.parse(expiresAt) : Number.NaN
    return {
      token,
      expiresAt: Number.isFinite(expiry) ? expiry : this.now() + DEFAULT_TOKEN_LIFETIME_MS,
    }
  }
}

const asRecord = (value: unknown): Record<string, unknown> | undefined =>
  typeof value === "object" && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined

/** The widget template a tool declares or a result carries: `_meta.ui.resourceUri` or `_meta["openai/outputTemplate"]`. */
export const widgetUriOf = (meta: unknown): string | undefined => {
  const record = asRecord(meta)
  if (record === undefined) return undefined
  const ui = asRecord(record.ui)
  if (typeof ui?.resourceUri === "string" && ui.resourceUri !== "") return ui.resourceUri
  const template = record["openai/outputTemplate"]
  return typeof template === "string" && template !== "" ? template : undefined
}

/** A copy of the result with `_meta.yavio` added; existing `_meta` fields are kept. */
export const withWidgetConfig = (
  result: Record<string, unknown>,
  config: WidgetConfigPayload,
): Record<string, unknown> => ({ ...result, _meta: { ...asRecord(result._meta), yavio: config } })

/** JSON safe inside an inline `<script>`: no `</script>`, no HTML comment openers, no line separators. */
const scriptSafeJson = (value: unknown): string =>
  JSON.stringify(value)
    .replace(/</g, "\\u003c")
    .replace(/>/g, "\\u003e")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029")

/** Whether a resource's MIME type is widget HTML (`text/html`, `text/html+skybridge`, `text/html;profile=…`). */
export const isHtmlMimeType = (mimeType: unknown): boolean =>
  typeof mimeType === "string" && /^text\/html(?:\+[a-z0-9.-]+)?\s*(?:;.*)?$/i.test(mimeType.trim())

/** Inserts `<script>window.__YAVIO__=…</script>` at the start of `<head>` (else after `<html>` / the doctype, else first). */
export const injectWidgetScript = (html: string, config: WidgetConfigPayload): string => {
  const script = `<script>window.__YAVIO__=${scriptSafeJson(config)}</script>`
  for (const pattern of [/<head(?:\s[^>]*)?>/i, /<html(?:\s[^>]*)?>/i, /<!doctype[^>]*>/i]) {
    const match = pattern.exec(html)
    if (match !== null) {
      const at = match.index + match[0].length
      return html.slice(0, at) + script + html.slice(at)
    }
  }
  return script + html
}
