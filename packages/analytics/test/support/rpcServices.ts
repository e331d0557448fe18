import {
  AccountsConfig,
  AccountsLive,
  defaultRateLimits,
  Email,
  PasswordHasher,
  SessionAuthLive,
} from "@yavio/accounts"
import { Clickhouse, ClickhouseMigrator, Postgres, PostgresMigrator, StorageConfig } from "@yavio/storage"
import { TempDir } from "@yavio/testkit/TempDir"
import { ConfigProvider, Effect, Layer, Redacted } from "effect"
import { AnalyticsRpcLive } from "../../src/AnalyticsLayer.js"

/** Both stores migrated in a temp data dir (PGlite + chDB). */
const stores = (tempDirName: string) =>
  Layer.effectDiscard(
    Effect.all([
      Effect.flatMap(PostgresMigrator, (m) => m.run),
      Effect.flatMap(ClickhouseMigrator, (m) => m.run),
    ]),
  ).pipe(
    Layer.provideMerge(Layer.mergeAll(PostgresMigrator.layer, ClickhouseMigrator.layer)),
    Layer.provideMerge(Layer.merge(Postgres.layer, Clickhouse.layer)),
    Layer.provideMerge(
      Layer.unwrapEffect(
        Effect.map(TempDir, (dir) =>
          StorageConfig.layer.pipe(
            Layer.provide(
              Layer.setConfigProvider(ConfigProvider.fromMap(new Map([["YAVIO_DATA_DIR", dir]]))),
            ),
          ),
        ),
      ).pipe(Layer.provide(TempDir.layer(tempDirName))),
    ),
    Layer.orDie,
  )

// Email disabled: registration answers with a session at once (a server install without SMTP).
const accounts = AccountsLive.pipe(
  Layer.provideMerge(
    Layer.mergeAll(
      AccountsConfig.layerWith({
        dashboardUrl: "http://localhost:3000",
        apiKeyHashSecret: Redacted.make("analytics-rpc-test-secret"),
        defaultPlan: "community",
        rateLimits: {
          ...defaultRateLimits,
          authStrictPerMinute: 10_000,
          authPerMinute: 10_000,
          managementPerMinute: 10_000,
        },
      }),
      Email.layerWith({ _tag: "disabled" }),
      PasswordHasher.layerWith({ logN: 12, r: 8, p: 1 }),
    ),
  ),
)

/**
 * What the AnalyticsRpc tests call through: the handlers as `npm start` builds them
 * (`AnalyticsRpcLive`), the session middleware, the real accounts services, the stores.
 */
export const rpcServices = (tempDirName: string) =>
  Layer.mergeAll(AnalyticsRpcLive, SessionAuthLive).pipe(
    Layer.provideMerge(accounts),
    Layer.provideMerge(stores(tempDirName)),
  )
