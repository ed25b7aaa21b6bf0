-- Tenant offboarding (issue 18): `vigil workspace delete` erases every row of one workspace.
--
-- The function finds the tenant tables itself — every table in the schema with a workspace_id
-- column, partitions reached through their parent — so a table added by a later migration is
-- covered without touching this one. It counts each table's rows first (foreign keys cascade,
-- so a child's rows may go with its parent's), deletes, counts again, and reports both: the
-- certificate says what was found and that nothing remains. Last the workspace row itself goes.
--
-- (The columns are not called found/remaining: FOUND is PL/pgSQL's own boolean.)
--
-- SECURITY DEFINER as the owner (row-level security is forced on tenant tables, so the
-- workspace is set for the transaction first), and executable by nobody but the owner: the API
-- and worker (vigil_app) cannot call it; the CLI switches to vigil_owner for this one call.
SET LOCAL ROLE vigil_owner;

CREATE FUNCTION vigil_erase_workspace(target uuid)
RETURNS TABLE (table_name text, rows_found bigint, rows_remaining bigint)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    tenant_tables text[];
    t text;
    counts jsonb := '{}';
    n bigint;
BEGIN
    PERFORM set_config('vigil.workspace_id', target::text, true);
    SELECT array_agg(c.relname ORDER BY c.relname) INTO tenant_tables
    FROM pg_class c
    JOIN pg_namespace ns ON ns.oid = c.relnamespace AND ns.nspname = 'public'
    JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'workspace_id' AND NOT a.attisdropped
    WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition;

    FOREACH t IN ARRAY tenant_tables LOOP
        EXECUTE format('SELECT count(*) FROM %I WHERE workspace_id = $1', t) USING target INTO n;
        counts := counts || jsonb_build_object(t, n);
    END LOOP;
    FOREACH t IN ARRAY tenant_tables LOOP
        EXECUTE format('DELETE FROM %I WHERE workspace_id = $1', t) USING target;
    END LOOP;
    FOREACH t IN ARRAY tenant_tables LOOP
        EXECUTE format('SELECT count(*) FROM %I WHERE workspace_id = $1', t) USING target INTO n;
        table_name := t; rows_found := (counts ->> t)::bigint; rows_remaining := n;
        RETURN NEXT;
    END LOOP;

    DELETE FROM workspaces WHERE id = target;
    GET DIAGNOSTICS n = ROW_COUNT;
    table_name := 'workspaces'; rows_found := n; rows_remaining := (SELECT count(*) FROM workspaces WHERE id = target);
    RETURN NEXT;
END
$$;

REVOKE ALL ON FUNCTION vigil_erase_workspace(uuid) FROM PUBLIC;
