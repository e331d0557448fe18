/**
 * The SDK's logger: one line per message, always prefixed `[yavio]` and a YAVIO-1xxx code, e.g.
 * `[yavio] YAVIO-1206 warn: Buffer overflow (events dropped): 12 events dropped — fix: …`.
 * Never throws; payload values and API keys are never passed to it (use `maskApiKey`).
 */

import { SDK_CODES, type SdkCodeEntry } from "./codes.js"
import type { SdkLogger, SdkLogLevel } from "./contracts.js"

/** Receives each formatted line. */
export type LogSink = (level: SdkLogLevel, line: string) => void

export interface LoggerOptions {
  /** Write `debug` lines (sdk.md §2.1 `debug`). Default false. */
  readonly debug?: boolean
  /** Where lines go. Default: stderr in Node (stdout carries MCP stdio), `console.*` elsewhere. */
  readonly sink?: LogSink
  /**
   * Codes already logged through `once`. Default: one set per logger — the server entry keeps
   * one logger per process, which makes `once` per process. Pass a shared set to widen it.
   */
  readonly onceKeys?: Set<string>
}

export type YavioLogger = SdkLogger & {
  readonly debug: (message: string) => void
  readonly debugEnabled: boolean
}

const isNode = (): boolean => {
  const proc = (globalThis as { process?: { versions?: { node?: string } } }).process
  return typeof proc?.versions?.node === "string"
}

/**
 * Default sink. In Node every level goes to stderr (`console.warn`/`console.error`): an MCP
 * server on the stdio transport speaks JSON-RPC on stdout, so the SDK must never write there.
 */
export const consoleSink: LogSink = (level, line) => {
  if (level === "error") console.error(line)
  else if (isNode()) console.warn(line)
  else if (level === "warn") console.warn(line)
  else if (level === "info") console.info(line)
  else console.debug(line)
}

/** `[yavio] <code> <level>: <title>[: <message>][ — fix: <fix>]` */
export const formatLogLine = (level: SdkLogLevel, code: string, message: string): string => {
  const entry: SdkCodeEntry | undefined = Object.hasOwn(SDK_CODES, code)
    ? SDK_CODES[code as keyof typeof SDK_CODES]
    : undefined
  let text = entry === undefined ? message : message === "" ? entry.title : `${entry.title}: ${message}`
  if (entry?.fix !== undefined) text += ` — fix: ${entry.fix}`
  return `[yavio] ${code} ${level}: ${text}`
}

/** An API key reduced to what may be logged: `yav_abc1...` (never more than 8 characters). */
export const maskApiKey = (apiKey: string): string => `${apiKey.slice(0, 8)}...`

export const createLogger = (options: LoggerOptions = {}): YavioLogger => {
  const debugEnabled = options.debug === true
  const sink = options.sink ?? consoleSink
  const onceKeys = options.onceKeys ?? new Set<string>()

  const write = (level: SdkLogLevel, line: string): void => {
    try {
      sink(level, line)
    } catch {
      // A broken sink must never reach the host.
    }
  }

  const log: SdkLogger["log"] = (level, code, message) => {
    if (level === "debug" && !debugEnabled) return
    try {
      write(level, formatLogLine(level, code, message))
    } catch {
      // formatting of exotic input; nothing to do
    }
  }

  return {
    log,
    once: (level, code, message) => {
      if (onceKeys.has(code)) return
      onceKeys.add(code)
      log(level, code, message)
    },
    debug: (message) => {
      if (debugEnabled) write("debug", `[yavio] debug: ${message}`)
    },
    debugEnabled,
  }
}

/** A logger that drops everything (for tests and disabled instances). */
export const silentLogger: YavioLogger = createLogger({ sink: () => {} })
