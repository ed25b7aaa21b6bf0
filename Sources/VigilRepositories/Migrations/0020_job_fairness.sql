-- Fair, isolated background work (issue 14): a cap on the jobs one workspace may have running
-- at once across every worker, so ten long compliance reports of one tenant cannot hold every
-- worker slot. The claim gains a third argument; the two-argument form (what the previous
-- release calls) becomes an uncapped call of it, so there is one claim and this migration only
-- expands.
-- vigil: backward-compatible
SET LOCAL ROLE vigil_owner;

-- Counting a workspace's running jobs must not walk its finished history.
CREATE INDEX jobs_running_by_workspace ON jobs (workspace_id) WHERE state = 'running';

CREATE FUNCTION vigil_claim_jobs(worker text, max_jobs integer, per_workspace integer) RETURNS SETOF jobs
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = public, pg_temp
    AS $fn$
BEGIN
    -- Dynamic SQL so each call is planned knowing max_jobs ($2): a generic plan (what a SQL
    -- function gets) guesses a tenth of the table and hash-joins the whole of it (~80 ms on
    -- 100k rows instead of ~1 ms).
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
    candidates AS (
        SELECT c.workspace_id, c.id, c.priority, c.run_at,
               row_number() OVER (PARTITION BY c.workspace_id ORDER BY c.priority DESC, c.run_at, c.id) AS rank
          FROM workspaces w
          CROSS JOIN LATERAL (
              SELECT j.workspace_id, j.id, j.priority, j.run_at FROM jobs j
               WHERE j.workspace_id = w.workspace_id
                 AND j.state IN ('available', 'retryable') AND j.run_at <= now()
               ORDER BY j.priority DESC, j.run_at, j.id
               -- A workspace's share: what its running jobs (every worker's) leave of the cap;
               -- platform jobs (the nil workspace) are not capped.
               LIMIT CASE WHEN w.workspace_id = '00000000-0000-0000-0000-000000000000' THEN $2
                          ELSE least($2, greatest(0, $3 - (SELECT count(*) FROM jobs r
                                                            WHERE r.workspace_id = w.workspace_id AND r.state = 'running')))
                     END
               FOR UPDATE SKIP LOCKED
          ) c
         WHERE w.workspace_id IS NOT NULL
    ),
    chosen AS (
        SELECT workspace_id, id FROM candidates
         ORDER BY rank, priority DESC, run_at, id
         LIMIT $2
    )
    UPDATE jobs
       SET state = 'running', attempt = jobs.attempt + 1, locked_by = $1,
           locked_at = now(), heartbeat_at = now()
      FROM chosen
     WHERE jobs.workspace_id = chosen.workspace_id AND jobs.id = chosen.id
    RETURNING jobs.*
    $q$ USING worker, max_jobs, per_workspace;
END
$fn$;

CREATE OR REPLACE FUNCTION vigil_claim_jobs(worker text, max_jobs integer) RETURNS SETOF jobs
    LANGUAGE sql VOLATILE SECURITY DEFINER
    SET search_path = public, pg_temp
    AS $$
    SELECT * FROM vigil_claim_jobs(worker, max_jobs, 2147483647);
$$;

REVOKE EXECUTE ON FUNCTION vigil_claim_jobs(text, integer, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION vigil_claim_jobs(text, integer, integer) TO vigil_app;
