import type { Migration } from "../../Migration.js"
import { migration as accounts } from "./0001_accounts.js"
import { migration as workspaces } from "./0002_workspaces.js"
import { migration as billing } from "./0003_billing.js"
import { migration as apiKeyLookup } from "./0004_api_key_lookup.js"
import { migration as accountLocks } from "./0005_account_locks.js"
import { migration as rowLevelSecurity } from "./0006_row_level_security.js"
import { migration as funnels } from "./0007_funnels.js"

/** Every PostgreSQL migration, in order. Append only: applied ones are frozen by checksum. */
export const postgresMigrations: ReadonlyArray<Migration> = [
  accounts,
  workspaces,
  billing,
  apiKeyLookup,
  accountLocks,
  rowLevelSecurity,
  funnels,
]
