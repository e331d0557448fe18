/**
 * Configuration discovery (sdk.md §2.2), Node only — used by the server entry. Synchronous,
 * runs once. Sources in order: options passed in code → `YAVIO_API_KEY`/`YAVIO_ENDPOINT` →
 * the nearest `.yaviorc.json` walking up from the working directory. The first source with a
 * key wins; the endpoint comes from that source, else from the first other source that has
 * one (in the same order), else the hosted default. Any problem is logged with its code and yields `undefined` (pass-through
 * mode, §2.3); nothing here throws.
 */

import { readFileSync } from "node:fs"
import { dirname, join, resolve } from "node:path"
import type { ResolvedConfig, SdkLogger } from "./contracts.js"
import { maskApiKey } from "./logger.js"

export const DEFAULT_ENDPOINT = "https://ingest.yavio.ai"
export const RC_FILE_NAME = ".yaviorc.json"
/** Highest `.yaviorc.json` `version` this SDK reads. */
export const RC_VERSION = 1

/** `yav_` then URL-safe characters; the exact length is ingest's business. */
const API_KEY_PATTERN = /^yav_[A-Za-z0-9_-]+$/
const EVENTS_PATH = "/v1/events"

export interface ConfigOptions {
  readonly apiKey?: string | undefined
  readonly endpoint?: string | undefined
}

export interface ResolveConfigEnvironment {
  /** Default `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>>
  /** Where the `.yaviorc.json` walk starts. Default `process.cwd()`. */
  readonly cwd?: string
}

interface Source {
  readonly name: string
  readonly apiKey: string | undefined
  readonly endpoint: string | undefined
}

/** Empty or blank strings count as absent (e.g. `YAVIO_API_KEY=` in a shell). */
const present = (value: unknown): string | undefined =>
  typeof value === "string" && value.trim() !== "" ? value.trim() : undefined

/** The nearest `.yaviorc.json` from `cwd` up to the filesystem root, with its text. */
const findRcFile = (cwd: string): { readonly path: string; readonly text: string } | undefined => {
  let dir = resolve(cwd)
  for (;;) {
    const path = join(dir, RC_FILE_NAME)
    try {
      return { path, text: readFileSync(path, "utf8") }
    } catch (error) {
      const code = (error as { code?: unknown }).code
      // A directory or an unreadable file under that name is still "the nearest file".
      if (code !== "ENOENT" && code !== "ENOTDIR") return { path, text: "" }
    }
    const parent = dirname(dir)
    if (parent === dir) return undefined
    dir = parent
  }
}

const readRcSource = (cwd: string, logger: SdkLogger): Source | undefined => {
  const found = findRcFile(cwd)
  if (found === undefined) return undefined
  let parsed: unknown
  try {
    parsed = JSON.parse(found.text)
  } catch {
    logger.log("warn", "YAVIO-1004", `${found.path} is not valid JSON`)
    return undefined
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    logger.log("warn", "YAVIO-1004", `${found.path} is not a JSON object`)
    return undefined
  }
  const rc = parsed as Record<string, unknown>
  const { version } = rc
  if (typeof version !== "number" || !Number.isInteger(version) || version < 1) {
    logger.log("warn", "YAVIO-1004", `${found.path}: "version" must be a positive integer`)
    return undefined
  }
  if (version > RC_VERSION) {
    logger.log(
      "warn",
      "YAVIO-1005",
      `${found.path} has version ${version}; this SDK reads version ${RC_VERSION}`,
    )
    return undefined
  }
  if (typeof rc.apiKey !== "string") {
    logger.log("warn", "YAVIO-1004", `${found.path}: "apiKey" is missing or not a string`)
    return undefined
  }
  if (rc.endpoint !== undefined && typeof rc.endpoint !== "string") {
    logger.log("warn", "YAVIO-1004", `${found.path}: "endpoint" must be a string`)
    return undefined
  }
  // Unknown keys (telemetry settings, cli-and-ops.md §2) are ignored.
  logger.log("info", "YAVIO-1003", found.path)
  return { name: found.path, apiKey: present(rc.apiKey), endpoint: present(rc.endpoint) }
}

/**
 * The ingest base URL: trailing slashes and a trailing `/v1/events` removed (the endpoint is
 * written either as the events URL or as the service origin). `undefined` when the value is not
 * an absolute http(s) URL without query or fragment.
 */
export const normalizeEndpoint = (endpoint: string): string | undefined => {
  let url: URL
  try {
    url = new URL(endpoint)
  } catch {
    return undefined
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return undefined
  if (url.search !== "" || url.hash !== "" || url.username !== "" || url.password !== "") return undefined
  let path = url.pathname.replace(/\/+$/, "")
  if (path.endsWith(EVENTS_PATH)) path = path.slice(0, -EVENTS_PATH.length).replace(/\/+$/, "")
  return `${url.origin}${path}`
}

export const isValidApiKey = (apiKey: string): boolean => API_KEY_PATTERN.test(apiKey)

export const resolveConfig = (
  options: ConfigOptions,
  logger: SdkLogger,
  environment: ResolveConfigEnvironment = {},
): ResolvedConfig | undefined => {
  try {
    const env = environment.env ?? process.env
    const cwd = environment.cwd ?? process.cwd()

    // Read lazily and at most once each: the file is only looked for when code and env leave a gap.
    const readers: ReadonlyArray<() => Source | undefined> = [
      () => ({ name: "options", apiKey: present(options.apiKey), endpoint: present(options.endpoint) }),
      () => ({
        name: "environment",
        apiKey: present(env.YAVIO_API_KEY),
        endpoint: present(env.YAVIO_ENDPOINT),
      }),
      () => readRcSource(cwd, logger),
    ]
    const cache = new Map<number, Source | undefined>()
    const source = (index: number): Source | undefined => {
      if (!cache.has(index)) cache.set(index, readers[index]?.())
      return cache.get(index)
    }

    let keySource: Source | undefined
    for (let i = 0; i < readers.length && keySource === undefined; i++) {
      if (source(i)?.apiKey !== undefined) keySource = source(i)
    }
    if (keySource?.apiKey === undefined) {
      logger.once("warn", "YAVIO-1000", "analytics are off; the server runs unchanged")
      return undefined
    }
    const apiKey = keySource.apiKey
    if (!isValidApiKey(apiKey)) {
      logger.log(
        "warn",
        "YAVIO-1001",
        `the key from ${keySource.name} does not match yav_…; analytics are off`,
      )
      return undefined
    }
    // The endpoint of the key's own source, else of the other sources in priority order
    // (code > env > file), else the hosted default.
    let endpointSource: Source | undefined = keySource.endpoint !== undefined ? keySource : undefined
    for (let i = 0; i < readers.length && endpointSource === undefined; i++) {
      if (source(i)?.endpoint !== undefined) endpointSource = source(i)
    }

    const endpoint = endpointSource?.endpoint ?? DEFAULT_ENDPOINT
    const baseUrl = normalizeEndpoint(endpoint)
    if (baseUrl === undefined) {
      logger.log(
        "warn",
        "YAVIO-1002",
        `the endpoint from ${endpointSource?.name ?? "defaults"} is not an http(s) URL without query or fragment; analytics are off`,
      )
      return undefined
    }
    logger.debug?.(
      `configured from ${keySource.name} (key ${maskApiKey(apiKey)}), endpoint ${baseUrl}${EVENTS_PATH}`,
    )
    return { apiKey, baseUrl }
  } catch {
    // Unreachable in practice (every step above is guarded); analytics must never break the host.
    return undefined
  }
}
