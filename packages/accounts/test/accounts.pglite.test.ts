import { layer } from "@effect/vitest"
import { authSuite } from "./suites/authSuite.js"
import { httpSuite } from "./suites/httpSuite.js"
import { rlsSuite } from "./suites/rlsSuite.js"
import { rpcSuite } from "./suites/rpcSuite.js"
import { tenancySuite } from "./suites/tenancySuite.js"
import { accountsLayer } from "./support/harness.js"
import { pglite } from "./support/stores.js"

layer(accountsLayer(pglite), { timeout: "120 seconds", excludeTestServices: true })(
  `accounts [${pglite.label}]`,
  (it) => {
    authSuite(it, pglite.label)
    rpcSuite(it, pglite.label)
    tenancySuite(it, pglite.label)
    httpSuite(it, pglite.label)
    rlsSuite(it, pglite.label)
  },
)
