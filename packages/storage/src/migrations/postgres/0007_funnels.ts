import type { Migration } from "../../Migration.js"

/**
 * Saved funnels (dashboard.md §3.4: `funnels (id, project_id, name, steps, created_by,
 * created_at)`): an ordered list of 2–10 step or conversion names per project, unique by name in
 * the project (saving a name again replaces its steps). Deleted with the project. Visible to the
 * members of the project's workspace only (row-level security, as the other tenant tables).
 */
export const migration: Migration = {
  version: 7,
  name: "funnels",
  statements: [
    `CREATE TABLE funnels (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  project_id uuid NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  steps text[] NOT NULL CHECK (cardinality(steps) BETWEEN 2 AND 10),
  created_by uuid REFERENCES users (id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT funnels_project_name_key UNIQUE (project_id, name)
)`,
    `DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'yavio_app') THEN
    GRANT SELECT, INSERT, UPDATE, DELETE ON funnels TO yavio_app;
  END IF;
END
$$`,
    `ALTER TABLE funnels ENABLE ROW LEVEL SECURITY`,
    `CREATE POLICY funnels_tenant ON funnels USING (app_project_workspace(project_id) IN (SELECT app_workspace_ids()))`,
  ],
}
