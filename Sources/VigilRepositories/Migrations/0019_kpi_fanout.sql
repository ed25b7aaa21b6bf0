-- Fair background work for KPIs, SLOs and digests (issue 14): the hourly and ten-minute ticks
-- fan out one job per workspace instead of walking every workspace in one job, so a tenant
-- whose rollup or SLO evaluation fails or runs long delays only itself. The ticks read which
-- workspaces have work through these functions (ids only, as in 0016). Policies and functions
-- the previous release never uses: it runs unchanged against this schema.
-- vigil: backward-compatible
SET LOCAL ROLE vigil_owner;

CREATE POLICY owner_fanout ON kpi_dirty_periods FOR SELECT TO vigil_owner USING (true);
CREATE POLICY owner_fanout ON slos FOR SELECT TO vigil_owner USING (true);
CREATE POLICY owner_fanout ON digest_schedules FOR SELECT TO vigil_owner USING (true);

CREATE FUNCTION vigil_workspaces_with_dirty_kpis(period_kind text) RETURNS SETOF uuid
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = public, pg_temp
    AS $$
    SELECT DISTINCT workspace_id FROM kpi_dirty_periods WHERE kind = period_kind;
$$;

CREATE FUNCTION vigil_workspaces_with_slos() RETURNS SETOF uuid
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = public, pg_temp
    AS $$
    SELECT DISTINCT workspace_id FROM slos;
$$;

CREATE FUNCTION vigil_workspaces_with_digest_schedules() RETURNS SETOF uuid
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = public, pg_temp
    AS $$
    SELECT workspace_id FROM digest_schedules;
$$;

REVOKE ALL ON FUNCTION vigil_workspaces_with_dirty_kpis(text), vigil_workspaces_with_slos(),
    vigil_workspaces_with_digest_schedules() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION vigil_workspaces_with_dirty_kpis(text), vigil_workspaces_with_slos(),
    vigil_workspaces_with_digest_schedules() TO vigil_app;
