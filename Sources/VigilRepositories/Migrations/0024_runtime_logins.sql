-- Three logins (issue 14): the migrator (a member of vigil_owner, runs this file), the API login
-- and the worker login (`vigil db create-login NAME --for api|worker`). Runtime logins are never
-- members of vigil_owner: an owner bypasses row-level security unless it is forced, and the
-- role a pooled session was SET to does not survive PgBouncer in transaction mode. Every
-- transaction now begins `BEGIN; SET LOCAL ROLE vigil_app|vigil_worker; …` instead.
--
--   vigil_app     tenant privileges: what the API login is granted.
--   vigil_worker  vigil_app plus the cross-tenant operator functions (claiming and finishing
--                 jobs across workspaces, fan-out lists, `vigil jobs retry|cancel`, partition
--                 upkeep, audit redaction for subject erasure): what the worker login is granted.
--
-- Not backward-compatible: the previous release's worker runs as vigil_app, which can no longer
-- claim jobs.
DO $$
BEGIN
    BEGIN
        CREATE ROLE vigil_worker NOLOGIN;
    EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
    END;
    -- The migrator must be able to become it, as it can vigil_app (superusers already can).
    IF NOT pg_has_role(current_user, 'vigil_worker', 'MEMBER') THEN
        EXECUTE format('GRANT vigil_worker TO %I', current_user);
    END IF;
    IF NOT pg_has_role('vigil_worker', 'vigil_app', 'MEMBER') THEN
        GRANT vigil_app TO vigil_worker;
    END IF;
END
$$;

SET LOCAL ROLE vigil_owner;

-- Operator functions: the worker's, never the API's. (vigil_erase_workspace stays owner-only.)
REVOKE EXECUTE ON FUNCTION
    vigil_claim_jobs(text, integer), vigil_claim_jobs(text, integer, integer),
    vigil_complete_job(uuid, bigint, text), vigil_complete_jobs(uuid[], bigint[], text),
    vigil_fail_job(uuid, bigint, text, text, timestamptz), vigil_heartbeat_jobs(text),
    vigil_rescue_stale_jobs(interval), vigil_release_jobs(text),
    vigil_job_counts(), vigil_list_jobs(uuid, text, text, bigint, integer), vigil_find_job(bigint),
    vigil_retry_job(bigint), vigil_cancel_job(bigint), vigil_prune_finished_jobs(timestamptz, integer),
    vigil_ensure_partitions(text, date, integer), vigil_drop_expired_partitions(text, timestamptz),
    vigil_redact_audit_details(bigint, text, jsonb),
    vigil_workspaces_with_alert_rules(), vigil_workspaces_with_anomaly_detectors(),
    vigil_workspaces_with_timings(), vigil_workspaces_with_dirty_kpis(text), vigil_workspaces_with_slos(),
    vigil_workspaces_with_digest_schedules(), vigil_workspaces_with_security_activity(timestamptz)
    FROM vigil_app;
GRANT EXECUTE ON FUNCTION
    vigil_claim_jobs(text, integer), vigil_claim_jobs(text, integer, integer),
    vigil_complete_job(uuid, bigint, text), vigil_complete_jobs(uuid[], bigint[], text),
    vigil_fail_job(uuid, bigint, text, text, timestamptz), vigil_heartbeat_jobs(text),
    vigil_rescue_stale_jobs(interval), vigil_release_jobs(text),
    vigil_job_counts(), vigil_list_jobs(uuid, text, text, bigint, integer), vigil_find_job(bigint),
    vigil_retry_job(bigint), vigil_cancel_job(bigint), vigil_prune_finished_jobs(timestamptz, integer),
    vigil_ensure_partitions(text, date, integer), vigil_drop_expired_partitions(text, timestamptz),
    vigil_redact_audit_details(bigint, text, jsonb),
    vigil_workspaces_with_alert_rules(), vigil_workspaces_with_anomaly_detectors(),
    vigil_workspaces_with_timings(), vigil_workspaces_with_dirty_kpis(text), vigil_workspaces_with_slos(),
    vigil_workspaces_with_digest_schedules(), vigil_workspaces_with_security_activity(timestamptz)
    TO vigil_worker;

-- Except one: the API creates the day's partition when a metric or security event arrives for
-- it (MetricIngestService, SecurityEventService). It only adds partitions of registered tables
-- (partitioned_tables) and reads no tenant data, so the API keeps it; dropping stays the worker's.
GRANT EXECUTE ON FUNCTION vigil_ensure_partitions(text, date, integer) TO vigil_app;

-- The scheduler's ledger is the worker's alone.
REVOKE ALL ON schedule_ticks FROM vigil_app;
GRANT SELECT, INSERT, DELETE ON schedule_ticks TO vigil_worker;
GRANT UPDATE (job_id) ON schedule_ticks TO vigil_worker;

-- workspaces, the tenant registry, has no row-level security: authentication resolves a key's
-- workspace before any workspace is set. What it must not hand out is every tenant's
-- pseudonymisation secret: the app roles read the other columns, change only name and settings,
-- and get the key of the transaction's own workspace from a definer function.
REVOKE SELECT, UPDATE ON workspaces FROM vigil_app;
GRANT SELECT (id, slug, name, settings, created_at) ON workspaces TO vigil_app;
GRANT UPDATE (name, settings) ON workspaces TO vigil_app;
CREATE FUNCTION vigil_workspace_pseudonym_key() RETURNS bytea
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = public, pg_temp
    AS $$ SELECT pseudonym_key FROM workspaces WHERE id = vigil_current_workspace() $$;
REVOKE ALL ON FUNCTION vigil_workspace_pseudonym_key() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION vigil_workspace_pseudonym_key() TO vigil_app;

-- jobs: forced like every other tenant table, so even a login that is (wrongly) the owner sees
-- one workspace. The worker's SECURITY DEFINER functions run as vigil_owner and reach across
-- workspaces through this policy, which no runtime login holds.
ALTER TABLE jobs FORCE ROW LEVEL SECURITY;
CREATE POLICY owner_queue ON jobs TO vigil_owner USING (true) WITH CHECK (true);
