import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { ConfigProvider, Effect, Either } from "effect"
import { afterAll, describe, expect, it } from "vitest"
import { loadSecrets } from "../src/Secrets.js"

const dirs: Array<string> = []
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true })
})
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), "yavio-secrets-"))
  dirs.push(dir)
  return dir
}

/** loadSecrets with exactly these variables, never the process environment. */
const load = (mode: "embedded" | "server", dataDir: string, env: Record<string, string> = {}) =>
  Effect.runPromise(
    Effect.either(loadSecrets(mode, dataDir)).pipe(
      Effect.withConfigProvider(ConfigProvider.fromMap(new Map(Object.entries(env)))),
    ),
  )

describe("platform secrets: ENCRYPTION_KEY", () => {
  it("embedded mode generates a 32-byte key once, keeps it in secrets.json (0600) and reuses it", async () => {
    const dir = tempDir()
    const first = Either.getOrThrow(await load("embedded", dir))
    expect(Buffer.from(first.encryptionKey!, "base64")).toHaveLength(32)
    const file = join(dir, "secrets.json")
    expect(JSON.parse(readFileSync(file, "utf8")).encryptionKey).toBe(first.encryptionKey)
    expect(statSync(file).mode & 0o777).toBe(0o600)
    const again = Either.getOrThrow(
      await load("embedded", dir, { GITHUB_CLIENT_ID: "id", GITHUB_CLIENT_SECRET: "s" }),
    )
    expect(again.encryptionKey).toBe(first.encryptionKey)
  })

  it("server mode needs it only once a provider is configured (YAVIO-7200 naming it), and refuses a malformed one", async () => {
    const base = { JWT_SECRET: "j", API_KEY_HASH_SECRET: "a" }
    const without = Either.getOrThrow(await load("server", tempDir(), base))
    expect(without.encryptionKey).toBeUndefined()
    const missing = await load("server", tempDir(), {
      ...base,
      GOOGLE_CLIENT_ID: "id",
      GOOGLE_CLIENT_SECRET: "s",
    })
    expect(
      Either.isLeft(missing) && [missing.left.code, missing.left.detail?.startsWith("ENCRYPTION_KEY")],
    ).toEqual(["YAVIO-7200", true])
    const short = await load("server", tempDir(), {
      ...base,
      GOOGLE_CLIENT_ID: "id",
      GOOGLE_CLIENT_SECRET: "s",
      ENCRYPTION_KEY: "too-short",
    })
    expect(Either.isLeft(short) && short.left.code).toBe("YAVIO-7201")
    const hex = "0f".repeat(32)
    const ok = await load("server", tempDir(), {
      ...base,
      GOOGLE_CLIENT_ID: "id",
      GOOGLE_CLIENT_SECRET: "s",
      ENCRYPTION_KEY: hex,
    })
    expect(Either.getOrThrow(ok).encryptionKey).toBe(hex)
  })
})
