import type { Migration } from "../../Migration.js"

/** People and how they sign in: users, OAuth links, login sessions, one-time tokens, throttling. */
export const migration: Migration = {
  version: 1,
  name: "accounts",
  statements: [
    // One trigger function keeps `updated_at` honest for every table, whoever writes the row.
    `CREATE FUNCTION set_updated_at() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.updated_at := now();
  RETURN NEW;
END
$$`,

    // Emails are stored lower-cased so the unique constraint is case-insensitive without an
    // expression index (which ON CONFLICT and error mapping by constraint name handle badly).
    `CREATE TABLE users (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  email text NOT NULL CONSTRAINT users_email_key UNIQUE CONSTRAINT users_email_lower CHECK (email = lower(email)),
  name text,
  password_hash text,
  avatar_url text,
  email_verified boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
)`,
    `CREATE TRIGGER users_set_updated_at BEFORE UPDATE ON users FOR EACH ROW EXECUTE FUNCTION set_updated_at()`,

    // Provider tokens are AES-256-GCM ciphertext (iv, tag and data, encoded by the accounts
    // service with ENCRYPTION_KEY): the database never sees them in the clear.
    `CREATE TABLE oauth_accounts (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  provider text NOT NULL CHECK (provider IN ('github', 'google')),
  provider_account_id text NOT NULL,
  access_token_encrypted text,
  refresh_token_encrypted text,
  expires_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT oauth_accounts_provider_account_key UNIQUE (provider, provider_account_id)
)`,
    `CREATE INDEX oauth_accounts_user_id_idx ON oauth_accounts (user_id)`,
    `CREATE TRIGGER oauth_accounts_set_updated_at BEFORE UPDATE ON oauth_accounts FOR EACH ROW EXECUTE FUNCTION set_updated_at()`,

    // Dashboard login sessions (not analytics sessions). Only a hash of the cookie token is
    // stored, so a leaked table cannot be replayed as logins.
    `CREATE TABLE sessions (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  token_hash text NOT NULL CONSTRAINT sessions_token_hash_key UNIQUE,
  expires_at timestamptz NOT NULL,
  last_seen_at timestamptz NOT NULL DEFAULT now(),
  ip inet,
  user_agent text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
)`,
    `CREATE INDEX sessions_user_id_idx ON sessions (user_id)`,
    `CREATE INDEX sessions_expires_at_idx ON sessions (expires_at)`,
    `CREATE TRIGGER sessions_set_updated_at BEFORE UPDATE ON sessions FOR EACH ROW EXECUTE FUNCTION set_updated_at()`,

    // Email verification (24 h) and password reset (1 h) links; `used_at` makes them single use.
    `CREATE TABLE verification_tokens (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  token_hash text NOT NULL CONSTRAINT verification_tokens_token_hash_key UNIQUE,
  type text NOT NULL CHECK (type IN ('email_verification', 'password_reset')),
  expires_at timestamptz NOT NULL,
  used_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
)`,
    `CREATE INDEX verification_tokens_user_id_idx ON verification_tokens (user_id)`,
    `CREATE INDEX verification_tokens_expires_at_idx ON verification_tokens (expires_at)`,
    `CREATE TRIGGER verification_tokens_set_updated_at BEFORE UPDATE ON verification_tokens FOR EACH ROW EXECUTE FUNCTION set_updated_at()`,

    // Sign-in attempts, append-only, read by "attempts for this email / IP in the last N minutes" and
    // pruned after 24 h, hence the time-suffixed indexes.
    `CREATE TABLE login_attempts (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  email text NOT NULL,
  ip_address inet,
  attempted_at timestamptz NOT NULL DEFAULT now()
)`,
    `CREATE INDEX login_attempts_email_idx ON login_attempts (email, attempted_at)`,
    `CREATE INDEX login_attempts_ip_idx ON login_attempts (ip_address, attempted_at)`,
    `CREATE INDEX login_attempts_attempted_at_idx ON login_attempts (attempted_at)`,
  ],
}
