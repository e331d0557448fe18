import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterEach, beforeEach, describe, expect, it } from "vitest"
import { DEFAULT_ENDPOINT, normalizeEndpoint, resolveConfig } from "../src/core/config.js"
import { createLogger } from "../src/core/logger.js"

// sdk.md §2.2: code > env > nearest .yaviorc.json; endpoint from the key's source, else the
// next source that has one, else the default; validation and normalisation.

const KEY_CODE = "yav_fromCode0000000000000000000000000"
const KEY_ENV = "yav_fromEnv00000000000000000000000000"
const KEY_FILE = "yav_fromFile0000000000000000000000000"

let root: string
let nested: string
let lines: string[]
const logger = () => createLogger({ sink: (_level, line) => lines.push(line) })

beforeEach(() => {
  root = realpathSync(mkdtempSync(join(tmpdir(), "yavio-config-")))
  nested = join(root, "a", "b", "c")
  mkdirSync(nested, { recursive: true })
  lines = []
})
afterEach(() => {
  rmSync(root, { recursive: true, force: true })
})

const writeRc = (dir: string, content: unknown) =>
  writeFileSync(join(dir, ".yaviorc.json"), typeof content === "string" ? content : JSON.stringify(content))

const resolve = (
  options: { apiKey?: string; endpoint?: string } = {},
  env: Record<string, string | undefined> = {},
  cwd = nested,
) => resolveConfig(options, logger(), { env, cwd })

const codes = () => lines.map((line) => /YAVIO-\d{4}/.exec(line)?.[0])

describe("sources and precedence", () => {
  it("options win over env and file; the file is not even read", () => {
    writeRc(root, { version: 1, apiKey: KEY_FILE, endpoint: "http://file.test" })
    expect(
      resolve(
        { apiKey: KEY_CODE, endpoint: "http://code.test" },
        { YAVIO_API_KEY: KEY_ENV, YAVIO_ENDPOINT: "http://env.test" },
      ),
    ).toEqual({ apiKey: KEY_CODE, baseUrl: "http://code.test" })
    expect(lines).toEqual([])
  })

  it("env wins over the file", () => {
    writeRc(root, { version: 1, apiKey: KEY_FILE, endpoint: "http://file.test" })
    expect(resolve({}, { YAVIO_API_KEY: KEY_ENV, YAVIO_ENDPOINT: "http://env.test" })).toEqual({
      apiKey: KEY_ENV,
      baseUrl: "http://env.test",
    })
    expect(lines).toEqual([])
  })

  it("the nearest .yaviorc.json walking up from a nested cwd, logged as YAVIO-1003", () => {
    writeRc(root, { version: 1, apiKey: "yav_farther", endpoint: "http://far.test" })
    writeRc(join(root, "a"), { version: 1, apiKey: KEY_FILE, endpoint: "http://near.test/v1/events" })
    expect(resolve()).toEqual({ apiKey: KEY_FILE, baseUrl: "http://near.test" })
    expect(lines).toEqual([
      `[yavio] YAVIO-1003 info: Configuration loaded from .yaviorc.json: ${join(root, "a", ".yaviorc.json")}`,
    ])
  })

  it("a file in cwd itself is found", () => {
    writeRc(nested, { version: 1, apiKey: KEY_FILE })
    expect(resolve()).toEqual({ apiKey: KEY_FILE, baseUrl: DEFAULT_ENDPOINT })
  })

  it("unknown keys in the file are ignored", () => {
    writeRc(root, { version: 1, apiKey: KEY_FILE, telemetry: false, instanceId: "x", future: { a: 1 } })
    expect(resolve()).toEqual({ apiKey: KEY_FILE, baseUrl: DEFAULT_ENDPOINT })
    expect(codes()).toEqual(["YAVIO-1003"])
  })

  it("blank values count as absent", () => {
    expect(resolve({ apiKey: "  " }, { YAVIO_API_KEY: "", YAVIO_ENDPOINT: " " })).toBeUndefined()
    expect(codes()).toEqual(["YAVIO-1000"])
  })

  it("defaults to process.env and process.cwd()", () => {
    const saved = process.env.YAVIO_API_KEY
    process.env.YAVIO_API_KEY = KEY_ENV
    try {
      expect(resolveConfig({}, logger())).toMatchObject({ apiKey: KEY_ENV })
    } finally {
      if (saved === undefined) delete process.env.YAVIO_API_KEY
      else process.env.YAVIO_API_KEY = saved
    }
  })
})

describe("endpoint falls through", () => {
  it("key in code, endpoint from env", () => {
    expect(resolve({ apiKey: KEY_CODE }, { YAVIO_ENDPOINT: "http://env.test" })).toEqual({
      apiKey: KEY_CODE,
      baseUrl: "http://env.test",
    })
  })

  it("key in code, endpoint from the file (YAVIO-1003)", () => {
    writeRc(root, { version: 1, apiKey: KEY_FILE, endpoint: "https://file.test/" })
    expect(resolve({ apiKey: KEY_CODE })).toEqual({ apiKey: KEY_CODE, baseUrl: "https://file.test" })
    expect(codes()).toEqual(["YAVIO-1003"])
  })

  it("key in the file without an endpoint, endpoint from code or env", () => {
    writeRc(root, { version: 1, apiKey: KEY_FILE })
    expect(resolve({ endpoint: "http://code.test" }, { YAVIO_ENDPOINT: "http://env.test" })).toEqual({
      apiKey: KEY_FILE,
      baseUrl: "http://code.test",
    })
    expect(resolve({}, { YAVIO_ENDPOINT: "http://env.test" })).toEqual({
      apiKey: KEY_FILE,
      baseUrl: "http://env.test",
    })
  })

  it("the key's own source wins for the endpoint", () => {
    writeRc(root, { version: 1, apiKey: KEY_FILE, endpoint: "http://file.test" })
    expect(resolve({}, { YAVIO_ENDPOINT: "http://env.test" })).toEqual({
      apiKey: KEY_FILE,
      baseUrl: "http://file.test",
    })
  })

  it("no endpoint anywhere → the hosted default", () => {
    expect(resolve({}, { YAVIO_API_KEY: KEY_ENV })).toEqual({
      apiKey: KEY_ENV,
      baseUrl: "https://ingest.yavio.ai",
    })
  })
})

