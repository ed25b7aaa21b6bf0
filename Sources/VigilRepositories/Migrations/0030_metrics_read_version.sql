-- Cached metric reads (issue 17): dashboards and Grafana poll `…/metrics/{name}/stats` and
-- `…/series` many times a minute, and an answer changes only when the workspace's rollups or
-- series do (or when its window moves on to the next minute, which the API keys answers by).
-- The API keeps recent answers per workspace, each tagged with this version as read *before*
-- the answer was computed, and serves one from memory only while the version is unchanged.
--
-- The version is the sum of a few counter rows per workspace: every statement that writes
-- rollups or series (ingest, compaction, retention, erasure) adds one to the row of its
-- backend's shard. A single row would make every ingest transaction of a workspace queue
-- behind the previous one's commit; eight shards let concurrent batches bump different rows.
-- A sum of counters only grows, so two equal readings mean no write committed in between.
--
-- The triggers run per statement, not per row (an ingest statement writes hundreds of
-- rollups), and name the workspace the statement ran in: row-level security is forced on
-- both tables, so a statement can only have touched rows of `vigil_current_workspace()`. With
-- no workspace set it touched none (a superuser, who bypasses row-level security, is outside
-- Vigil's bookkeeping).
--
-- The name sorts after `metric_series` and `metric_rollups` on purpose:
-- `vigil_erase_workspace` empties tenant tables in name order, and deleting a workspace's
-- rollups fires the trigger that upserts these rows.
--
-- Only adds a table and triggers the previous release does not read; its writes keep working
-- (the triggers only maintain this table).
-- vigil: backward-compatible
SET LOCAL ROLE vigil_owner;

CREATE TABLE metrics_read_version (
    workspace_id   uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    shard          smallint NOT NULL CHECK (shard BETWEEN 0 AND 7),
    version        bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (workspace_id, shard)
);
ALTER TABLE metrics_read_version ENABLE ROW LEVEL SECURITY;
ALTER TABLE metrics_read_version FORCE ROW LEVEL SECURITY;
CREATE POLICY workspace_isolation ON metrics_read_version
    USING (workspace_id = vigil_current_workspace())
    WITH CHECK (workspace_id = vigil_current_workspace());
GRANT SELECT, INSERT, UPDATE ON metrics_read_version TO vigil_app;

-- Runs as the writer (row-level security applies), once per writing statement.
CREATE FUNCTION vigil_bump_metrics_read_version() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path = public, pg_temp
    AS $$
DECLARE
    ws uuid := vigil_current_workspace();
BEGIN
    IF ws IS NOT NULL THEN
        INSERT INTO metrics_read_version (workspace_id, shard, version) VALUES (ws, pg_backend_pid() % 8, 1)
            ON CONFLICT (workspace_id, shard) DO UPDATE SET version = metrics_read_version.version + 1;
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER metrics_read_version_on_rollups AFTER INSERT OR UPDATE OR DELETE ON metric_rollups
    FOR EACH STATEMENT EXECUTE FUNCTION vigil_bump_metrics_read_version();
CREATE TRIGGER metrics_read_version_on_series AFTER INSERT OR UPDATE OR DELETE ON metric_series
    FOR EACH STATEMENT EXECUTE FUNCTION vigil_bump_metrics_read_version();
