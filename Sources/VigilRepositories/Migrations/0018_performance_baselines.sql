-- Performance baselines (issue 15): per workspace, timing metric and endpoint, the p50/p95/p99
-- of the previous 7 days, replaced every 6 hours; the 30-minute analysis compares the recent
-- window with them.
SET LOCAL ROLE vigil_owner;

CREATE TABLE performance_baselines (
    workspace_id  uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    metric        text NOT NULL,
    group_value   text NOT NULL,
    samples       bigint NOT NULL CHECK (samples >= 0),
    p50           double precision,
    p95           double precision,
    p99           double precision,
    computed_at   timestamptz NOT NULL,
    PRIMARY KEY (workspace_id, metric, group_value)
);
ALTER TABLE performance_baselines ENABLE ROW LEVEL SECURITY;
ALTER TABLE performance_baselines FORCE ROW LEVEL SECURITY;
CREATE POLICY workspace_isolation ON performance_baselines
    USING (workspace_id = vigil_current_workspace()) WITH CHECK (workspace_id = vigil_current_workspace());
GRANT SELECT, INSERT, UPDATE, DELETE ON performance_baselines TO vigil_app;

-- The fan-out's read: workspaces with at least one timing metric (ids only, as in 0016).
CREATE POLICY owner_fanout ON metric_names FOR SELECT TO vigil_owner USING (true);
CREATE FUNCTION vigil_workspaces_with_timings() RETURNS SETOF uuid
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = public, pg_temp
    AS $$
    SELECT DISTINCT workspace_id FROM metric_names WHERE kind = 'timing';
$$;
REVOKE ALL ON FUNCTION vigil_workspaces_with_timings() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION vigil_workspaces_with_timings() TO vigil_app;
