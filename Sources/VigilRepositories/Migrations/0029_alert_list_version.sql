-- Cached alert lists (issue 17): dashboards and clients poll `GET …/alerts` many times a
-- second, and a list changes only when an alert does. Each workspace gets one row whose
-- `version` is bumped by a trigger in the same transaction as any change to one of its alerts
-- (raise, deduplicate, transition, escalate, erase, retention). The API keeps the encoded
-- answers of recent lists per workspace, each tagged with the version read *before* the list
-- was (so a tag is never newer than its content), and answers from memory only while the
-- stored version is still the tag: one small read instead of the list, under the same
-- key re-check and row-level security as any request.
--
-- The name sorts after `alerts` on purpose: `vigil_erase_workspace` empties tenant tables in
-- name order, and deleting a workspace's alerts fires the trigger that upserts this row.
--
-- Only adds a table and a trigger the previous release does not read; its writes to alerts
-- keep working (the trigger only maintains this table).
-- vigil: backward-compatible
SET LOCAL ROLE vigil_owner;

CREATE TABLE alerts_list_version (
    workspace_id   uuid PRIMARY KEY REFERENCES workspaces (id) ON DELETE CASCADE,
    version        bigint NOT NULL DEFAULT 0
);
ALTER TABLE alerts_list_version ENABLE ROW LEVEL SECURITY;
ALTER TABLE alerts_list_version FORCE ROW LEVEL SECURITY;
CREATE POLICY workspace_isolation ON alerts_list_version
    USING (workspace_id = vigil_current_workspace())
    WITH CHECK (workspace_id = vigil_current_workspace());
GRANT SELECT, INSERT, UPDATE ON alerts_list_version TO vigil_app;

-- Runs as the writer (the row-level security of both tables applies), once per changed row:
-- every column of an alert is part of the list's answer.
CREATE FUNCTION vigil_bump_alert_list_version() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path = public, pg_temp
    AS $$
DECLARE
    ws uuid := CASE WHEN TG_OP = 'DELETE' THEN OLD.workspace_id ELSE NEW.workspace_id END;
BEGIN
    INSERT INTO alerts_list_version (workspace_id, version) VALUES (ws, 1)
        ON CONFLICT (workspace_id) DO UPDATE SET version = alerts_list_version.version + 1;
    RETURN NULL;
END $$;

CREATE TRIGGER alert_list_version_on_change AFTER INSERT OR UPDATE OR DELETE ON alerts
    FOR EACH ROW EXECUTE FUNCTION vigil_bump_alert_list_version();
