-- Failed authentications, aggregated: one row per (workspace, minute, kind, source address)
-- with a count, instead of one hash-chained audit row per attempt. A flood of bad keys used
-- to take the workspace's audit advisory lock once per request and grow its chain without
-- bound; an upsert needs neither a lock nor a chain, and the API batches counts in memory
-- before writing them. kind 'cross_workspace_probe' is a valid key used on another
-- workspace's path, recorded in the key's own workspace.
--
-- workspace_id has no foreign key: like audit_log, failures that name no existing workspace
-- are kept under the nil uuid (the platform). Rows expire with the workspace's
-- `security_events` retention class (RetentionTarget.all), hence DELETE for vigil_app.
SET LOCAL ROLE vigil_owner;

CREATE TABLE auth_failures (
    workspace_id         uuid NOT NULL,
    minute               timestamptz NOT NULL,   -- start of the UTC minute
    kind                 text NOT NULL CHECK (kind IN ('auth_failed', 'cross_workspace_probe')),
    source_ip            text NOT NULL,          -- '' when the address is unknown
    id                   uuid NOT NULL DEFAULT gen_random_uuid(),  -- stable position for list cursors
    count                bigint NOT NULL CHECK (count > 0),
    first_seen           timestamptz NOT NULL,
    last_seen            timestamptz NOT NULL,
    last_reason          text NOT NULL,          -- e.g. key_unknown, malformed_key, bad_admin_token
    last_key_id          uuid,                   -- the probing key (cross_workspace_probe) or the rejected one
    last_correlation_id  text,
    PRIMARY KEY (workspace_id, minute, kind, source_ip)
);
CREATE INDEX auth_failures_listing ON auth_failures (workspace_id, minute DESC, id DESC);

ALTER TABLE auth_failures ENABLE ROW LEVEL SECURITY;
ALTER TABLE auth_failures FORCE ROW LEVEL SECURITY;
CREATE POLICY workspace_isolation ON auth_failures
    USING (workspace_id = vigil_current_workspace())
    WITH CHECK (workspace_id = vigil_current_workspace());

GRANT SELECT, INSERT, UPDATE, DELETE ON auth_failures TO vigil_app;
