import { afterEach, describe, expect, it, vi } from "vitest"
import { SDK_CODES } from "../src/core/codes.js"
import { consoleSink, createLogger, formatLogLine, maskApiKey } from "../src/core/logger.js"

const recording = (debug = false) => {
  const lines: Array<{ level: string; line: string }> = []
  const logger = createLogger({ debug, sink: (level, line) => lines.push({ level, line }) })
  return { logger, lines }
}

afterEach(() => {
  vi.restoreAllMocks()
})

describe("createLogger", () => {
  it("writes `[yavio] <code> <level>: <title>: <message> — fix: <fix>`", () => {
    const { logger, lines } = recording()
    logger.log("warn", "YAVIO-1206", "12 events dropped")
    expect(lines).toEqual([
      {
        level: "warn",
        line: "[yavio] YAVIO-1206 warn: Buffer overflow (events dropped): 12 events dropped — fix: Events arrive faster than they can be sent: check the endpoint is reachable.",
      },
    ])
  })

  it("without a message the title stands alone; codes without a fix have none", () => {
    expect(formatLogLine("info", "YAVIO-1003", "")).toBe(
      "[yavio] YAVIO-1003 info: Configuration loaded from .yaviorc.json",
    )
    expect(formatLogLine("warn", "YAVIO-1300", "x")).toBe(
      "[yavio] YAVIO-1300 warn: Event validation failed (dropped): x",
    )
    expect(formatLogLine("warn", "YAVIO-1999", "something new")).toBe(
      "[yavio] YAVIO-1999 warn: something new",
    )
  })

  it("debug lines only when debug is on", () => {
    const off = recording(false)
    off.logger.log("debug", "YAVIO-1200", "x")
    off.logger.debug("flush: 3 events")
    expect(off.lines).toEqual([])
    expect(off.logger.debugEnabled).toBe(false)

    const on = recording(true)
    on.logger.log("debug", "YAVIO-1200", "x")
    on.logger.debug("flush: 3 events")
    expect(on.lines.map((entry) => entry.line)).toEqual([
      "[yavio] YAVIO-1200 debug: Event flush failed (retrying): x",
      "[yavio] debug: flush: 3 events",
    ])
    expect(on.logger.debugEnabled).toBe(true)
  })

  it("once() logs a code at most once per logger, or per shared set", () => {
    const { logger, lines } = recording()
    logger.once("warn", "YAVIO-1105", "outside a request")
    logger.once("warn", "YAVIO-1105", "outside a request")
    logger.once("warn", "YAVIO-1000", "")
    expect(lines.map((entry) => entry.line.slice(0, 18))).toEqual([
      "[yavio] YAVIO-1105",
      "[yavio] YAVIO-1000",
    ])

    const shared = new Set<string>()
    const a: string[] = []
    const b: string[] = []
    createLogger({ onceKeys: shared, sink: (_l, line) => a.push(line) }).once("warn", "YAVIO-1105", "")
    createLogger({ onceKeys: shared, sink: (_l, line) => b.push(line) }).once("warn", "YAVIO-1105", "")
    expect(a).toHaveLength(1)
    expect(b).toHaveLength(0)
  })

  it("never throws, whatever the sink does", () => {
    const logger = createLogger({
      debug: true,
      sink: () => {
        throw new Error("broken sink")
      },
    })
    expect(() => logger.log("error", "YAVIO-1201", "x")).not.toThrow()
    expect(() => logger.once("warn", "YAVIO-1105", "x")).not.toThrow()
    expect(() => logger.debug("x")).not.toThrow()
  })

  it("the default sink writes to stderr in Node, never stdout (stdout carries MCP stdio)", () => {
    const log = vi.spyOn(console, "log").mockImplementation(() => {})
    const info = vi.spyOn(console, "info").mockImplementation(() => {})
    const debug = vi.spyOn(console, "debug").mockImplementation(() => {})
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {})
    const error = vi.spyOn(console, "error").mockImplementation(() => {})
    const logger = createLogger({ debug: true })
    logger.log("info", "YAVIO-1003", "")
    logger.log("warn", "YAVIO-1000", "")
    logger.log("error", "YAVIO-1203", "")
    logger.debug("hello")
    expect(log).not.toHaveBeenCalled()
    expect(info).not.toHaveBeenCalled()
    expect(debug).not.toHaveBeenCalled()
    expect(warn).toHaveBeenCalledTimes(3)
    expect(error).toHaveBeenCalledTimes(1)
    expect(consoleSink).toBeTypeOf("function")
  })
})

describe("maskApiKey", () => {
  it("keeps the first 8 characters only", () => {
    expect(maskApiKey("yav_abc123456789")).toBe("yav_abc1...")
    expect(maskApiKey("yav_")).toBe("yav_...")
  })
})

describe("SDK_CODES", () => {
  it("matches the domain error catalog for every YAVIO-1xxx code (title, level, fix)", async () => {
    // Loaded by path, not as a dependency: the SDK must not depend on @yavio/domain.
    const catalogUrl = new URL("../../domain/src/errors/ErrorCatalog.ts", import.meta.url).href
    const { ErrorCatalog } = (await import(/* @vite-ignore */ catalogUrl)) as {
      ErrorCatalog: Record<string, { status: unknown; message: string; fix?: string }>
    }
    const domain = Object.entries(ErrorCatalog)
      .filter(([code]) => /^YAVIO-1\d{3}$/.test(code))
      .map(([code, entry]) => [code, { level: entry.status, title: entry.message, fix: entry.fix }])
    const sdk = Object.entries(SDK_CODES).map(([code, entry]) => [
      code,
      { level: entry.level, title: entry.title, fix: "fix" in entry ? entry.fix : undefined },
    ])
    expect(sdk).toEqual(domain)
  })
})
