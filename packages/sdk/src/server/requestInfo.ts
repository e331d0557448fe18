/**
 * Reading what a request tells about its client, for either MCP generation (sdk.md §2.7): the v1
 * handler `extra` (`sessionId`, `requestInfo.headers`, `authInfo`) and the v2 `ctx`
 * (`mcpReq.envelope` with the 2026-07-28 `_meta` envelope, `mcpReq.inputResponses`,
 * `http.req` / `http.authInfo`). Only shapes are read; no MCP package is imported.
 */

export type Generation = 1 | 2

export interface JsonRpcRequest {
  readonly method: string
  readonly params?: Record<string, unknown> | undefined
  readonly [key: string]: unknown
}

export interface ClientIdentity {
  readonly name?: string
  readonly version?: string
}

export interface RequestInfo {
  /** Lower-case header names; empty outside HTTP transports. */
  readonly headers: Readonly<Record<string, string>>
  readonly transportSessionId: string | undefined
  /** The request carried the 2026-07-28 `_meta` envelope. */
  readonly modern: boolean
  readonly clientInfo: ClientIdentity | undefined
  readonly protocolVersion: string | undefined
  readonly capabilities: unknown
  readonly traceparent: string | undefined
  readonly authInfo: unknown
  readonly inputResponses: Readonly<Record<string, unknown>> | undefined
}

export const CLIENT_INFO_KEY = "io.modelcontextprotocol/clientInfo"
export const PROTOCOL_VERSION_KEY = "io.modelcontextprotocol/protocolVersion"
export const CLIENT_CAPABILITIES_KEY = "io.modelcontextprotocol/clientCapabilities"

const EMPTY_HEADERS: Readonly<Record<string, string>> = Object.freeze({})

export const asRecord = (value: unknown): Record<string, unknown> | undefined =>
  typeof value === "object" && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined

const str = (value: unknown): string | undefined =>
  typeof value === "string" && value !== "" ? value : undefined

/** v1 `requestInfo.headers`: a plain object, values string or string[]. */
const plainHeaders = (headers: unknown): Readonly<Record<string, string>> => {
  const record = asRecord(headers)
  if (record === undefined) return EMPTY_HEADERS
  const out: Record<string, string> = {}
  for (const [name, value] of Object.entries(record)) {
    if (typeof value === "string") out[name.toLowerCase()] = value
    else if (Array.isArray(value)) out[name.toLowerCase()] = value.join(", ")
  }
  return out
}

/** v2 `http.req.headers`: a WHATWG `Headers`. */
const webHeaders = (req: unknown): Readonly<Record<string, string>> => {
  const headers = asRecord(req)?.headers as
    | { forEach?: (cb: (value: string, name: string) => void) => void }
    | undefined
  if (typeof headers?.forEach !== "function") return EMPTY_HEADERS
  const out: Record<string, string> = {}
  headers.forEach((value, name) => {
    out[name.toLowerCase()] = value
  })
  return out
}

export const clientIdentityOf = (value: unknown): ClientIdentity | undefined => {
  const record = asRecord(value)
  if (record === undefined) return undefined
  const name = str(record.name)
  const version = str(record.version)
  if (name === undefined) return version === undefined ? {} : { version }
  return version === undefined ? { name } : { name, version }
}

export const readRequestInfo = (gen: Generation, request: JsonRpcRequest, extra: unknown): RequestInfo => {
  const ex = asRecord(extra) ?? {}
  const meta = asRecord(request.params?._meta)
  if (gen === 1) {
    const headers = plainHeaders(asRecord(ex.requestInfo)?.headers)
    return {
      headers,
      transportSessionId: str(ex.sessionId),
      modern: false,
      clientInfo: undefined,
      protocolVersion: undefined,
      capabilities: undefined,
      traceparent: str(meta?.traceparent) ?? headers.traceparent,
      authInfo: ex.authInfo,
      inputResponses: undefined,
    }
  }
  const mcpReq = asRecord(ex.mcpReq)
  const http = asRecord(ex.http)
  const headers = http === undefined ? EMPTY_HEADERS : webHeaders(http.req)
  const envelope = asRecord(mcpReq?.envelope)
  return {
    headers,
    transportSessionId: str(ex.sessionId),
    modern: envelope !== undefined,
    clientInfo: clientIdentityOf(envelope?.[CLIENT_INFO_KEY]),
    protocolVersion: str(envelope?.[PROTOCOL_VERSION_KEY]),
    capabilities: envelope?.[CLIENT_CAPABILITIES_KEY],
    traceparent: str(meta?.traceparent) ?? str(asRecord(mcpReq?._meta)?.traceparent) ?? headers.traceparent,
    authInfo: http?.authInfo,
    inputResponses: asRecord(mcpReq?.inputResponses),
  }
}

const TRACEPARENT = /^[\da-f]{2}-([\da-f]{32})-[\da-f]{16}-[\da-f]{2}(?:-.*)?$/i

/** The trace id of a W3C `traceparent`, when well-formed and not all zeros. */
export const otelTraceIdOf = (traceparent: string | undefined): string | undefined => {
  if (traceparent === undefined) return undefined
  const match = TRACEPARENT.exec(traceparent.trim())
  const id = match?.[1]?.toLowerCase()
  return id !== undefined && !/^0+$/.test(id) ? id : undefined
}

/** `country_code` from trusted CDN headers (Cloudflare, Vercel); unknown/Tor markers ignored. */
export const countryOf = (headers: Readonly<Record<string, string>>): string | undefined => {
  const raw = headers["cf-ipcountry"] ?? headers["x-vercel-ip-country"]
  if (raw === undefined) return undefined
  const code = raw.trim().toUpperCase()
  return /^[A-Z]{2}$/.test(code) && code !== "XX" && code !== "T1" ? code : undefined
}

/** The kind of a transport, from its shape and class name (sdk.md §2.4 `connect`). */
export const transportKindOf = (transport: unknown): string => {
  const name = (transport as { constructor?: { name?: unknown } } | undefined)?.constructor?.name
  if (typeof name === "string") {
    if (/stdio/i.test(name)) return "stdio"
    if (/streamable|perrequest/i.test(name)) return "streamable_http"
    if (/sse/i.test(name)) return "sse"
    if (/inmemory/i.test(name)) return "in_memory"
  }
  return "unknown"
}
