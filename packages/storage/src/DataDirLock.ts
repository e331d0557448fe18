import { closeSync, openSync, readFileSync, rmSync, writeSync } from "node:fs"
import { resolve } from "node:path"
import { Effect, type Scope } from "effect"

/** Locks this process holds: a second engine on the same files in one process is refused too. */
const held = new Set<string>()

/**
 * When a process started, in clock ticks since boot (Linux `/proc/<pid>/stat`, field 22), or
 * undefined elsewhere. With the pid it names a process uniquely: in a container the server is
 * often pid 1 on every start, so a pid alone cannot tell a killed holder from ourselves.
 */
const startTimeOf = (pid: number): string | undefined => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8")
    // The command name (field 2) may contain spaces and parentheses: count from its end.
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19]
  } catch {
    return undefined
  }
}

const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === "EPERM"
  }
}

/** Whether the process recorded in a lock file still runs. */
const holderRuns = (content: string): boolean => {
  const [pidText, startTime] = content.trim().split(":")
  const pid = Number.parseInt(pidText ?? "", 10)
  if (!Number.isSafeInteger(pid) || pid <= 0) return false
  // Our own pid without our own lock: a previous process that had the same pid (container
  // restart after a crash).
  if (pid === process.pid) return false
  if (!isAlive(pid)) return false
  const current = startTimeOf(pid)
  return startTime === undefined || current === undefined || current === startTime
}

const take = (lockPath: string): string | undefined => {
  if (held.has(lockPath)) return `in use by process ${process.pid} (this process)`
  // Two rounds: the second follows removing a lock whose process is gone (a crash).
  for (let round = 0; round < 2; round++) {
    try {
      const fd = openSync(lockPath, "wx")
      const startTime = startTimeOf(process.pid)
      writeSync(fd, startTime === undefined ? String(process.pid) : `${process.pid}:${startTime}`)
      closeSync(fd)
      held.add(lockPath)
      return undefined
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") return String(error)
      const content = readFileSync(lockPath, "utf8")
      if (holderRuns(content)) {
        return `in use by process ${content.split(":")[0]} (if it is not running, delete ${lockPath})`
      }
      rmSync(lockPath, { force: true })
    }
  }
  return `could not create ${lockPath}`
}

/**
 * An exclusive lock file for an embedded engine's directory, held for the scope. PGlite,
 * unlike chDB and a PostgreSQL server, does not lock its data directory: without this, two
 * `yavio` processes on one YAVIO_DATA_DIR would both write the same files. The file names
 * the holder by pid and start time, so the lock of a killed process is taken over even when
 * the new process got the same pid. Fails with the reason when the directory is taken.
 */
export const lockDataDir = (lockPath: string): Effect.Effect<void, string, Scope.Scope> => {
  const path = resolve(lockPath)
  return Effect.acquireRelease(
    Effect.suspend(() => {
      const problem = take(path)
      return problem === undefined ? Effect.void : Effect.fail(problem)
    }),
    () =>
      Effect.sync(() => {
        held.delete(path)
        rmSync(path, { force: true })
      }),
  )
}
