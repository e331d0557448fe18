import type { Migration } from "../../Migration.js"

/**
 * Tenant isolation in PostgreSQL (ingest-and-storage.md §3, dashboard.md §0.2). User-facing
 * calls run in a transaction that sets `app.current_user_id` and switches to the role
 * `yavio_app`; row-level security then shows that role only the rows of the user's own
 * workspaces, so a query that forgets its `WHERE workspace_id = …` still cannot read, change
 * or delete another tenant's rows. Everything else (migrations, auth flows, tokens, login
 * attempts, jobs, webhooks) keeps running as the connecting user, the tables' owner, which
 * RLS does not restrict (no FORCE).
 *
 * Roles are cluster-wide and creating one needs CREATEROLE: on a server where the database
 * user may not, the role is simply not created (and `yavio_app` not granted), and the
 * accounts service then runs without the role switch, saying so in its log. Two databases on
 * one cluster share the role; concurrent creation is tolerated.
 */
export const migration: Migration = {
  version: 6,
  name: "row_level_security",
  statements: [
    `DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'yavio_app') THEN
    CREATE ROLE yavio_app NOLOGIN;
  END IF;
  EXECUTE format('GRANT yavio_app TO %I', current_user);
EXCEPTION
  WHEN duplicate_object OR unique_violation THEN
    EXECUTE format('GRANT yavio_app TO %I', current_user);
  WHEN insufficient_privilege THEN
    RAISE NOTICE 'yavio: cannot create or grant role yavio_app; row-level security stays inactive';
END
$$`,
    // The user a transaction acts for; NULL outside user-facing calls (no row is then visible).
    `CREATE FUNCTION app_user_id() RETURNS uuid LANGUAGE sql STABLE AS $$
  SELECT nullif(current_setting('app.current_user_id', true), '')::uuid
$$`,
    // The lookups policies and authorization need across tenants run as the owner (SECURITY
    // DEFINER): policies on workspace_members cannot query workspace_members under their own
    // policy, and "which workspace holds this project / slug" must answer 3102 rather than 404.
    // They return ids only, never rows.
    `CREATE FUNCTION app_workspace_ids() RETURNS SETOF uuid LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
  SELECT workspace_id FROM workspace_members WHERE user_id = app_user_id()
$$`,
    `CREATE FUNCTION app_user_email() RETURNS text LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
  SELECT email FROM users WHERE id = app_user_id()
$$`,
    `CREATE FUNCTION app_project_workspace(project uuid) RETURNS uuid LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
  SELECT workspace_id FROM projects WHERE id = project
$$`,
    `CREATE FUNCTION app_workspace_by_slug(wanted text) RETURNS uuid LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
  SELECT id FROM workspaces WHERE slug = wanted
$$`,
    // Slugs are global and public (they are in URLs): generation must see every tenant's.
    `CREATE FUNCTION app_taken_workspace_slugs(base text) RETURNS SETOF text LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
  SELECT slug FROM workspaces WHERE slug = base OR slug LIKE base || '-%'
$$`,

    `DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'yavio_app') THEN
    GRANT USAGE ON SCHEMA public TO yavio_app;
    GRANT SELECT, UPDATE ON users TO yavio_app;
    GRANT SELECT, INSERT, UPDATE, DELETE ON workspaces, workspace_members, invitations, projects, api_keys TO yavio_app;
  END IF;
END
$$`,

    `ALTER TABLE users ENABLE ROW LEVEL SECURITY`,
    `CREATE POLICY users_visible ON users FOR SELECT USING (
  id = app_user_id() OR id IN (SELECT user_id FROM workspace_members WHERE workspace_id IN (SELECT app_workspace_ids()))
)`,
    `CREATE POLICY users_self_update ON users FOR UPDATE USING (id = app_user_id()) WITH CHECK (id = app_user_id())`,

    `ALTER TABLE workspaces ENABLE ROW LEVEL SECURITY`,
    `CREATE POLICY workspaces_visible ON workspaces FOR SELECT USING (
  id IN (SELECT app_workspace_ids()) OR owner_id = app_user_id()
)`,
    `CREATE POLICY workspaces_create ON workspaces FOR INSERT WITH CHECK (owner_id = app_user_id())`,
    `CREATE POLICY workspaces_update ON workspaces FOR UPDATE USING (id IN (SELECT app_workspace_ids()))`,
    `CREATE POLICY workspaces_delete ON workspaces FOR DELETE USING (owner_id = app_user_id())`,

    `ALTER TABLE workspace_members ENABLE ROW LEVEL SECURITY`,
    `CREATE POLICY members_visible ON workspace_members FOR SELECT USING (workspace_id IN (SELECT app_workspace_ids()))`,
    // Joining (creator, accepted invitation) adds oneself; admins add nobody directly.
    `CREATE POLICY members_join ON workspace_members FOR INSERT WITH CHECK (user_id = app_user_id())`,
    `CREATE POLICY members_update ON workspace_members FOR UPDATE USING (workspace_id IN (SELECT app_workspace_ids()))`,
    `CREATE POLICY members_delete ON workspace_members FOR DELETE USING (workspace_id IN (SELECT app_workspace_ids()))`,

    `ALTER TABLE invitations ENABLE ROW LEVEL SECURITY`,
    // The invitee sees (and accepts) the invitations addressed to them before being a member.
    `CREATE POLICY invitations_visible ON invitations FOR SELECT USING (
  workspace_id IN (SELECT app_workspace_ids()) OR email = app_user_email()
)`,
    `CREATE POLICY invitations_create ON invitations FOR INSERT WITH CHECK (workspace_id IN (SELECT app_workspace_ids()))`,
    `CREATE POLICY invitations_update ON invitations FOR UPDATE USING (
  workspace_id IN (SELECT app_workspace_ids()) OR email = app_user_email()
)`,
    `CREATE POLICY invitations_delete ON invitations FOR DELETE USING (workspace_id IN (SELECT app_workspace_ids()))`,

    `ALTER TABLE projects ENABLE ROW LEVEL SECURITY`,
    `CREATE POLICY projects_tenant ON projects USING (workspace_id IN (SELECT app_workspace_ids()))
  WITH CHECK (workspace_id IN (SELECT app_workspace_ids()))`,

    `ALTER TABLE api_keys ENABLE ROW LEVEL SECURITY`,
    `CREATE POLICY api_keys_tenant ON api_keys USING (workspace_id IN (SELECT app_workspace_ids()))
  WITH CHECK (workspace_id IN (SELECT app_workspace_ids()))`,
  ],
}
