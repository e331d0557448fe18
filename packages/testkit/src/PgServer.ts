import { execFile } from "node:child_process"
import { chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from "node:fs"
import { createServer } from "node:net"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { promisify } from "node:util"
import * as Reactivity from "@effect/experimental/Reactivity"
import * as PgClient from "@effect/sql-pg/PgClient"
import { Context, Effect, Layer, Redacted, type Scope } from "effect"

const run = promisify(execFile)

/** A PostgreSQL server for tests, and a throwaway database on it that is dropped afterwards. */
export interface PgServerInfo {
  /** URL of a database created for this test file. */
  readonly url: Redacted.Redacted<string>
  /** e.g. "postgresql-server 15.14": goes into test names so a log shows the backend. */
  readonly label: string
  /**
   * Stops the server at once (`pg_ctl stop -m immediate`: no shutdown checkpoint, clients cut
   * off, as in a crash). Only for a cluster the layer started itself: dies on `DATABASE_URL`.
   */
  readonly stop: Effect.Effect<void>
  /** Starts the stopped server again on the same data and port; waits until it accepts connections. */
  readonly start: Effect.Effect<void>
}

const binariesDir = (): string | undefined => {
  const root = "/usr/lib/postgresql"
  if (!existsSync(root)) return undefined
  const versions = readdirSync(root)
    .filter((v) => existsSync(join(root, v, "bin", "initdb")) && existsSync(join(root, v, "bin", "pg_ctl")))
    .sort((a, b) => Number(b) - Number(a))
  return versions[0] === undefined ? undefined : join(root, versions[0], "bin")
}

/**
 * The label known before any server starts, for test names: `DATABASE_URL` wins, else the
 * newest local installation. Undefined when neither exists (the layer then fails).
 */
export const pgServerLabel = (): string => {
  if (process.env.DATABASE_URL) return "postgresql-server DATABASE_URL"
  const bin = binariesDir()
  return bin === undefined ? "postgresql-server missing" : `postgresql-server ${bin.split("/").at(-2)}`
}

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const server = createServer()
    server.once("error", reject)
    server.listen(0, "127.0.0.1", () => {
      const address = server.address()
      const port = typeof address === "object" && address !== null ? address.port : 0
      server.close(() => resolve(port))
    })
  })

const isRoot = () => process.getuid?.() === 0

// PostgreSQL refuses to run as root: as root, the cluster belongs to `postgres` and every
// binary runs through runuser.
const asOwner = (bin: string, args: ReadonlyArray<string>) =>
  isRoot() ? run("runuser", ["-u", "postgres", "--", bin, ...args]) : run(bin, [...args])

const postgresUid = async (): Promise<{ uid: number; gid: number }> => {
  const { stdout: uid } = await run("id", ["-u", "postgres"])
  const { stdout: gid } = await run("id", ["-g", "postgres"])
  return { uid: Number(uid.trim()), gid: Number(gid.trim()) }
}

interface Cluster {
  readonly adminUrl: string
  /** For the log line: where the server came from. */
  readonly where: string
  readonly stop: Effect.Effect<void>
  readonly start: Effect.Effect<void>
}

