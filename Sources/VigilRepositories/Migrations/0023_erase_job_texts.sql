-- GDPR erasure reaches job rows (issue 16): a job's arguments and last error may quote what
-- a tenant sent (a webhook's error text, an id in the arguments). The runtime role may only
-- read and insert jobs, so the erasure rewrites them through this function, which is confined
-- to the current workspace (the transaction's `vigil.workspace_id`), changes nothing but the
-- two texts, and leaves the arguments of a job that may still run alone: rewriting what a
-- pending job will do is not erasure's business (the certificate counts those as remaining).
--
-- Only adds a function the previous release never calls: it runs unchanged against this schema.
-- vigil: backward-compatible
SET LOCAL ROLE vigil_owner;

CREATE FUNCTION vigil_erase_job_texts(job_id bigint, new_args jsonb, new_error text) RETURNS boolean
LANGUAGE sql SECURITY DEFINER
    SET search_path = public, pg_temp
    AS $$
    WITH changed AS (
        UPDATE jobs
           SET args = CASE WHEN state IN ('succeeded', 'discarded', 'cancelled') THEN new_args ELSE args END,
               last_error = new_error
         WHERE workspace_id = vigil_current_workspace() AND id = job_id
        RETURNING 1
    )
    SELECT EXISTS (SELECT 1 FROM changed);
$$;

REVOKE ALL ON FUNCTION vigil_erase_job_texts(bigint, jsonb, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION vigil_erase_job_texts(bigint, jsonb, text) TO vigil_app;
