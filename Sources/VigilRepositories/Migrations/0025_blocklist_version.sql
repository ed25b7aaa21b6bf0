-- O(1) blocklist polls (issue 16): an edge proxy polls `…/security/blocklist(.txt)` with
-- If-None-Match every few seconds, and computing the ETags digests every block in force (up to
-- 10,000 manual ones, more automatic ones). Each workspace gets one state row: `version` is
-- bumped by triggers in the same transaction as any change to a block (block, renewal,
-- unblock, automatic block, a row with a block removed), and the last poll that computed the
-- tags stores them with the version they belong to and the moment the first listed block
-- expires (when the list changes by time alone). A poll whose stored tags are for the current
-- version and still valid answers from this row alone.
--
-- The name sorts after `security_ips` on purpose: `vigil_erase_workspace` empties tenant tables
-- in name order, and deleting a workspace's blocks fires the trigger that upserts this row, so
-- this table must be emptied after security_ips (WorkspaceDeletionTests covers it).
--
-- Only adds a table and triggers the previous release does not read; its writes to
-- security_ips keep working (the triggers only maintain this table). Also moves the job-text
-- erasure function (0023) to the worker role (below).
-- vigil: backward-compatible
SET LOCAL ROLE vigil_owner;

CREATE TABLE security_ips_blocklist (
    workspace_id   uuid PRIMARY KEY REFERENCES workspaces (id) ON DELETE CASCADE,
    version        bigint NOT NULL DEFAULT 0,
    text_etag      text,
    json_etag      text,
    etag_version   bigint,
    valid_until    timestamptz
);
ALTER TABLE security_ips_blocklist ENABLE ROW LEVEL SECURITY;
ALTER TABLE security_ips_blocklist FORCE ROW LEVEL SECURITY;
CREATE POLICY workspace_isolation ON security_ips_blocklist
    USING (workspace_id = vigil_current_workspace())
    WITH CHECK (workspace_id = vigil_current_workspace());
GRANT SELECT, INSERT, UPDATE ON security_ips_blocklist TO vigil_app;

-- Runs as the writer (the row-level security of both tables applies), once per changed row.
CREATE FUNCTION vigil_bump_blocklist_version() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path = public, pg_temp
    AS $$
DECLARE
    ws uuid := CASE WHEN TG_OP = 'DELETE' THEN OLD.workspace_id ELSE NEW.workspace_id END;
BEGIN
    INSERT INTO security_ips_blocklist (workspace_id, version) VALUES (ws, 1)
        ON CONFLICT (workspace_id) DO UPDATE SET version = security_ips_blocklist.version + 1;
    RETURN NULL;
END $$;

CREATE TRIGGER blocklist_version_on_insert AFTER INSERT ON security_ips
    FOR EACH ROW WHEN (NEW.blocked_until IS NOT NULL) EXECUTE FUNCTION vigil_bump_blocklist_version();
CREATE TRIGGER blocklist_version_on_update AFTER UPDATE ON security_ips
    FOR EACH ROW WHEN (OLD.blocked_until IS DISTINCT FROM NEW.blocked_until OR OLD.block_source IS DISTINCT FROM NEW.block_source
                       OR OLD.block_reason IS DISTINCT FROM NEW.block_reason OR OLD.network IS DISTINCT FROM NEW.network)
    EXECUTE FUNCTION vigil_bump_blocklist_version();
CREATE TRIGGER blocklist_version_on_delete AFTER DELETE ON security_ips
    FOR EACH ROW WHEN (OLD.blocked_until IS NOT NULL) EXECUTE FUNCTION vigil_bump_blocklist_version();

-- Least privilege after migration 0024 split the runtime roles: the GDPR erasure that rewrites
-- job texts (0023) runs in the worker; the API login has no use for it.
REVOKE EXECUTE ON FUNCTION vigil_erase_job_texts(bigint, jsonb, text) FROM vigil_app;
GRANT EXECUTE ON FUNCTION vigil_erase_job_texts(bigint, jsonb, text) TO vigil_worker;
