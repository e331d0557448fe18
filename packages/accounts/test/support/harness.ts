import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { RpcTest } from "@effect/rpc"
import type { PgClient } from "@effect/sql-pg/PgClient"
import { AccountsRpc } from "@yavio/domain/rpc/AccountsRpc"
import { Context, Effect, Layer, Redacted } from "effect"
import {
  AccountsConfig,
  type AccountsSettings,
  defaultRateLimits,
  type RateLimitSettings,
} from "../../src/AccountsConfig.js"
import { AccountsLive, AccountsRpcLive } from "../../src/AccountsLayer.js"
import { Auth } from "../../src/Auth.js"
import { Email, type EmailTransportSettings } from "../../src/Email.js"
import { PasswordHasher } from "../../src/PasswordHasher.js"
import type { RequestInfo, SessionGrant } from "../../src/Sessions.js"
import { latestLink } from "./outbox.js"
import type { Backend } from "./stores.js"

/** What the tests need besides the services: the outbox directory and the hashing secret. */
export class Harness extends Context.Tag("test/Harness")<
  Harness,
  { readonly outboxDir: string; readonly secret: string; readonly settings: AccountsSettings }
>() {}

const harness = Layer.scoped(
  Harness,
  Effect.acquireRelease(
    Effect.sync(() => {
      const outboxDir = mkdtempSync(join(tmpdir(), "yavio-outbox-"))
      const secret = `test-secret-${process.pid}-${Date.now()}`
      const settings: AccountsSettings = {
        dashboardUrl: "http://localhost:3000",
        apiKeyHashSecret: Redacted.make(secret),
        defaultPlan: "community",
        // Generous: one file signs up dozens of users from one IP. RateLimits.test.ts pins the real limits.
        rateLimits: {
          ...defaultRateLimits,
          authStrictPerMinute: 100_000,
          authPerMinute: 100_000,
          managementPerMinute: 100_000,
        },
      }
      return { outboxDir, secret, settings }
    }),
    ({ outboxDir }) => Effect.sync(() => rmSync(outboxDir, { recursive: true, force: true })),
  ),
)

// A cheap scrypt cost: these tests hash hundreds of passwords. PasswordHasher.test.ts pins the strong one.
const testHasher = PasswordHasher.layerWith({ logN: 12, r: 8, p: 1 })

const configAndEmail = (mode: EmailTransportSettings["_tag"], rateLimits: Partial<RateLimitSettings> = {}) =>
  Layer.unwrapEffect(
    Effect.map(Harness, (h) =>
      Layer.mergeAll(
        AccountsConfig.layerWith({ ...h.settings, rateLimits: { ...h.settings.rateLimits, ...rateLimits } }),
        Email.layerWith(
          mode === "disabled"
            ? { _tag: "disabled" }
            : { _tag: "outbox", dir: h.outboxDir, from: "yavio@test.local" },
        ),
        testHasher,
      ),
    ),
  )

/** The accounts services and RPC handlers over a migrated store, mail going to a temp outbox. */
export const accountsLayer = (backend: Backend) =>
  AccountsRpcLive.pipe(
    Layer.provideMerge(configAndEmail("outbox")),
    Layer.provideMerge(harness),
    Layer.provideMerge(backend.store),
  )

/** The services again over the same store and harness, in email-disabled mode (no SMTP_HOST, server install). */
export const emailDisabledLayer = AccountsLive.pipe(Layer.provideMerge(configAndEmail("disabled")))

/** The services and RPC handlers again over the same store and harness, with other rate limits. */
export const withRateLimits = (rateLimits: Partial<RateLimitSettings>) =>
  AccountsRpcLive.pipe(Layer.provideMerge(configAndEmail("outbox", rateLimits)))

export type AccountsTestServices = Layer.Layer.Success<ReturnType<typeof accountsLayer>>
export type { PgClient }

export const request: RequestInfo = { ip: "127.0.0.1", userAgent: "vitest" }

let counter = 0
/** A fresh address per call: tests share one database. */
export const freshEmail = (label: string) => `${label}-${process.pid}-${++counter}@example.com`

/** Register, then follow the verification link from the outbox: a real signed-in user. */
export const signUp = (email: string, name = "Test User") =>
  Effect.gen(function* () {
    const auth = yield* Auth
    const { outboxDir } = yield* Harness
    yield* auth.register({ email, password: "correct horse battery", name }, request)
    const { token } = latestLink(outboxDir, email, /Verify your email/)
    return yield* auth.verifyEmail({ token }, request)
  })

export const headersOf = (grant: SessionGrant) => ({ cookie: `theme=dark; yavio_session=${grant.token}` })

/** An AccountsRpc client wired to the handlers in memory (SessionAuth middleware included). */
export const rpcClient = RpcTest.makeClient(AccountsRpc)
