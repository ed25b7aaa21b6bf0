-- Partition drops per retention class (issue 14, item 5). Daily partitions used to go only once
-- they were expired for the workspace keeping that class longest, so one workspace whose
-- operator raised its retention above the platform maximum (VIGIL_LIMIT_RETENTION_DAYS) kept
-- every day's partition alive for everyone: years of daily partitions, every other tenant's
-- rows deleted row by row.
--
-- Now a day's partition goes once it is expired for every workspace of the standard class
-- (retention at most the platform maximum). The rows of the extended class — the workspaces
-- the operator allowed to keep the class longer — move first into the table's DEFAULT
-- partition, where row-by-row retention removes them at their own limit. A DEFAULT partition
-- catches only rows for which no daily partition exists, and the "horizon" keeps it that way:
--
--   * partitioned_tables.dropped_before is the start of the day of the last drop's cutoff (every
--     day before it is expired for the standard class); no daily partition is ever created for
--     a day ending at or before it (vigil_ensure_partitions
--     skips such days, so a backfill of an extended workspace lands in the DEFAULT partition);
--   * the DEFAULT partition has CHECK (<time> < horizon): a row at or after the horizon that
--     found no daily partition is refused instead of hiding there, and once validated the
--     constraint lets PostgreSQL create new daily partitions without scanning it.
--
-- Backward-compatible: the previous release keeps calling the two-argument drop function,
-- which now drops as it did (it moves nothing, and keeps the horizon), and its ensure calls
-- behave as before for every day after the horizon.
-- vigil: backward-compatible
SET LOCAL ROLE vigil_owner;

ALTER TABLE partitioned_tables ADD COLUMN time_column text NOT NULL DEFAULT 'ts';
ALTER TABLE partitioned_tables ADD COLUMN dropped_before timestamptz;

DO $$
DECLARE
    t record;
BEGIN
    FOR t IN SELECT parent, time_column FROM partitioned_tables LOOP
        EXECUTE format('CREATE TABLE %I PARTITION OF %I DEFAULT', t.parent || '_default', t.parent);
        -- Nothing may land there until a first day was dropped.
        EXECUTE format('ALTER TABLE %I ADD CONSTRAINT %I CHECK (%I < %L)',
                       t.parent || '_default', t.parent || '_horizon', t.time_column, '-infinity');
    END LOOP;
END
$$;

-- As in 0004, but never for a day at or before the horizon.
CREATE OR REPLACE FUNCTION vigil_ensure_partitions(parent_table text, first_day date, days integer) RETURNS SETOF text
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = public, pg_temp
    AS $$
DECLARE
    day date;
    partition_name text;
    horizon timestamptz;
BEGIN
    SELECT dropped_before INTO horizon FROM partitioned_tables WHERE parent = parent_table;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'table % is not a registered partitioned table', parent_table USING ERRCODE = '22023';
    END IF;
    FOR i IN 0 .. days - 1 LOOP
        day := first_day + i;
        CONTINUE WHEN horizon IS NOT NULL AND ((day + 1)::timestamp AT TIME ZONE 'UTC') <= horizon;
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

-- Drops the daily partitions of `parent` that end at or before `cutoff`, first moving the rows
-- of the workspaces in `keep` (the extended class) into the DEFAULT partition. Returns, per
-- partition, the rows removed per workspace (moved rows are not removed) and one row with a
-- NULL workspace marking the drop. Advances the horizon; its constraint is left NOT VALID
-- (enforced for new rows) until vigil_validate_partition_horizons() runs.
CREATE FUNCTION vigil_drop_expired_partitions(parent_table text, cutoff timestamptz, keep uuid[])
    RETURNS TABLE (partition_name text, workspace_id uuid, removed bigint)
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = public, pg_temp
    AS $$
DECLARE
    child record;
    day date;
    spec record;
    new_horizon timestamptz;
    default_name text := parent_table || '_default';
