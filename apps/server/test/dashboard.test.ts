/**
 * `npm start` serves the dashboard's HTTP surface beside ingest (dashboard.md §0.3): on a fresh
 * embedded install the local admin of `local.json` logs in at once (CSRF token, Origin check,
 * httpOnly session cookie) and the session is accepted by the RPC endpoint's middleware.
 */
import { type ChildProcess, spawn } from "node:child_process"
import { mkdtempSync, readFileSync, rmSync } from "node:fs"
import { createServer } from "node:net"
import { tmpdir } from "node:os"
import { join, resolve } from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"

const root = resolve(import.meta.dirname, "../../..")
const dataDir = mkdtempSync(join(tmpdir(), "yavio-dashboard-"))

const freePort = (): Promise<number> =>
  new Promise((done, fail) => {
    const server = createServer()
    server.once("error", fail)
    server.listen(0, "127.0.0.1", () => {
      const address = server.address()
      const port = typeof address === "object" && address !== null ? address.port : 0
      server.close(() => done(port))
    })
  })

let child: ChildProcess | undefined
let output = ""
let base = ""

beforeAll(async () => {
  const [ingestPort, dashboardPort] = [await freePort(), await freePort()]
  base = `http://127.0.0.1:${dashboardPort}`
  child = spawn(process.execPath, ["--import", "tsx", "apps/server/src/main.ts"], {
    cwd: root,
    env: {
      ...process.env,
      YAVIO_DATA_DIR: dataDir,
      DATABASE_URL: "",
      CLICKHOUSE_URL: "",
      YAVIO_INGEST_PORT: String(ingestPort),
      YAVIO_DASHBOARD_PORT: String(dashboardPort),
    },
    stdio: ["ignore", "pipe", "pipe"],
  })
  child.stdout?.setEncoding("utf8").on("data", (chunk: string) => {
    output += chunk
  })
  child.stderr?.setEncoding("utf8").on("data", (chunk: string) => {
    output += chunk
  })
  await new Promise<void>((done, fail) => {
    const check = () => {
      if (output.includes("dashboard listening") && output.includes("ingest listening")) done()
      else if (child?.exitCode !== null) fail(new Error(`npm start exited:\n${output}`))
      else setTimeout(check, 50)
    }
    check()
  })
}, 120_000)

afterAll(async () => {
  if (child !== undefined && child.exitCode === null) {
    const exited = new Promise((done) => child?.once("exit", done))
    child.kill("SIGTERM")
    await exited
  }
  rmSync(dataDir, { recursive: true, force: true })
}, 60_000)

describe("npm start: the dashboard API [pglite + chdb]", () => {
  it("announces both ports, and the printed local admin logs in at once", async () => {
    expect(output).toContain(`yavio: dashboard listening on ${base}`)
    const local = JSON.parse(readFileSync(join(dataDir, "local.json"), "utf8")) as {
      email: string
      password: string
      dashboardUrl: string
    }
    expect(local.dashboardUrl).toBe(base)

    const csrf = await fetch(`${base}/api/auth/csrf`)
    const { token } = (await csrf.json()) as { token: string }
    const csrfCookie = (csrf.headers.get("set-cookie") ?? "").split(";")[0] ?? ""
    const headers = {
      origin: base,
      "content-type": "application/json",
      "x-csrf-token": token,
      cookie: csrfCookie,
    }

    const wrong = await fetch(`${base}/api/auth/login`, {
      method: "POST",
      headers,
      body: JSON.stringify({ email: local.email, password: `${local.password}x` }),
    })
    expect(wrong.status).toBe(401)
    expect(((await wrong.json()) as { error: { code: string } }).error.code).toMatch(/^YAVIO-30\d\d$/)

    const login = await fetch(`${base}/api/auth/login`, {
      method: "POST",
      headers,
      body: JSON.stringify({ email: local.email, password: local.password }),
    })
    expect(login.status).toBe(200)
    const session = login.headers.get("set-cookie") ?? ""
    expect(session).toMatch(/^yavio_session=[\w-]{20,};/)
    expect(session).toContain("HttpOnly")
    expect(session).toContain("SameSite=Lax")

    const foreign = await fetch(`${base}/api/auth/login`, {
      method: "POST",
      headers: { ...headers, origin: "https://evil.example" },
      body: JSON.stringify({ email: local.email, password: local.password }),
    })
    expect(foreign.status).toBe(403)
  })
})
