import { Layer } from "effect"
import * as Postgres from "../src/Postgres.js"
import { postgresMigrationSuite } from "./support/postgresMigrationSuite.js"
import { embeddedConfig } from "./support/stores.js"

// PGlite has a single session, so the concurrent-migrators case runs against the server only.
postgresMigrationSuite("pglite", Postgres.layer.pipe(Layer.provide(embeddedConfig("pglite"))))
