import { PgServer, pgServerLabel } from "@yavio/testkit/PgServer"
import { Effect, Layer, Redacted } from "effect"
import * as Postgres from "../src/Postgres.js"
import { storageConfigFrom } from "./support/config.js"
import { postgresMigrationSuite } from "./support/postgresMigrationSuite.js"

const configOnServer = Layer.unwrapEffect(
  Effect.map(PgServer, (server) => storageConfigFrom({ DATABASE_URL: Redacted.value(server.url) })),
)

// Postgres.layer is built again wherever it is provided afresh: a new pool, a new connection.
const client = Postgres.layer.pipe(Layer.provide(configOnServer))

postgresMigrationSuite(pgServerLabel(), client.pipe(Layer.provideMerge(PgServer.layer)), {
  // Built per use from the PgServer already running: a second "process" on the same database.
  freshClient: client,
})