/** initdb + pg_ctl start on a temp dir and a free port; stop and delete on release. */
const localCluster = Effect.gen(function* () {
  const bin = binariesDir()
  if (bin === undefined) {
    return yield* Effect.dieMessage(
      "The storage tests need a PostgreSQL server: set DATABASE_URL, or install PostgreSQL 15+ " +
        "(initdb and pg_ctl under /usr/lib/postgresql/<version>/bin, e.g. `apt-get install postgresql`).",
    )
  }
  const base = yield* Effect.acquireRelease(
    Effect.sync(() => mkdtempSync(join(tmpdir(), "yavio-pg-"))),
    (dir) => Effect.sync(() => rmSync(dir, { recursive: true, force: true })),
  )
  const data = join(base, "data")
  const sockets = join(base, "sockets")
  const log = join(base, "server.log")
  yield* Effect.promise(async () => {
    mkdirSync(sockets)
    if (isRoot()) {
      const { uid, gid } = await postgresUid()
      chownSync(base, uid, gid)
      chownSync(sockets, uid, gid)
    }
    await asOwner(join(bin, "initdb"), [
      "-D",
      data,
      "-U",
      "postgres",
      "--auth=trust",
      "-E",
      "UTF8",
      "--no-sync",
    ])
  })
  const port = yield* Effect.promise(freePort)
  const options = `-p ${port} -k ${sockets} -c listen_addresses=127.0.0.1 -c fsync=off`
  const start = Effect.tryPromise(() =>
    asOwner(join(bin, "pg_ctl"), ["-D", data, "-o", options, "-l", log, "-w", "start"]),
  ).pipe(
    Effect.asVoid,
    Effect.orDieWith((cause) => new Error(`pg_ctl start failed (log: ${log})`, { cause })),
  )
  const stop = Effect.tryPromise(() =>
    asOwner(join(bin, "pg_ctl"), ["-D", data, "-m", "immediate", "-w", "stop"]),
  ).pipe(
    Effect.asVoid,
    Effect.orDieWith((cause) => new Error(`pg_ctl stop failed (log: ${log})`, { cause })),
  )
  // A test may have left the server stopped: stopping again then fails, which is fine.
  yield* Effect.acquireRelease(start, () => Effect.ignore(Effect.exit(stop)))
  return {
    adminUrl: `postgres://postgres@127.0.0.1:${port}/postgres`,
    where: "local cluster",
    stop,
    start,
  } satisfies Cluster
})

const external = (adminUrl: string): Effect.Effect<Cluster> => {
  const refuse = Effect.dieMessage(
    "PgServer: a server given by DATABASE_URL is not ours to stop or start; use PgServer.localLayer",
  )
  return Effect.succeed({ adminUrl, where: "DATABASE_URL", stop: refuse, start: refuse })
}

/** A throwaway database on the cluster, dropped on release. */
const databaseOn = (cluster: Effect.Effect<Cluster, never, Scope.Scope>) =>
  Effect.gen(function* () {
    const { adminUrl, where, stop, start } = yield* cluster
    const admin = yield* PgClient.make({ url: Redacted.make(adminUrl), maxConnections: 1 }).pipe(
      Effect.provide(Reactivity.layer),
      Effect.orDie,
    )
    const [{ server_version } = { server_version: "?" }] = yield* admin<{
      server_version: string
    }>`SHOW server_version`.pipe(Effect.orDie)
    const database = `yavio_test_${process.pid}_${Date.now()}`
    yield* Effect.acquireRelease(admin.unsafe(`CREATE DATABASE ${database}`).pipe(Effect.orDie), () =>
      admin.unsafe(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`).pipe(Effect.ignore),
    )
    const url = new URL(adminUrl)
    url.pathname = `/${database}`
    const label = `postgresql-server ${server_version.split(" ")[0]}`
    console.log(`storage tests: PostgreSQL server ${server_version} (${where})`)
    return { url: Redacted.make(url.toString()), label, stop, start }
  })

export class PgServer extends Context.Tag("test/PgServer")<PgServer, PgServerInfo>() {
  /**
   * A throwaway database on `DATABASE_URL` when set (so a CI service container is used), else
   * on a throwaway local cluster. Fails, never skips, when there is neither: a green run must
   * mean the real server was exercised.
   */
  static readonly layer: Layer.Layer<PgServer> = Layer.scoped(
    this,
    Effect.suspend(() =>
      databaseOn(process.env.DATABASE_URL ? external(process.env.DATABASE_URL) : localCluster),
    ),
  )

  /**
   * Always on a throwaway local cluster, even when `DATABASE_URL` is set: for tests that stop
   * and start the server (`stop`, `start`). Fails, never skips, without local binaries.
   */
  static readonly localLayer: Layer.Layer<PgServer> = Layer.scoped(this, databaseOn(localCluster))
}
