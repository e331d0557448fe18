import { layer } from "@effect/vitest"
import { rpcSuite } from "./suites/rpcSuite.js"
import { accountsLayer } from "./support/harness.js"
import { pglite } from "./support/stores.js"

layer(accountsLayer(pglite), { timeout: "120 seconds", excludeTestServices: true })(
  `accounts [${pglite.label}]`,
  (it) => {
    rpcSuite(it, pglite.label)
  },
)
