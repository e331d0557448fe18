import { spawn } from "node:child_process"
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { Effect, Exit, Scope } from "effect"
import { afterAll, describe, expect, it } from "vitest"
import { lockDataDir } from "../src/DataDirLock.js"

const dir = mkdtempSync(join(tmpdir(), "yavio-lock-"))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const acquire = (path: string) =>
  Effect.gen(function* () {
    const scope = yield* Scope.make()
    const exit = yield* Effect.exit(Scope.extend(lockDataDir(path), scope))
    return { exit, release: Scope.close(scope, Exit.void) }
  }).pipe(Effect.runPromise)

describe("data directory lock", () => {
  it("is exclusive within a process and released with its scope", async () => {
    const path = join(dir, "a.lock")
    const first = await acquire(path)
    expect(Exit.isSuccess(first.exit)).toBe(true)
    const second = await acquire(path)
    expect(Exit.isFailure(second.exit)).toBe(true)
    await Effect.runPromise(first.release)
    expect(existsSync(path)).toBe(false)
    const third = await acquire(path)
    expect(Exit.isSuccess(third.exit)).toBe(true)
    await Effect.runPromise(third.release)
  })

  it("refuses a directory held by another running process", async () => {
    const path = join(dir, "b.lock")
    const child = spawn(process.execPath, ["-e", "setTimeout(() => {}, 30000)"], { stdio: "ignore" })
    try {
      writeFileSync(path, String(child.pid))
      const taken = await acquire(path)
      expect(Exit.isFailure(taken.exit)).toBe(true)
      expect(readFileSync(path, "utf8")).toBe(String(child.pid))
    } finally {
      child.kill("SIGKILL")
    }
  })

  it("takes over the lock of a killed process, even one that had our pid", async () => {
    for (const stale of ["999999999", `${process.pid}:1`, `${process.pid}`]) {
      const path = join(dir, "c.lock")
      writeFileSync(path, stale)
      const taken = await acquire(path)
      expect(Exit.isSuccess(taken.exit), `stale holder ${stale}`).toBe(true)
      expect(readFileSync(path, "utf8").split(":")[0]).toBe(String(process.pid))
      await Effect.runPromise(taken.release)
    }
  })
})
