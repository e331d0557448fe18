import { layer } from "@effect/vitest"
import { authSuite } from "./suites/authSuite.js"
import { httpSuite } from "./suites/httpSuite.js"
import { rlsSuite } from "./suites/rlsSuite.js"
import { rpcSuite } from "./suites/rpcSuite.js"
import { tenancySuite } from "./suites/tenancySuite.js"
import { accountsLayer } from "./support/harness.js"
import { postgresServer } from "./support/stores.js"

// The same suites as accounts.pglite.test.ts, on a real PostgreSQL server (DATABASE_URL, else a
// throwaway local cluster; never skipped).
layer(accountsLayer(postgresServer), { timeout: "120 seconds", excludeTestServices: true })(
  `accounts [${postgresServer.label}]`,
  (it) => {
    authSuite(it, postgresServer.label)
    rpcSuite(it, postgresServer.label)
    tenancySuite(it, postgresServer.label)
    httpSuite(it, postgresServer.label)
    rlsSuite(it, postgresServer.label)
  },
)
