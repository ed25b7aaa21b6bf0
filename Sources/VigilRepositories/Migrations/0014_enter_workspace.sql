-- One statement to open a tenant transaction and re-check the caller's key (issue 17).
--
-- An API process caches keys it has verified, so a request no longer runs a transaction of its
-- own for the key check. Revocation must still take effect at once on every process: the
-- request's own transaction starts with vigil_enter_workspace(workspace, key), sent together
-- with BEGIN in one round trip, which sets vigil.workspace_id for the transaction (as
-- set_config(…, true) did) and raises SQLSTATE VG401 when the key has been revoked or deleted.
-- The lookup runs under row-level security with the workspace just set (no SECURITY DEFINER):
-- the function can see nothing the caller could not. Expiry is checked by the API from the
-- cached expires_at (it never changes), not here, so the API's clock stays the one that counts.
SET LOCAL ROLE vigil_owner;

CREATE FUNCTION vigil_enter_workspace(ws uuid, key_id uuid) RETURNS void
LANGUAGE plpgsql VOLATILE AS $$
BEGIN
    PERFORM set_config('vigil.workspace_id', ws::text, true);
    IF key_id IS NOT NULL AND NOT EXISTS (
        SELECT 1 FROM api_keys WHERE workspace_id = ws AND id = key_id AND revoked_at IS NULL
    ) THEN
        RAISE EXCEPTION 'the API key was revoked' USING ERRCODE = 'VG401';
    END IF;
END
$$;

REVOKE ALL ON FUNCTION vigil_enter_workspace(uuid, uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION vigil_enter_workspace(uuid, uuid) TO vigil_app;
