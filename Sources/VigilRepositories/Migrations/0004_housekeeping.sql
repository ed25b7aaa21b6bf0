-- Housekeeping and operations for the job queue, plus daily time partitions.
--
-- Like migration 0002, everything that must reach across workspaces is a SECURITY DEFINER
-- function owned by vigil_owner; vigil_app may only EXECUTE it.
SET LOCAL ROLE vigil_owner;

-- Settles many successes in one statement: a worker running thousands of short jobs a second
-- would otherwise pay a transaction (and a WAL flush) per job. Returns the jobs that were
-- still this worker's (others were rescued or released meanwhile: their result is dropped).
-- locked_by and locked_at stay: who ran the job, and when its last attempt started.
CREATE FUNCTION vigil_complete_jobs(ws uuid[], job_ids bigint[], worker text)
    RETURNS TABLE (workspace_id uuid, id bigint)
    LANGUAGE sql VOLATILE SECURITY DEFINER
    SET search_path = public, pg_temp
    AS $$
    UPDATE jobs j
       SET state = 'succeeded', finished_at = now(), heartbeat_at = NULL
      FROM unnest(ws, job_ids) AS done(workspace_id, id)
     WHERE j.workspace_id = done.workspace_id AND j.id = done.id AND j.state = 'running' AND j.locked_by = worker
    RETURNING j.workspace_id, j.id;
$$;

-- Pending work by kind and state, for the worker's /metrics. Only unfinished states: they are
-- served by the partial indexes, however many finished jobs the table holds.
CREATE FUNCTION vigil_job_counts() RETURNS TABLE (kind text, state text, jobs bigint)
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = public, pg_temp
    AS $$
    SELECT j.kind, j.state, count(*) FROM jobs j
     WHERE j.state IN ('available', 'retryable', 'running')
     GROUP BY j.kind, j.state;
$$;

-- Operators' view across workspaces (`vigil jobs list`): newest first, keyset-paginated by id.
-- NULL arguments mean "any".
CREATE FUNCTION vigil_list_jobs(ws uuid, wanted_state text, wanted_kind text, before_id bigint, max_rows integer)
    RETURNS SETOF jobs
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = public, pg_temp
    AS $$
    SELECT * FROM jobs j
     WHERE (ws IS NULL OR j.workspace_id = ws)
       AND (wanted_state IS NULL OR j.state = wanted_state)
       AND (wanted_kind IS NULL OR j.kind = wanted_kind)
       AND (before_id IS NULL OR j.id < before_id)
     ORDER BY j.id DESC
     LIMIT max_rows;
$$;

CREATE FUNCTION vigil_find_job(job_id bigint) RETURNS SETOF jobs
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = public, pg_temp
    AS $$
    SELECT * FROM jobs WHERE id = job_id;
$$;

-- Runs a discarded, cancelled or retryable job again now, with one more attempt allowed.
-- Returns the job's state afterwards ('available'), or its unchanged state when it cannot be
-- retried (running, succeeded, available), or NULL when there is no such job. A pending job
-- with the same unique key makes this fail with unique_violation (23505).
CREATE FUNCTION vigil_retry_job(job_id bigint) RETURNS text
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = public, pg_temp
    AS $$
DECLARE
    current_state text;
    job_kind text;
BEGIN
    SELECT state, kind INTO current_state, job_kind FROM jobs WHERE id = job_id FOR UPDATE;
    IF NOT FOUND THEN RETURN NULL; END IF;
    IF current_state NOT IN ('discarded', 'cancelled', 'retryable') THEN RETURN current_state; END IF;
    UPDATE jobs
       SET state = 'available', run_at = now(), finished_at = NULL,
           max_attempts = greatest(max_attempts, attempt + 1)
     WHERE id = job_id;
    PERFORM pg_notify('vigil_jobs', job_kind);
    RETURN 'available';
END
$$;

-- Cancels a job that has not started (available or retryable). Returns the job's state
-- afterwards ('cancelled' or its unchanged state), or NULL when there is no such job.
-- A running job cannot be cancelled: it finishes, fails or times out.
CREATE FUNCTION vigil_cancel_job(job_id bigint) RETURNS text
    LANGUAGE sql VOLATILE SECURITY DEFINER
    SET search_path = public, pg_temp
    AS $$
    WITH target AS (SELECT state FROM jobs WHERE id = job_id FOR UPDATE),
         cancelled AS (
            UPDATE jobs SET state = 'cancelled', finished_at = now()
             WHERE id = job_id AND state IN ('available', 'retryable')
            RETURNING state)
    SELECT coalesce((SELECT state FROM cancelled), (SELECT state FROM target));
$$;

