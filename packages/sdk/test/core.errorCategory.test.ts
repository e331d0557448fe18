import { describe, expect, it } from "vitest"
import { categorizeError, type ErrorCategory } from "../src/core/errorCategory.js"

const withProps = (message: string, props: Record<string, unknown>, name?: string): Error => {
  const error = Object.assign(new Error(message), props)
  if (name !== undefined) error.name = name
  return error
}

describe("categorizeError (first match: validation, auth, rate_limit, timeout, server, unknown)", () => {
  const cases: ReadonlyArray<readonly [string, unknown, ErrorCategory]> = [
    // validation
    ["JSON-RPC -32602", withProps("Invalid params", { code: -32602 }), "validation"],
    [
      "MCP input validation text",
      "MCP error -32602: Input validation error: Invalid arguments for tool search",
      "validation",
    ],
    ["zod-style issues", withProps("bad", { issues: [{ path: ["city"] }] }, "ZodError"), "validation"],
    ["a ValidationError", withProps("city is required", {}, "ValidationError"), "validation"],
    ["invalid arguments text", new Error("Invalid arguments: guests must be positive"), "validation"],
    // auth
    ["status 401", withProps("nope", { status: 401 }), "auth"],
    ["statusCode 403", withProps("nope", { statusCode: 403 }), "auth"],
    ["response.status 401", withProps("request failed", { response: { status: 401 } }), "auth"],
    ["unauthorized text", new Error("Unauthorized"), "auth"],
    ["forbidden name", withProps("x", {}, "ForbiddenError"), "auth"],
    ["permission text", new Error("permission denied for table rooms"), "auth"],
    // rate limit
    ["status 429", withProps("slow down", { status: 429 }), "rate_limit"],
    ["rate limit text", new Error("Rate limit exceeded"), "rate_limit"],
    ["too many requests text", new Error("Too Many Requests"), "rate_limit"],
    // timeout
    ["AbortError", withProps("This operation was aborted", {}, "AbortError"), "timeout"],
    ["TimeoutError", withProps("signal timed out", {}, "TimeoutError"), "timeout"],
    ["ETIMEDOUT", withProps("connect failed", { code: "ETIMEDOUT" }), "timeout"],
    ["timed out text", new Error("upstream timed out after 30s"), "timeout"],
    // server
    ["status 500", withProps("boom", { status: 500 }), "server"],
    ["status 503", withProps("unavailable", { statusCode: 503 }), "server"],
    ["another status", withProps("not found", { status: 404 }), "server"],
    ["a string code", withProps("refused", { code: "ECONNREFUSED" }), "server"],
    ["a JSON-RPC internal error", withProps("internal", { code: -32603 }), "server"],
    // unknown
    ["plain Error", new Error("something broke"), "unknown"],
    ["TypeError", new TypeError("x is not a function"), "unknown"],
    ["a thrown string without hints", "oops", "unknown"],
    ["null", null, "unknown"],
    ["a number", 42, "unknown"],
  ]

  it.each(cases)("%s", (_what, error, category) => {
    expect(categorizeError(error)).toBe(category)
  })

  it("the first matching rule wins", () => {
    expect(categorizeError(withProps("Unauthorized", { code: -32602 }))).toBe("validation")
    expect(categorizeError(withProps("rate limit", { status: 401 }))).toBe("auth")
    expect(categorizeError(withProps("timed out", { status: 429 }))).toBe("rate_limit")
    expect(categorizeError(withProps("timed out", { status: 503 }))).toBe("timeout")
  })

  it("never throws, even on hostile objects", () => {
    const hostile = new Proxy(
      {},
      {
        get() {
          throw new Error("trap")
        },
      },
    )
    expect(categorizeError(hostile)).toBe("unknown")
    const getter = Object.defineProperty({}, "message", {
      get() {
        throw new Error("getter")
      },
    })
    expect(categorizeError(getter)).toBe("unknown")
  })
})
