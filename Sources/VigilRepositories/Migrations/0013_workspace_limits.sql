-- Per-workspace limits that hold across API processes (issue 13):
--
-- workspace_limit_overrides: the operator's overrides of the VIGIL_LIMIT_* defaults for one
-- workspace, by limit name ({"series": 500000, "requests_per_minute_ingest": 120000}). Names
-- and ranges are validated by the core (WorkspaceLimitName) before they are stored.
--
-- workspace_usage: per-minute allowances (requests per key class, ingest points, KPI events).
-- An API process takes a slice of the minute's allowance with one upsert that never grants
-- more than `allowance - granted`, then spends it in memory; so all processes together never
-- admit more than the limit, and the steady state costs one statement per slice, not per
-- request. Rows older than an hour are deleted by the process that opens a new minute.
SET LOCAL ROLE vigil_owner;

CREATE TABLE workspace_limit_overrides (
    workspace_id uuid PRIMARY KEY REFERENCES workspaces (id) ON DELETE CASCADE,
    limits       jsonb NOT NULL CHECK (jsonb_typeof(limits) = 'object'),
    updated_at   timestamptz NOT NULL
);
ALTER TABLE workspace_limit_overrides ENABLE ROW LEVEL SECURITY;
ALTER TABLE workspace_limit_overrides FORCE ROW LEVEL SECURITY;
CREATE POLICY workspace_isolation ON workspace_limit_overrides
    USING (workspace_id = vigil_current_workspace())
    WITH CHECK (workspace_id = vigil_current_workspace());
GRANT SELECT, INSERT, UPDATE, DELETE ON workspace_limit_overrides TO vigil_app;

CREATE TABLE workspace_usage (
    workspace_id uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    meter        text NOT NULL,          -- UsageMeter.name: requests_<role>, ingest_points, kpi_events
    window_start timestamptz NOT NULL,   -- start of the UTC minute
    granted      bigint NOT NULL CHECK (granted >= 0),   -- handed out to processes so far
    last_grant   bigint NOT NULL CHECK (last_grant >= 0), -- what the latest upsert granted
    PRIMARY KEY (workspace_id, meter, window_start)
);
ALTER TABLE workspace_usage ENABLE ROW LEVEL SECURITY;
ALTER TABLE workspace_usage FORCE ROW LEVEL SECURITY;
CREATE POLICY workspace_isolation ON workspace_usage
    USING (workspace_id = vigil_current_workspace())
    WITH CHECK (workspace_id = vigil_current_workspace());
GRANT SELECT, INSERT, UPDATE, DELETE ON workspace_usage TO vigil_app;
