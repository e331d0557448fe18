import { createServer } from "node:http"
import { HttpServer } from "@effect/platform"
import { NodeHttpServer } from "@effect/platform-node"
import { type Rpc, RpcSerialization } from "@effect/rpc"
import { Effect, Layer, Redacted } from "effect"
import { AccountsConfig, defaultRateLimits } from "./AccountsConfig.js"
import { AccountsRpcLive } from "./AccountsLayer.js"
import { Cleanup } from "./Cleanup.js"
import { type DashboardExtensions, makeDashboardHttp } from "./DashboardHttp.js"
import { Email, emailSettingsFromEnv } from "./Email.js"
import { oauthSettingsFromEnv } from "./OAuthSettings.js"
import { PasswordHasher } from "./PasswordHasher.js"

export interface AccountsServerOptions {
  readonly port: number
  readonly host: string
  /** `DASHBOARD_URL`: links in mails, the accepted Origin, `Secure` cookies when https. */
  readonly dashboardUrl: string
  readonly ingestUrl: string
  readonly apiKeyHashSecret: string
  /**
   * Embedded installs without `SMTP_HOST` write mail to this directory (`$YAVIO_DATA_DIR/outbox`);
   * undefined on servers, which are then in email-disabled mode.
   */
  readonly outboxDir: string | undefined
  readonly defaultPlan?: "community" | "cloud_free"
  /**
   * `ENCRYPTION_KEY` (32 bytes, base64 or hex): OAuth tokens are stored under it. Needed only
   * when `GITHUB_CLIENT_*` or `GOOGLE_CLIENT_*` is set; then its absence fails the start (`YAVIO-7200`).
   */
  readonly encryptionKey?: string | undefined
}

/**
 * The accounts service as a process part: the dashboard HTTP surface (auth endpoints and
 * `POST /api/rpc`) on a Node HTTP server, the clean-up jobs in the background, mail as the
 * environment says. Needs the stores (`PgClient`, `ClickhouseClient`, migrated). This is what
 * `npm start` launches beside ingest, with the app's pages and the analytics RPC as extensions.
 */
export const AccountsServer = <
  Extra extends Rpc.Any = never,
  E = never,
  R = never,
  ROut = never,
  RIn = never,
>(
  options: AccountsServerOptions,
  extensions: DashboardExtensions<Extra, E, R> & {
    /** What the extensions need (their handlers, services), built on the accounts services. */
    readonly services?: Layer.Layer<ROut, never, RIn>
  } = {},
) =>
  Layer.unwrapEffect(
    Effect.gen(function* () {
      const email = yield* emailSettingsFromEnv({ outboxDir: options.outboxDir })
      const oauth = yield* oauthSettingsFromEnv({ encryptionKey: options.encryptionKey })
      const services = AccountsRpcLive.pipe(
        Layer.provideMerge(
          Layer.mergeAll(
            AccountsConfig.layerWith({
              dashboardUrl: options.dashboardUrl,
              apiKeyHashSecret: Redacted.make(options.apiKeyHashSecret),
              defaultPlan: options.defaultPlan ?? "community",
              rateLimits: defaultRateLimits,
              oauth,
            }),
            Email.layerWith(email),
            PasswordHasher.layer,
          ),
        ),
      )
      const http = Layer.unwrapScoped(
        Effect.map(
          makeDashboardHttp({ dashboardUrl: options.dashboardUrl, ingestUrl: options.ingestUrl }, extensions),
          (app) => HttpServer.serve(app),
        ),
      ).pipe(
        Layer.provide(RpcSerialization.layerJson),
        Layer.provide(NodeHttpServer.layer(createServer, { port: options.port, host: options.host })),
      )
      // Without extensions ROut and RIn are never, so the empty layer is exactly that type.
      const extra = extensions.services ?? (Layer.empty as unknown as Layer.Layer<ROut, never, RIn>)
      const all = extra.pipe(Layer.provideMerge(services))
      return Layer.merge(http, Cleanup.scheduled).pipe(Layer.provide(all))
    }),
  )
