-- Foundation: roles, workspaces, API keys, the hash-chained audit log, worker heartbeats.
--
-- Two roles (cluster-wide, so created only when absent: every test database cloned from the
-- template shares them):
--   vigil_owner  owns the tables. Migrations run as it (SET LOCAL ROLE below).
--   vigil_app    what the API and worker run as (the pool does SET ROLE vigil_app). It does
--                not own the tables, so row-level security applies to it.
-- Two databases on one cluster may migrate at once (the advisory lock is per database), so a
-- concurrent creation of the same role is tolerated.
DO $$
BEGIN
    BEGIN
        CREATE ROLE vigil_owner NOLOGIN;
    EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
    END;
    BEGIN
        CREATE ROLE vigil_app NOLOGIN;
    EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
    END;
    -- The migrating user must be able to become both (superusers already can).
    IF NOT pg_has_role(current_user, 'vigil_owner', 'MEMBER') THEN
        EXECUTE format('GRANT vigil_owner TO %I', current_user);
    END IF;
    IF NOT pg_has_role(current_user, 'vigil_app', 'MEMBER') THEN
        EXECUTE format('GRANT vigil_app TO %I', current_user);
    END IF;
END
$$;

GRANT USAGE, CREATE ON SCHEMA public TO vigil_owner;
GRANT USAGE ON SCHEMA public TO vigil_app;
GRANT SELECT ON schema_migrations TO vigil_app;

SET LOCAL ROLE vigil_owner;

-- The workspace a request's transaction is confined to, set with
-- set_config('vigil.workspace_id', …, true). Unset means no tenant rows are visible.
CREATE FUNCTION vigil_current_workspace() RETURNS uuid
    LANGUAGE sql STABLE
    AS $$ SELECT NULLIF(current_setting('vigil.workspace_id', true), '')::uuid $$;

-- The tenant registry itself: not tenant data, so no RLS (platform admins list it).
CREATE TABLE workspaces (
    id          uuid PRIMARY KEY,
    slug        text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9][a-z0-9-]{0,62}$'),
    name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    settings    jsonb NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX workspaces_created ON workspaces (created_at DESC, id DESC);

CREATE TABLE api_keys (
    workspace_id  uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    id            uuid NOT NULL,
    name          text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    prefix        text NOT NULL,
    key_hash      bytea NOT NULL,           -- SHA-256 of the secret; the secret is never stored
    role          text NOT NULL CHECK (role IN ('admin', 'member', 'viewer', 'ingest')),
    created_by    text NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    last_used_at  timestamptz,
    expires_at    timestamptz,
    revoked_at    timestamptz,
    PRIMARY KEY (workspace_id, id),
    UNIQUE (workspace_id, key_hash)
);
CREATE INDEX api_keys_created ON api_keys (workspace_id, created_at DESC, id DESC);

-- Append-only. Each row's row_hash covers prev_hash (the previous row of the same workspace)
-- and the row's fields; details are covered through details_digest, so a later erasure can
-- redact details without breaking the chain. workspace_id has no foreign key: platform events
-- (e.g. failed authentication against an unknown workspace) use the nil uuid.
CREATE TABLE audit_log (
    workspace_id    uuid NOT NULL,
    seq             bigint NOT NULL CHECK (seq > 0),
    id              uuid NOT NULL,
    occurred_at     timestamptz NOT NULL,
    actor_type      text NOT NULL CHECK (actor_type IN ('api_key', 'admin', 'anonymous', 'system')),
    actor_id        text NOT NULL,
    action          text NOT NULL,
    resource_type   text NOT NULL,
    resource_id     text,
    source_ip       text,
    correlation_id  text,
    details         jsonb NOT NULL,
    details_digest  text NOT NULL,
    prev_hash       text NOT NULL,
    row_hash        text NOT NULL,
    PRIMARY KEY (workspace_id, seq),
    UNIQUE (workspace_id, id)
);
CREATE INDEX audit_log_action ON audit_log (workspace_id, action, seq DESC);
CREATE INDEX audit_log_occurred ON audit_log (workspace_id, occurred_at DESC);

-- Row-level security: FORCE so that even the owner is confined (only superusers bypass).
ALTER TABLE api_keys ENABLE ROW LEVEL SECURITY;
ALTER TABLE api_keys FORCE ROW LEVEL SECURITY;
CREATE POLICY workspace_isolation ON api_keys
    USING (workspace_id = vigil_current_workspace())
    WITH CHECK (workspace_id = vigil_current_workspace());

ALTER TABLE audit_log ENABLE ROW LEVEL SECURITY;
ALTER TABLE audit_log FORCE ROW LEVEL SECURITY;
CREATE POLICY workspace_isolation ON audit_log
    USING (workspace_id = vigil_current_workspace())
    WITH CHECK (workspace_id = vigil_current_workspace());

-- One row per worker process, refreshed while it runs; /health reports the youngest.
CREATE TABLE worker_heartbeats (
    id             uuid PRIMARY KEY,
    host           text NOT NULL,
    pid            integer NOT NULL,
    version        text NOT NULL,
    started_at     timestamptz NOT NULL,
    last_seen_at   timestamptz NOT NULL,
    jobs_running   integer NOT NULL DEFAULT 0
);

GRANT SELECT, INSERT, UPDATE ON workspaces TO vigil_app;
GRANT SELECT, INSERT, UPDATE ON api_keys TO vigil_app;
GRANT SELECT, INSERT ON audit_log TO vigil_app;          -- no UPDATE, no DELETE: append-only
GRANT SELECT, INSERT, UPDATE, DELETE ON worker_heartbeats TO vigil_app;