BEGIN
    SELECT p.time_column, p.dropped_before INTO spec FROM partitioned_tables p WHERE p.parent = parent_table;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'table % is not a registered partitioned table', parent_table USING ERRCODE = '22023';
    END IF;
    -- A table registered after this migration gets its DEFAULT partition on its first drop.
    IF to_regclass(default_name) IS NULL THEN
        EXECUTE format('CREATE TABLE %I PARTITION OF %I DEFAULT', default_name, parent_table);
        EXECUTE format('ALTER TABLE %I ADD CONSTRAINT %I CHECK (%I < %L)',
                       default_name, parent_table || '_horizon', spec.time_column, '-infinity');
    END IF;
    -- Every day ending at or before the cutoff is expired for the standard class: the horizon
    -- moves to the start of the cutoff's day, dropped partitions or not, so a backfill of an
    -- older day goes to the DEFAULT partition instead of creating a partition due for dropping.
    new_horizon := greatest(date_trunc('day', cutoff AT TIME ZONE 'UTC') AT TIME ZONE 'UTC', spec.dropped_before);
    IF new_horizon IS NOT DISTINCT FROM spec.dropped_before AND NOT EXISTS (
        SELECT 1 FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
         WHERE i.inhparent = parent_table::regclass AND c.relname ~ ('^' || parent_table || '_p[0-9]{8}$')
           AND ((to_date(right(c.relname, 8), 'YYYYMMDD') + 1)::timestamp AT TIME ZONE 'UTC') <= cutoff
    ) THEN
        RETURN;
    END IF;
    -- Widen the DEFAULT partition's bound first, so the moved rows fit; NOT VALID still
    -- checks every row written from now on.
    EXECUTE format('ALTER TABLE %I DROP CONSTRAINT %I', default_name, parent_table || '_horizon');
    EXECUTE format('ALTER TABLE %I ADD CONSTRAINT %I CHECK (%I < %L) NOT VALID',
                   default_name, parent_table || '_horizon', spec.time_column, new_horizon);
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
                'SELECT %L::text, p.workspace_id, count(*) FROM %I p WHERE NOT (p.workspace_id = ANY ($1)) GROUP BY p.workspace_id',
                child.relname, child.relname) USING keep;
            IF cardinality(keep) > 0 THEN
                -- Detached, the day's range is no daily partition's any more, so the DEFAULT
                -- partition accepts its rows (inserted into it directly: the parent's
                -- row-level security is for tenants, not for this move).
                EXECUTE format('ALTER TABLE %I DETACH PARTITION %I', parent_table, child.relname);
                EXECUTE format('INSERT INTO %I SELECT * FROM %I p WHERE p.workspace_id = ANY ($1)', default_name, child.relname)
                    USING keep;
            END IF;
            EXECUTE format('DROP TABLE %I', child.relname);
            partition_name := child.relname; workspace_id := NULL; removed := 0;
            RETURN NEXT;   -- marks the drop even when the partition was empty
        END IF;
    END LOOP;
    UPDATE partitioned_tables SET dropped_before = new_horizon WHERE parent = parent_table;
END
$$;

-- Validates each DEFAULT partition's horizon constraint (a scan of that partition only, under a
-- lock that lets reads and writes go on), so creating a daily partition need not scan it.
CREATE FUNCTION vigil_validate_partition_horizons() RETURNS void
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = public, pg_temp
    AS $$
DECLARE
    t record;
BEGIN
    FOR t IN SELECT parent FROM partitioned_tables WHERE to_regclass(parent || '_default') IS NOT NULL LOOP
        EXECUTE format('ALTER TABLE %I VALIDATE CONSTRAINT %I', t.parent || '_default', t.parent || '_horizon');
    END LOOP;
END
$$;

REVOKE ALL ON FUNCTION vigil_drop_expired_partitions(text, timestamptz, uuid[]), vigil_validate_partition_horizons() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION vigil_drop_expired_partitions(text, timestamptz, uuid[]), vigil_validate_partition_horizons() TO vigil_worker;
