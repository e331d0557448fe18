import { join } from "node:path"
import { HttpRouter } from "@effect/platform"
import { NodeRuntime } from "@effect/platform-node"
import { AccountsServer } from "@yavio/accounts"
import { AnalyticsRpcLive } from "@yavio/analytics"
import { AnalyticsRpc } from "@yavio/domain/rpc/AnalyticsRpc"
import { Health, IngestSecrets, IngestServer } from "@yavio/ingest"
import { formatMigrationSummary, migrateAll, StorageConfig, Stores } from "@yavio/storage"
import { Config, Effect, Layer } from "effect"
import { dashboardRoutes } from "./DashboardApp.js"
import { devOutboxRoutes } from "./DevOutbox.js"
import { loggerLayer } from "./JsonLogger.js"
import { provisionLocal } from "./LocalProvisioning.js"
import { reportFailure } from "./reportFailure.js"
import { loadSecrets, type PlatformSecrets } from "./Secrets.js"

const VERSION = "0.1.0"

const settings = Config.all({
  ingestPort: Config.port("YAVIO_INGEST_PORT").pipe(
    Config.orElse(() => Config.port("PORT")),
    Config.withDefault(3001),
  ),
  dashboardPort: Config.port("YAVIO_DASHBOARD_PORT").pipe(Config.withDefault(3000)),
  host: Config.option(Config.nonEmptyString("YAVIO_HOST")),
  migrateOnly: Config.boolean("YAVIO_MIGRATE_ONLY").pipe(Config.withDefault(false)),
})

/**
 * `npm start`: the whole platform in one process. With no DATABASE_URL / CLICKHOUSE_URL it
 * runs on embedded stores (PGlite, chDB) under YAVIO_DATA_DIR, binds 127.0.0.1, and on the
 * first start provisions a local admin, workspace, project and API key (`local.json`). With
 * either set it is server mode: secrets must come from the environment, nothing is
 * provisioned, and it binds 0.0.0.0 (it runs in a container) unless YAVIO_HOST says otherwise.
 */
const start = Effect.gen(function* () {
  const config = yield* StorageConfig
  const options = yield* settings
  const embedded = config.postgres.mode === "embedded" && config.clickhouse.mode === "embedded"
  // Before touching any store: a server-mode start without its secrets stops here, naming them.
  const secrets = options.migrateOnly
    ? undefined
    : yield* loadSecrets(embedded ? "embedded" : "server", config.dataDir)
  const where = (store: { readonly mode: string; readonly dataDir?: string }, server: string) =>
    store.mode === "embedded" ? `embedded, data in ${store.dataDir}` : `server ${server}`
  console.log(`yavio: postgres   ${where(config.postgres, "(DATABASE_URL)")}`)
  console.log(
    `yavio: clickhouse ${where(config.clickhouse, config.clickhouse.mode === "server" ? config.clickhouse.url : "")}`,
  )
  yield* serve(config, options, embedded, secrets)
})

const serve = (
  config: StorageConfig["Type"],
  options: Config.Config.Success<typeof settings>,
  embedded: boolean,
  secrets: PlatformSecrets | undefined,
) =>
  Effect.gen(function* () {
    const summary = yield* migrateAll
    for (const line of formatMigrationSummary(summary)) console.log(`yavio: ${line}`)
    if (secrets === undefined) return
    const host = options.host._tag === "Some" ? options.host.value : embedded ? "127.0.0.1" : "0.0.0.0"
    const shownHost = host === "0.0.0.0" ? "localhost" : host
    const ingestUrl = `http://${shownHost}:${options.ingestPort}`
    const dashboardUrl = `http://${shownHost}:${options.dashboardPort}`

    if (embedded) {
      const local = yield* provisionLocal({
        dataDir: config.dataDir,
        apiKeyHashSecret: secrets.apiKeyHashSecret,
        ingestUrl,
        dashboardUrl,
      })
      if (local.created) {
        const { install } = local
        console.log("yavio: first start: created a local workspace (shown once; kept in local.json)")
        console.log(`yavio:   API key   ${install.apiKey}`)
        console.log(`yavio:   login     ${install.email} / ${install.password}`)
        console.log(`yavio:   saved to  ${local.file} (mode 0600)`)
      } else if (local.install !== undefined) {
        console.log(`yavio: local workspace and API key in ${local.file}`)
      } else {
        console.log(`yavio: ${local.file} is missing and the stores already hold users: nothing provisioned`)
      }
    }

    // The dashboard beside ingest, on the same stores: the app's pages, the auth endpoints and
    // POST /api/rpc (AccountsRpc + AnalyticsRpc). Embedded installs without SMTP_HOST write mail
    // to the data dir's outbox.
    const app = yield* dashboardRoutes.pipe(Effect.provide(Health.layer(VERSION)))
    // The outbox is in use when embedded without SMTP_HOST (accounts' emailSettingsFromEnv).
    const outboxDir = embedded ? join(config.dataDir, "outbox") : undefined
    const smtp = yield* Config.string("SMTP_HOST").pipe(Config.withDefault(""))
    const routes =
      outboxDir !== undefined && smtp.trim() === "" ? HttpRouter.concat(devOutboxRoutes(outboxDir), app) : app
    const dashboard = AccountsServer(
      {
        port: options.dashboardPort,
        host,
        dashboardUrl,
        ingestUrl,
        apiKeyHashSecret: secrets.apiKeyHashSecret,
        encryptionKey: secrets.encryptionKey,
        outboxDir,
      },
      { rpc: AnalyticsRpc, routes, services: AnalyticsRpcLive },
    ).pipe(Layer.tap(() => Effect.sync(() => console.log(`yavio: dashboard listening on ${dashboardUrl}`))))
    yield* Layer.launch(
      Layer.merge(
        IngestServer({ port: options.ingestPort, host, version: VERSION }).pipe(
          Layer.provide(IngestSecrets.layer(secrets)),
          Layer.tap(() =>
            Effect.sync(() => console.log(`yavio: ingest listening on ${ingestUrl} (POST /v1/events)`)),
          ),
        ),
        dashboard,
      ),
    )
  }).pipe(Effect.provide(Stores.layer))

start.pipe(
  Effect.provide(StorageConfig.layer),
  reportFailure,
  Effect.provide(loggerLayer("ingest")),
  NodeRuntime.runMain({ disablePrettyLogger: true }),
)
