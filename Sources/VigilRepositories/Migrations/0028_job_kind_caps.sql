-- Fair background work, per kind (issue 14, item 5): besides the per-workspace cap (0020), a cap
-- on how many jobs of a long-running kind run at once across every worker, so long compliance
-- reports, retention passes or scans of many workspaces cannot take every worker slot from
-- short jobs (alert notifications). The caps come from the worker's job catalogue as a JSON
-- object {"kind": max_running}; a kind not named is not capped.
--
-- A kind at its cap is left out before the per-workspace share is taken, so a workspace whose
-- oldest jobs are of a saturated kind still gets its other jobs claimed; within one claim, no
-- more of a kind are taken than its cap leaves.
--
-- Backward-compatible: the three-argument claim the previous release calls becomes an
-- uncapped call of this one.
-- vigil: backward-compatible
SET LOCAL ROLE vigil_owner;

-- Counting a kind's running jobs must not walk the finished history.
CREATE INDEX jobs_running_by_kind ON jobs (kind) WHERE state = 'running';

CREATE FUNCTION vigil_claim_jobs(worker text, max_jobs integer, per_workspace integer, kind_caps jsonb) RETURNS SETOF jobs
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = public, pg_temp
    -- The per-workspace LIMIT is not a constant, so the planner guesses a tenth of the table
    -- for it and the plan's cost passes the JIT thresholds: compiling it took ~0.5 s per claim
    -- for a query that runs in a millisecond (JobQueueTests.claimIsFairAcrossWorkspaces).
    SET jit = off
    AS $fn$
DECLARE
    caps jsonb := coalesce(kind_caps, '{}');
    saturated text[];
    -- How many more of a workspace's jobs to look at than its share: the capped kinds' jobs
    -- that may be passed over, so the share is filled with its other jobs in this same claim.
    spare integer;
BEGIN
    SELECT coalesce(array_agg(cap.key) FILTER (WHERE (SELECT count(*) FROM jobs r WHERE r.kind = cap.key AND r.state = 'running')
                                                     >= cap.value::integer), '{}'),
           coalesce(sum(cap.value::integer), 0)
      INTO saturated, spare
      FROM jsonb_each_text(caps) cap;
    -- Dynamic SQL so each call is planned knowing max_jobs (see 0020).
    RETURN QUERY EXECUTE $q$
    WITH RECURSIVE workspaces AS (
        (SELECT j.workspace_id FROM jobs j
          WHERE j.state IN ('available', 'retryable') AND j.run_at <= now()
          ORDER BY j.workspace_id LIMIT 1)
        UNION ALL
        SELECT (SELECT j.workspace_id FROM jobs j
                 WHERE j.state IN ('available', 'retryable') AND j.run_at <= now()
                   AND j.workspace_id > w.workspace_id
                 ORDER BY j.workspace_id LIMIT 1)
          FROM workspaces w
         WHERE w.workspace_id IS NOT NULL
    ),
    shares AS (
        -- A workspace's share: what its running jobs (every worker's) leave of the cap;
        -- platform jobs (the nil workspace) are not capped.
        SELECT w.workspace_id,
               CASE WHEN w.workspace_id = '00000000-0000-0000-0000-000000000000' THEN $2
                    ELSE least($2, greatest(0, $3 - (SELECT count(*) FROM jobs r
                                                      WHERE r.workspace_id = w.workspace_id AND r.state = 'running')))
               END AS share
          FROM workspaces w
         WHERE w.workspace_id IS NOT NULL
    ),
    candidates AS (
        SELECT c.workspace_id, c.id, c.kind, c.priority, c.run_at, s.share,
               row_number() OVER (PARTITION BY c.workspace_id ORDER BY c.priority DESC, c.run_at, c.id) AS rank
          FROM shares s
          CROSS JOIN LATERAL (
              SELECT j.workspace_id, j.id, j.kind, j.priority, j.run_at FROM jobs j
               WHERE j.workspace_id = s.workspace_id
                 AND j.state IN ('available', 'retryable') AND j.run_at <= now()
                 AND j.kind <> ALL ($5)
               ORDER BY j.priority DESC, j.run_at, j.id
               LIMIT s.share + $6
               FOR UPDATE SKIP LOCKED
          ) c
         WHERE s.share > 0
    ),
    within_kind_caps AS (
        SELECT k.*, row_number() OVER (PARTITION BY k.workspace_id ORDER BY k.rank) AS share_rank
          FROM (SELECT c.*, row_number() OVER (PARTITION BY c.kind ORDER BY c.rank, c.priority DESC, c.run_at, c.id) AS kind_rank
                  FROM candidates c) k
         WHERE NOT ($4 ? k.kind)
            OR k.kind_rank <= ($4 ->> k.kind)::integer - (SELECT count(*) FROM jobs x WHERE x.kind = k.kind AND x.state = 'running')
    ),
    chosen AS (
        SELECT workspace_id, id FROM within_kind_caps
         WHERE share_rank <= share
         ORDER BY share_rank, priority DESC, run_at, id
         LIMIT $2
    )
    UPDATE jobs
       SET state = 'running', attempt = jobs.attempt + 1, locked_by = $1,
           locked_at = now(), heartbeat_at = now()
      FROM chosen
     WHERE jobs.workspace_id = chosen.workspace_id AND jobs.id = chosen.id
    RETURNING jobs.*
    $q$ USING worker, max_jobs, per_workspace, caps, saturated, spare;
END
$fn$;

CREATE OR REPLACE FUNCTION vigil_claim_jobs(worker text, max_jobs integer, per_workspace integer) RETURNS SETOF jobs
    LANGUAGE sql VOLATILE SECURITY DEFINER
    SET search_path = public, pg_temp
    AS $$
    SELECT * FROM vigil_claim_jobs(worker, max_jobs, per_workspace, '{}'::jsonb);
$$;

REVOKE EXECUTE ON FUNCTION vigil_claim_jobs(text, integer, integer, jsonb) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION vigil_claim_jobs(text, integer, integer, jsonb) TO vigil_worker;
