import type { Migration } from "../../Migration.js"

/**
 * Ingest tells a revoked key (YAVIO-2003) from an unknown one (2001), so its lookup reads
 * revoked rows too; the partial unique index covers only live keys. Lookups of revoked keys
 * are rare (negative-cached for 5 s), but a key scan must not turn each into a table scan.
 */
export const migration: Migration = {
  version: 4,
  name: "api_key_lookup",
  statements: [`CREATE INDEX api_keys_key_hash_idx ON api_keys (key_hash)`],
}
