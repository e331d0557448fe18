// npm run bench:accounts — what signing in costs. Prints the median and p95 of:
//   - one scrypt hash at the production cost (N=2^17, r=8, p=1, 64-byte key),
//   - a whole login (lockout check, user lookup, verify, session insert) on PGlite,
//   - an authorized RPC (`listProjects`: session lookup, membership check, query), in memory.
// Not a test: figures depend on the machine; compare runs on the same one.
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { RpcTest } from "@effect/rpc"
import { AccountsRpc } from "@yavio/domain/rpc/AccountsRpc"
import { Clickhouse, Postgres, PostgresMigrator, StorageConfig } from "@yavio/storage"
import { ConfigProvider, Effect, Layer, Redacted } from "effect"
import { AccountsConfig, defaultRateLimits } from "../src/AccountsConfig.js"
import { AccountsRpcLive } from "../src/AccountsLayer.js"
import { Auth } from "../src/Auth.js"
import { Email } from "../src/Email.js"
import { PasswordHasher, strongCost } from "../src/PasswordHasher.js"

const percentile = (sorted: ReadonlyArray<number>, p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!
const report = (name: string, samples: Array<number>) => {
  samples.sort((a, b) => a - b)
  console.log(
    `${name.padEnd(44)} n=${String(samples.length).padStart(4)}  p50 ${percentile(samples, 0.5).toFixed(1).padStart(7)} ms  p95 ${percentile(samples, 0.95).toFixed(1).padStart(7)} ms`,
  )
}
const time = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
  Effect.gen(function* () {
    const start = performance.now()
    yield* effect
    return performance.now() - start
  })

const dir = mkdtempSync(join(tmpdir(), "yavio-bench-accounts-"))
const store = Layer.effectDiscard(Effect.flatMap(PostgresMigrator, (m) => m.run)).pipe(
  Layer.provide(PostgresMigrator.layer),
  // ClickHouse (chDB) only backs the deletion cascades, which this benchmark does not run.
  Layer.provideMerge(Layer.merge(Postgres.layer, Clickhouse.layer)),
  Layer.provide(
    StorageConfig.layer.pipe(
      Layer.provide(Layer.setConfigProvider(ConfigProvider.fromMap(new Map([["YAVIO_DATA_DIR", dir]])))),
    ),
  ),
)
const services = AccountsRpcLive.pipe(
  Layer.provideMerge(
    Layer.mergeAll(
      AccountsConfig.layerWith({
        dashboardUrl: "http://localhost:3000",
        apiKeyHashSecret: Redacted.make("bench"),
        defaultPlan: "community",
        rateLimits: { ...defaultRateLimits, authStrictPerMinute: 1e9, managementPerMinute: 1e9 },
      }),
      Email.layerWith({ _tag: "disabled" }),
      PasswordHasher.layerWith(strongCost),
    ),
  ),
  Layer.provideMerge(store),
)

const program = Effect.gen(function* () {
  const hasher = yield* PasswordHasher
  const hashes: Array<number> = []
  for (let i = 0; i < 10; i++) hashes.push(yield* time(hasher.hash("correct horse battery")))
  report("scrypt hash (N=2^17, r=8, p=1)", hashes)

  const auth = yield* Auth
  const request = { ip: "127.0.0.1" }
  const { session } = yield* auth.register(
    { email: "bench@example.com", password: "correct horse battery" },
    request,
  )
  const logins: Array<number> = []
  for (let i = 0; i < 10; i++)
    logins.push(
      yield* time(auth.login({ email: "bench@example.com", password: "correct horse battery" }, request)),
    )
  report("login (PGlite, includes one scrypt verify)", logins)

  const client = yield* RpcTest.makeClient(AccountsRpc)
  const headers = { headers: { cookie: `yavio_session=${session!.token}` } }
  const [workspace] = yield* client.listWorkspaces(undefined, headers)
  for (let i = 0; i < 5; i++)
    yield* client.createProject({ workspaceId: workspace!.id, name: `Project ${i}` }, headers)
  const rpcs: Array<number> = []
  for (let i = 0; i < 300; i++)
    rpcs.push(yield* time(client.listProjects({ workspaceId: workspace!.id }, headers)))
  report("listProjects RPC (PGlite, in-memory transport)", rpcs)
}).pipe(Effect.scoped, Effect.provide(services))

Effect.runPromise(program)
  .catch((error) => {
    console.error(error)
    process.exitCode = 1
  })
  .finally(() => rmSync(dir, { recursive: true, force: true }))
