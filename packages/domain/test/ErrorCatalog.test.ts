import { Effect, Exit } from "effect"
import { describe, expect, it } from "vitest"
import * as Cli from "../src/errors/CliErrors.js"
import * as Dashboard from "../src/errors/DashboardErrors.js"
import { ErrorCatalog, type YavioCode } from "../src/errors/ErrorCatalog.js"
import * as Infra from "../src/errors/InfraErrors.js"
import * as Ingest from "../src/errors/IngestErrors.js"
import * as Storage from "../src/errors/StorageErrors.js"
import { isYavioFailure, renderErrorBody } from "../src/errors/YavioError.js"

// Each family owns a range (error-codes.md); 4000–4999 belongs to a service outside this repo.
const families: ReadonlyArray<readonly [string, number, number]> = [
  ["sdk", 1000, 1999],
  ["ingest", 2000, 2999],
  ["dashboard", 3000, 3999],
  ["storage", 5000, 5999],
  ["cli", 6000, 6999],
  ["infra", 7000, 7999],
]
const levels = new Set(["fatal", "error", "warn", "info", "none"])
const codes = Object.keys(ErrorCatalog) as YavioCode[]
const classes = [Cli, Dashboard, Infra, Ingest, Storage].flatMap((m) => Object.values(m))

describe("the YAVIO error catalog", () => {
  it("lists every code once, each inside its family's range and with a status or level", () => {
    // Object keys cannot repeat, so uniqueness is checked on the numeric part, the only thing
    // two spellings of one code could share.
    const numbers = codes.map((c) => Number(c.slice(6)))
    expect(new Set(numbers).size).toBe(codes.length)
    for (const code of codes) {
      expect(code).toMatch(/^YAVIO-\d{4}$/)
      const n = Number(code.slice(6))
      expect(
        families.some(([, lo, hi]) => n >= lo && n <= hi),
        `${code} outside every family`,
      ).toBe(true)
      const { status, message } = ErrorCatalog[code]
      expect(message.length, `${code} message`).toBeGreaterThan(0)
      if (typeof status === "number")
        expect(status >= 400 && status < 600, `${code} status ${status}`).toBe(true)
      else expect(levels.has(status), `${code} level ${status}`).toBe(true)
    }
  })

  it("has a catch-all x999 for every service family", () => {
    for (const code of ["YAVIO-2999", "YAVIO-3999", "YAVIO-6999", "YAVIO-7999"] as const) {
      expect(ErrorCatalog[code]).toBeDefined()
    }
  })

  it("includes the codes we added (2113 timestamp window, 2056 monthly quota)", () => {
    expect(ErrorCatalog["YAVIO-2113"].status).toBe(400)
    expect(ErrorCatalog["YAVIO-2056"].status).toBe(429)
  })

  it("gives every HTTP-returned code of the services a tagged error class, tags and codes unique", () => {
    const tags = classes.map((c) => new c({})._tag)
    expect(new Set(tags).size).toBe(tags.length)
    const classCodes = classes.map((c) => c.code)
    expect(new Set(classCodes).size).toBe(classCodes.length)
    const httpCodes = codes.filter((c) => typeof ErrorCatalog[c].status === "number")
    for (const code of httpCodes) expect(classCodes, `${code} has no class`).toContain(code)
  })
})

describe("YavioError", () => {
  it("carries code, status and the catalog message, with a safe detail appended", () => {
    const error = new Ingest.EventNameExceedsMaxLength({ detail: "event_name has 300 characters (max 256)" })
    expect(error._tag).toBe("EventNameExceedsMaxLength")
    expect(error.code).toBe("YAVIO-2104")
    expect(error.status).toBe(400)
    expect(error.message).toBe("event_name exceeds max length: event_name has 300 characters (max 256)")
    expect(error).toBeInstanceOf(Error)
    expect(isYavioFailure(error)).toBe(true)
    expect(isYavioFailure(new Error("plain"))).toBe(false)
  })

  it("renders the HTTP error body of error-codes.md, never the internal cause", () => {
    const error = new Ingest.InvalidApiKey({ cause: new Error("SELECT … FROM api_keys") })
    expect(renderErrorBody(error, "req_1")).toEqual({
      error: { code: "YAVIO-2001", message: "Invalid API key", status: 401, requestId: "req_1" },
    })
    // A logged-only code that reaches an edge is rendered as a 500 under its own code.
    expect(renderErrorBody(new Storage.ClickhouseInsertFailed({}), "req_2").error.status).toBe(500)
  })

  it("is a typed failure in Effect, caught by tag", async () => {
    const program = Effect.fail(new Ingest.ApiKeyRevoked({})).pipe(
      Effect.catchTag("ApiKeyRevoked", (e) => Effect.succeed(e.code)),
    )
    expect(await Effect.runPromise(program)).toBe("YAVIO-2003")
    const exit = await Effect.runPromiseExit(
      Effect.fail(new Storage.PostgresMigrationFailed({ detail: "v3" })),
    )
    expect(Exit.isFailure(exit)).toBe(true)
  })
})
