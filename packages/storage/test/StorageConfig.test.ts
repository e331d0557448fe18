import { resolve } from "node:path"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Redacted } from "effect"
import { readStorageConfig } from "./support/config.js"

describe("StorageConfig", () => {
  it.effect("defaults to embedded engines under ./.yavio with 90 days of retention", () =>
    Effect.gen(function* () {
      const config = yield* readStorageConfig({})
      const dataDir = resolve(".yavio")
      expect(config).toEqual({
        dataDir,
        postgres: { mode: "embedded", dataDir: resolve(dataDir, "postgres") },
        clickhouse: { mode: "embedded", dataDir: resolve(dataDir, "clickhouse"), database: "yavio" },
        retentionDays: 90,
      })
    }),
  )

  it.effect("resolves YAVIO_DATA_DIR to an absolute path", () =>
    Effect.gen(function* () {
      const config = yield* readStorageConfig({ YAVIO_DATA_DIR: "data/here" })
      expect(config.dataDir).toBe(resolve("data/here"))
      expect(config.postgres).toEqual({ mode: "embedded", dataDir: resolve("data/here/postgres") })
    }),
  )

  it.effect("uses the servers when their URLs are set, keeping secrets redacted", () =>
    Effect.gen(function* () {
      const config = yield* readStorageConfig({
        DATABASE_URL: "postgres://app:s3cret@db:5432/yavio",
        CLICKHOUSE_URL: "http://clickhouse:8123",
        CLICKHOUSE_PASSWORD: "ch-s3cret",
        CLICKHOUSE_DATABASE: "analytics",
        YAVIO_RETENTION_DAYS: "365",
      })
      expect(config.postgres.mode).toBe("server")
      expect(config.clickhouse).toMatchObject({
        mode: "server",
        url: "http://clickhouse:8123",
        user: "default",
        database: "analytics",
      })
      expect(config.retentionDays).toBe(365)
      if (config.postgres.mode !== "server" || config.clickhouse.mode !== "server")
        throw new Error("unreachable")
      expect(Redacted.value(config.postgres.url)).toBe("postgres://app:s3cret@db:5432/yavio")
      expect(Redacted.value(config.clickhouse.password)).toBe("ch-s3cret")
      expect(JSON.stringify(config)).not.toMatch(/s3cret/)
    }),
  )

  it.effect("treats empty variables as unset", () =>
    Effect.gen(function* () {
      const config = yield* readStorageConfig({
        DATABASE_URL: "",
        CLICKHOUSE_URL: " ",
        YAVIO_RETENTION_DAYS: "",
      })
      expect(config.postgres.mode).toBe("embedded")
      expect(config.clickhouse.mode).toBe("embedded")
      expect(config.retentionDays).toBe(90)
    }),
  )

  const invalid: ReadonlyArray<readonly [string, Record<string, string>]> = [
    ["YAVIO_RETENTION_DAYS", { YAVIO_RETENTION_DAYS: "0" }],
    ["YAVIO_RETENTION_DAYS", { YAVIO_RETENTION_DAYS: "-3" }],
    ["YAVIO_RETENTION_DAYS", { YAVIO_RETENTION_DAYS: "1.5" }],
    ["YAVIO_RETENTION_DAYS", { YAVIO_RETENTION_DAYS: "ninety" }],
    ["DATABASE_URL", { DATABASE_URL: "mysql://db/yavio" }],
    ["DATABASE_URL", { DATABASE_URL: "not a url" }],
    ["CLICKHOUSE_URL", { CLICKHOUSE_URL: "tcp://clickhouse:9000" }],
    ["CLICKHOUSE_URL", { CLICKHOUSE_URL: "http://user:pw@clickhouse:8123" }],
    ["CLICKHOUSE_DATABASE", { CLICKHOUSE_DATABASE: "yavio; DROP DATABASE x" }],
  ]
  for (const [name, env] of invalid) {
    it.effect(`rejects ${name}=${Object.values(env)[0]} with YAVIO-7201`, () =>
      Effect.gen(function* () {
        const error = yield* Effect.flip(readStorageConfig(env))
        expect(error._tag).toBe("InvalidEnv")
        expect(error.code).toBe("YAVIO-7201")
        expect(error.message).toContain(name)
        expect(error.message).not.toContain("pw@")
      }),
    )
  }
})