describe("problems → logged, undefined (pass-through)", () => {
  it("no key anywhere → YAVIO-1000 once", () => {
    const shared = createLogger({ sink: (_level, line) => lines.push(line) })
    expect(resolveConfig({}, shared, { env: {}, cwd: nested })).toBeUndefined()
    expect(resolveConfig({}, shared, { env: {}, cwd: nested })).toBeUndefined()
    expect(lines).toEqual([
      "[yavio] YAVIO-1000 warn: No API key found: analytics are off; the server runs unchanged — fix: Pass `apiKey` to withYavio(), set YAVIO_API_KEY, or run `yavio init`.",
    ])
  })

  it("a key not starting with yav_ → YAVIO-1001, and the key is not logged", () => {
    expect(resolve({ apiKey: "sk_live_secret123" })).toBeUndefined()
    expect(codes()).toEqual(["YAVIO-1001"])
    expect(lines[0]).toContain("from options")
    expect(lines.join("\n")).not.toContain("secret123")
    expect(resolve({ apiKey: "yav_with spaces" })).toBeUndefined()
    expect(resolve({ apiKey: "yav_" })).toBeUndefined()
  })

  it("an invalid key does not fall through to the next source", () => {
    expect(resolve({}, { YAVIO_API_KEY: "nope" }, nested)).toBeUndefined()
    writeRc(root, { version: 1, apiKey: KEY_FILE })
    expect(resolve({ apiKey: "nope" })).toBeUndefined()
    expect(codes()).toEqual(["YAVIO-1001", "YAVIO-1001"])
  })

  it.each([
    "ftp://ingest.test",
    "not a url",
    "ingest.yavio.ai",
    "http://ingest.test/?x=1",
    "https://user:pw@ingest.test",
  ])("endpoint %j → YAVIO-1002", (endpoint) => {
    expect(resolve({ apiKey: KEY_CODE, endpoint })).toBeUndefined()
    expect(codes()).toEqual(["YAVIO-1002"])
    expect(lines[0]).not.toContain("pw@")
  })

  it.each([
    ["not JSON", "{ version: 1,"],
    ["an array", "[]"],
    ["no version", { apiKey: KEY_FILE }],
    ["a non-integer version", { version: "1", apiKey: KEY_FILE }],
    ["no apiKey", { version: 1, endpoint: "http://file.test" }],
    ["an apiKey that is not a string", { version: 1, apiKey: 42 }],
    ["an endpoint that is not a string", { version: 1, apiKey: KEY_FILE, endpoint: ["x"] }],
  ])("a malformed file (%s) → YAVIO-1004, then no key → YAVIO-1000", (_what, content) => {
    writeRc(root, content)
    expect(resolve()).toBeUndefined()
    expect(codes()).toEqual(["YAVIO-1004", "YAVIO-1000"])
    expect(lines[0]).toContain(join(root, ".yaviorc.json"))
  })

  it("a malformed file does not hide a key from env", () => {
    writeRc(root, "garbage")
    expect(resolve({}, { YAVIO_API_KEY: KEY_ENV })).toEqual({ apiKey: KEY_ENV, baseUrl: DEFAULT_ENDPOINT })
    expect(codes()).toEqual(["YAVIO-1004"])
  })

  it("a newer file version → YAVIO-1005", () => {
    writeRc(root, { version: 2, apiKey: KEY_FILE, endpoint: "http://file.test" })
    expect(resolve()).toBeUndefined()
    expect(codes()).toEqual(["YAVIO-1005", "YAVIO-1000"])
    expect(lines[0]).toContain("has version 2; this SDK reads version 1")
  })

  it("the nearest file decides, even when malformed (no fallback to a farther one)", () => {
    writeRc(root, { version: 1, apiKey: KEY_FILE })
    writeRc(join(root, "a", "b"), "{")
    expect(resolve()).toBeUndefined()
    expect(codes()).toEqual(["YAVIO-1004", "YAVIO-1000"])
  })
})

describe("normalizeEndpoint", () => {
  it.each([
    ["https://ingest.yavio.ai", "https://ingest.yavio.ai"],
    ["https://ingest.yavio.ai/", "https://ingest.yavio.ai"],
    ["https://ingest.yavio.ai/v1/events", "https://ingest.yavio.ai"],
    ["https://ingest.yavio.ai/v1/events/", "https://ingest.yavio.ai"],
    ["http://localhost:3001", "http://localhost:3001"],
    ["http://localhost:3001/v1/events", "http://localhost:3001"],
    ["https://example.com/yavio/v1/events", "https://example.com/yavio"],
    ["https://example.com/yavio//", "https://example.com/yavio"],
    ["HTTPS://Example.COM:443/x", "https://example.com/x"],
  ])("%s → %s", (input, base) => {
    expect(normalizeEndpoint(input)).toBe(base)
  })

  it("rejects what is not an absolute http(s) URL", () => {
    for (const bad of ["", "/v1/events", "ws://x", "file:///tmp", "http://x/#frag"]) {
      expect(normalizeEndpoint(bad)).toBeUndefined()
    }
  })
})