-- Retention of the queue itself: deletes up to max_rows finished jobs (succeeded, discarded,
-- cancelled) that finished before `cutoff`, and reports how many per workspace.
CREATE FUNCTION vigil_prune_finished_jobs(cutoff timestamptz, max_rows integer)
    RETURNS TABLE (workspace_id uuid, removed bigint)
    LANGUAGE sql VOLATILE SECURITY DEFINER
    SET search_path = public, pg_temp
    AS $$
    WITH doomed AS (
        SELECT j.workspace_id, j.id FROM jobs j
         WHERE j.state IN ('succeeded', 'discarded', 'cancelled') AND j.finished_at < cutoff
         LIMIT max_rows
    ), deleted AS (
        DELETE FROM jobs j USING doomed d
         WHERE j.workspace_id = d.workspace_id AND j.id = d.id
        RETURNING j.workspace_id
    )
    SELECT deleted.workspace_id, count(*) FROM deleted GROUP BY deleted.workspace_id;
$$;

CREATE INDEX jobs_finished ON jobs (finished_at) WHERE state IN ('succeeded', 'discarded', 'cancelled');

-- Time-partitioned tables register here; only these may be extended or have partitions
-- dropped through the functions below. Partitions are daily, named <parent>_pYYYYMMDD.
CREATE TABLE partitioned_tables (
    parent       text PRIMARY KEY,
    data_class   text NOT NULL      -- the retention class that decides when a day expires
);
GRANT SELECT ON partitioned_tables TO vigil_app;

-- Creates the daily partitions of `parent` for [first_day, first_day + days) that do not exist
-- yet. Returns the names created.
CREATE FUNCTION vigil_ensure_partitions(parent_table text, first_day date, days integer) RETURNS SETOF text
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = public, pg_temp
    AS $$
DECLARE
    day date;
    partition_name text;
BEGIN
    IF NOT EXISTS (SELECT 1 FROM partitioned_tables WHERE parent = parent_table) THEN
        RAISE EXCEPTION 'table % is not a registered partitioned table', parent_table USING ERRCODE = '22023';
    END IF;
    FOR i IN 0 .. days - 1 LOOP
        day := first_day + i;
        partition_name := parent_table || '_p' || to_char(day, 'YYYYMMDD');
        IF to_regclass(partition_name) IS NULL THEN
            -- Another worker may create it between the check and here: take a lock per name.
            PERFORM pg_advisory_xact_lock(hashtext(partition_name));
            IF to_regclass(partition_name) IS NULL THEN
                EXECUTE format('CREATE TABLE %I PARTITION OF %I FOR VALUES FROM (%L) TO (%L)',
                               partition_name, parent_table,
                               (day::timestamp AT TIME ZONE 'UTC'), ((day + 1)::timestamp AT TIME ZONE 'UTC'));
                RETURN NEXT partition_name;
            END IF;
        END IF;
    END LOOP;
END
$$;

-- Drops the daily partitions of `parent` that end at or before `cutoff` (every row in them is
-- expired for every workspace), first counting their rows per workspace for the audit log.
CREATE FUNCTION vigil_drop_expired_partitions(parent_table text, cutoff timestamptz)
    RETURNS TABLE (partition_name text, workspace_id uuid, removed bigint)
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = public, pg_temp
    AS $$
DECLARE
    child record;
    day date;
BEGIN
    IF NOT EXISTS (SELECT 1 FROM partitioned_tables WHERE parent = parent_table) THEN
        RAISE EXCEPTION 'table % is not a registered partitioned table', parent_table USING ERRCODE = '22023';
    END IF;
    FOR child IN
        SELECT c.relname FROM pg_inherits i
          JOIN pg_class c ON c.oid = i.inhrelid
         WHERE i.inhparent = parent_table::regclass
           AND c.relname ~ ('^' || parent_table || '_p[0-9]{8}$')
         ORDER BY c.relname
    LOOP
        day := to_date(right(child.relname, 8), 'YYYYMMDD');
        IF ((day + 1)::timestamp AT TIME ZONE 'UTC') <= cutoff THEN
            RETURN QUERY EXECUTE format(
                'SELECT %L::text, p.workspace_id, count(*) FROM %I p GROUP BY p.workspace_id', child.relname, child.relname);
            EXECUTE format('DROP TABLE %I', child.relname);
            partition_name := child.relname; workspace_id := NULL; removed := 0;
            RETURN NEXT;   -- marks the drop even when the partition was empty
        END IF;
    END LOOP;
END
$$;

REVOKE EXECUTE ON FUNCTION vigil_complete_jobs(uuid[], bigint[], text), vigil_job_counts(),
    vigil_list_jobs(uuid, text, text, bigint, integer), vigil_find_job(bigint), vigil_retry_job(bigint),
    vigil_cancel_job(bigint), vigil_prune_finished_jobs(timestamptz, integer),
    vigil_ensure_partitions(text, date, integer), vigil_drop_expired_partitions(text, timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION vigil_complete_jobs(uuid[], bigint[], text), vigil_job_counts(),
    vigil_list_jobs(uuid, text, text, bigint, integer), vigil_find_job(bigint), vigil_retry_job(bigint),
    vigil_cancel_job(bigint), vigil_prune_finished_jobs(timestamptz, integer),
    vigil_ensure_partitions(text, date, integer), vigil_drop_expired_partitions(text, timestamptz) TO vigil_app;
