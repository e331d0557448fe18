import { spawnSync } from "node:child_process"
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join, resolve } from "node:path"
import { afterAll, describe, expect, it } from "vitest"

const root = resolve(import.meta.dirname, "../../..")
const dataDir = mkdtempSync(join(tmpdir(), "yavio-start-"))
afterAll(() => rmSync(dataDir, { recursive: true, force: true }))

// What `npm start` runs, minus npm itself (whose banner adds nothing to assert on).
const start = (env: Record<string, string> = {}) =>
  spawnSync(process.execPath, ["--import", "tsx", "apps/server/src/main.ts"], {
    cwd: root,
    env: {
      ...process.env,
      YAVIO_DATA_DIR: dataDir,
      DATABASE_URL: "",
      CLICKHOUSE_URL: "",
      // Migrate and stop: serving is covered by the ingest tests.
      YAVIO_MIGRATE_ONLY: "true",
      ...env,
    },
    encoding: "utf8",
    timeout: 120_000,
  })

describe("npm start [pglite + chdb]", () => {
  it("migrates empty embedded stores, says where the data lives, and applies nothing the second time", () => {
    const first = start()
    expect(first.stderr).toBe("")
    expect(first.status).toBe(0)
    expect(first.stdout).toContain(`postgres   embedded, data in ${join(dataDir, "postgres")}`)
    expect(first.stdout).toContain(`clickhouse embedded, data in ${join(dataDir, "clickhouse")}`)
    expect(first.stdout).toMatch(/postgres \(embedded\): applied 0001_accounts/)
    expect(first.stdout).toMatch(/clickhouse \(embedded\): applied 0001_events/)

    const second = start()
    expect(second.status).toBe(0)
    expect(second.stdout).toMatch(/postgres \(embedded\): none applied/)
    expect(second.stdout).toMatch(/clickhouse \(embedded\): none applied/)
  }, 180_000)

  it("refuses a bad setting with its YAVIO code and a fix, exit code 1", () => {
    const run = start({ YAVIO_RETENTION_DAYS: "forever" })
    expect(run.status).toBe(1)
    expect(run.stderr).toContain("YAVIO-7201 Invalid environment variable: YAVIO_RETENTION_DAYS")
    expect(run.stderr).toContain("fix:")
  })

  it("in server mode refuses to start without its secrets, naming them, before touching a store", () => {
    const run = start({
      CLICKHOUSE_URL: "http://127.0.0.1:9",
      YAVIO_MIGRATE_ONLY: "false",
      JWT_SECRET: "",
      API_KEY_HASH_SECRET: "",
    })
    expect(run.status).toBe(1)
    expect(run.stderr).toContain(
      "YAVIO-7200 Required environment variable missing: JWT_SECRET and API_KEY_HASH_SECRET",
    )
    expect(run.stderr).not.toContain("YAVIO-5000")
  })
})
