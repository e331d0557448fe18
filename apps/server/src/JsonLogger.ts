import { Cause, HashMap, Layer, List, Logger, LogLevel, Option } from "effect"

// cli-and-ops.md §4.1: one JSON object per line, pino-style numeric levels.
const LEVELS: Record<string, number> = {
  All: 10,
  Trace: 10,
  Debug: 20,
  Info: 30,
  Warning: 40,
  Error: 50,
  Fatal: 60,
}

const BY_NAME: Record<string, LogLevel.LogLevel> = {
  trace: LogLevel.Trace,
  debug: LogLevel.Debug,
  info: LogLevel.Info,
  warn: LogLevel.Warning,
  error: LogLevel.Error,
  fatal: LogLevel.Fatal,
}

/** A structured logger for one service: JSON lines on stdout (errors on stderr). */
export const jsonLogger = (service: string) =>
  Logger.make(({ logLevel, message, annotations, cause, date, spans }) => {
    const line: Record<string, unknown> = {
      level: LEVELS[logLevel._tag] ?? 30,
      time: date.getTime(),
      service,
      msg: Array.isArray(message) ? message.map(String).join(" ") : String(message),
    }
    for (const [key, value] of HashMap.toEntries(annotations)) {
      if (key === "err.code") continue
      line[key] = value
    }
    const code = Option.getOrUndefined(HashMap.get(annotations, "err.code"))
    if (!Cause.isEmpty(cause) || code !== undefined) {
      const failure = Cause.squash(cause)
      line.err = {
        message:
          failure instanceof Error ? failure.message : Cause.isEmpty(cause) ? line.msg : Cause.pretty(cause),
        ...(failure instanceof Error && failure.stack !== undefined ? { stack: failure.stack } : {}),
        code:
          code ??
          (typeof failure === "object" && failure !== null && "code" in failure ? failure.code : undefined),
      }
    }
    for (const span of List.toArray(spans)) line[`span.${span.label}`] = date.getTime() - span.startTime
    const text = JSON.stringify(line)
    if (logLevel.ordinal >= LogLevel.Error.ordinal) process.stderr.write(`${text}\n`)
    else process.stdout.write(`${text}\n`)
  })

/**
 * The process logger: JSON lines at LOG_LEVEL (default info). An unknown level falls back
 * to info and says so once, with `YAVIO-7104`.
 */
export const loggerLayer = (service: string) => {
  const requested = (process.env.LOG_LEVEL ?? "info").trim().toLowerCase()
  const level = BY_NAME[requested]
  if (level === undefined) {
    process.stdout.write(
      `${JSON.stringify({ level: 40, time: Date.now(), service, msg: `LOG_LEVEL "${requested}" is not a level; using info`, err: { code: "YAVIO-7104", message: "Log level invalid" } })}\n`,
    )
  }
  return Layer.merge(
    Logger.replace(Logger.defaultLogger, jsonLogger(service)),
    Logger.minimumLogLevel(level ?? LogLevel.Info),
  )
}
