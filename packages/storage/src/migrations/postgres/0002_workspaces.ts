import type { Migration } from "../../Migration.js"

/** Tenancy: workspaces (with their billing fields), members, invitations, projects, API keys. */
export const migration: Migration = {
  version: 2,
  name: "workspaces",
  statements: [
    // `plan` defaults to the self-hosted plan; the hosted deployment writes `cloud_free`
    // explicitly, since a column default cannot know the deployment. A NULL
    // stripe_customer_id never collides, so the unique constraint holds only when set.
    `CREATE TABLE workspaces (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name text NOT NULL,
  slug text NOT NULL CONSTRAINT workspaces_slug_key UNIQUE,
  owner_id uuid NOT NULL REFERENCES users (id),
  plan text NOT NULL DEFAULT 'community' CHECK (plan IN ('community', 'cloud_free', 'cloud_pro', 'enterprise')),
  stripe_customer_id text CONSTRAINT workspaces_stripe_customer_id_key UNIQUE,
  stripe_subscription_id text,
  spending_cap_cents bigint CHECK (spending_cap_cents >= 0),
  billing_status text NOT NULL DEFAULT 'active' CHECK (billing_status IN ('active', 'past_due', 'paused', 'cancelled')),
  billing_period_start timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
)`,
    `CREATE INDEX workspaces_owner_id_idx ON workspaces (owner_id)`,
    `CREATE TRIGGER workspaces_set_updated_at BEFORE UPDATE ON workspaces FOR EACH ROW EXECUTE FUNCTION set_updated_at()`,

    // Ownership is workspaces.owner_id, not a role: roles here are the three stored ones.
    // The user_id index serves "my workspaces", the lookup behind every permission check.
    `CREATE TABLE workspace_members (
  workspace_id uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  role text NOT NULL CHECK (role IN ('admin', 'member', 'viewer')),
  joined_at timestamptz NOT NULL DEFAULT now(),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (workspace_id, user_id)
)`,
    `CREATE INDEX workspace_members_user_id_idx ON workspace_members (user_id)`,
    `CREATE TRIGGER workspace_members_set_updated_at BEFORE UPDATE ON workspace_members FOR EACH ROW EXECUTE FUNCTION set_updated_at()`,

    `CREATE TABLE invitations (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  workspace_id uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  email text NOT NULL CHECK (email = lower(email)),
  role text NOT NULL CHECK (role IN ('admin', 'member', 'viewer')),
  invited_by uuid REFERENCES users (id) ON DELETE SET NULL,
  token_hash text NOT NULL CONSTRAINT invitations_token_hash_key UNIQUE,
  accepted_at timestamptz,
  expires_at timestamptz NOT NULL DEFAULT now() + interval '7 days',
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
)`,
    `CREATE INDEX invitations_workspace_email_idx ON invitations (workspace_id, email)`,
    `CREATE INDEX invitations_expires_at_idx ON invitations (expires_at)`,
    `CREATE TRIGGER invitations_set_updated_at BEFORE UPDATE ON invitations FOR EACH ROW EXECUTE FUNCTION set_updated_at()`,

    // (id, workspace_id) is unique so api_keys can reference both: the denormalised
    // workspace_id on a key can then never disagree with its project's.
    `CREATE TABLE projects (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  workspace_id uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  name text NOT NULL,
  slug text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT projects_workspace_slug_key UNIQUE (workspace_id, slug),
  CONSTRAINT projects_id_workspace_key UNIQUE (id, workspace_id)
)`,
    `CREATE TRIGGER projects_set_updated_at BEFORE UPDATE ON projects FOR EACH ROW EXECUTE FUNCTION set_updated_at()`,

    // Keys are stored as HMAC-SHA256 only. Ingest looks keys up by hash on every cache miss,
    // and only live keys may match: a partial unique index over unrevoked keys is both the
    // lookup path and the guarantee that one hash names at most one live key.
    `CREATE TABLE api_keys (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  project_id uuid NOT NULL,
  workspace_id uuid NOT NULL,
  key_hash text NOT NULL,
  key_prefix text NOT NULL,
  name text NOT NULL DEFAULT 'Default',
  last_used_at timestamptz,
  revoked_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT api_keys_project_fkey FOREIGN KEY (project_id, workspace_id)
    REFERENCES projects (id, workspace_id) ON DELETE CASCADE
)`,
    `CREATE UNIQUE INDEX api_keys_active_key_hash_idx ON api_keys (key_hash) WHERE revoked_at IS NULL`,
    `CREATE INDEX api_keys_project_id_idx ON api_keys (project_id)`,
    `CREATE INDEX api_keys_workspace_id_idx ON api_keys (workspace_id)`,
    `CREATE TRIGGER api_keys_set_updated_at BEFORE UPDATE ON api_keys FOR EACH ROW EXECUTE FUNCTION set_updated_at()`,
  ],
}
