import type { Migration } from "../../Migration.js"

/**
 * Brute-force lockout (dashboard.md §1.6). Levels 1 and 2 end on their own, level 3 only by an
 * emailed unlock link or a password reset: a lock therefore has to outlive the failed attempts
 * that caused it (those are pruned after 24 h), so it is a row of its own. `locked_until` NULL
 * means "until unlocked". Unlock links are one more single-use token type.
 */
export const migration: Migration = {
  version: 5,
  name: "account_locks",
  statements: [
    `CREATE TABLE account_locks (
  email text PRIMARY KEY CHECK (email = lower(email)),
  level smallint NOT NULL CHECK (level IN (1, 2, 3)),
  locked_until timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
)`,
    `CREATE TRIGGER account_locks_set_updated_at BEFORE UPDATE ON account_locks FOR EACH ROW EXECUTE FUNCTION set_updated_at()`,
    `ALTER TABLE verification_tokens DROP CONSTRAINT verification_tokens_type_check`,
    `ALTER TABLE verification_tokens ADD CONSTRAINT verification_tokens_type_check
  CHECK (type IN ('email_verification', 'password_reset', 'account_unlock'))`,
  ],
}
