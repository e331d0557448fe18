import { closeSync, openSync, readFileSync, rmSync, writeSync } from "node:fs"
import { Effect, type Scope } from "effect"

const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === "EPERM"
  }
}

const take = (lockPath: string): string | undefined => {
  // Two rounds: the second follows removing a lock whose process is gone (a crash).
  for (let round = 0; round < 2; round++) {
    try {
      const fd = openSync(lockPath, "wx")
      writeSync(fd, String(process.pid))
      closeSync(fd)
      return undefined
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") return String(error)
      const holder = Number.parseInt(readFileSync(lockPath, "utf8"), 10)
      // Our own pid counts as a holder: a second engine on the same files in this process
      // corrupts them just as surely as another process would.
      if (Number.isSafeInteger(holder) && holder > 0 && isAlive(holder)) {
        return `in use by process ${holder} (if it is not running, delete ${lockPath})`
      }
      rmSync(lockPath, { force: true })
    }
  }
  return `could not create ${lockPath}`
}

/**
 * An exclusive pid-file lock for an embedded engine's directory, held for the scope. PGlite,
 * unlike chDB and a PostgreSQL server, does not lock its data directory: without this, two
 * `yavio` processes on one YAVIO_DATA_DIR would both write the same files. Fails with the
 * reason when the directory is taken.
 */
export const lockDataDir = (lockPath: string): Effect.Effect<void, string, Scope.Scope> =>
  Effect.acquireRelease(
    Effect.suspend(() => {
      const problem = take(lockPath)
      return problem === undefined ? Effect.void : Effect.fail(problem)
    }),
    () => Effect.sync(() => rmSync(lockPath, { force: true })),
  )
