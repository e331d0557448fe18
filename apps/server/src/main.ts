import { NodeRuntime } from "@effect/platform-node"
import { formatMigrationSummary, migrateAll, StorageConfig, Stores } from "@yavio/storage"
import { Effect } from "effect"
import { reportFailure } from "./reportFailure.js"

/**
 * `npm start`: the whole platform in one process. On embedded stores (the default) it needs
 * no servers; `DATABASE_URL` / `CLICKHOUSE_URL` switch a store to a server with the same code.
 */
const start = Effect.gen(function* () {
  const config = yield* StorageConfig
  const where = (store: { readonly mode: string; readonly dataDir?: string }, server: string) =>
    store.mode === "embedded" ? `embedded, data in ${store.dataDir}` : `server ${server}`
  console.log(`yavio: postgres   ${where(config.postgres, "(DATABASE_URL)")}`)
  console.log(
    `yavio: clickhouse ${where(config.clickhouse, config.clickhouse.mode === "server" ? config.clickhouse.url : "")}`,
  )
  const summary = yield* migrateAll
  for (const line of formatMigrationSummary(summary)) console.log(`yavio: ${line}`)
})

start.pipe(Effect.provide(Stores.layer), reportFailure, NodeRuntime.runMain({ disablePrettyLogger: true }))
