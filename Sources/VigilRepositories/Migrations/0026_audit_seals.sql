-- The audit log is retained by sealing (issue 14, item 6). Rows past a workspace's
-- `retention_days.audit_log` are not simply deleted: the worker first exports them as a signed
-- chain segment (a JSON document holding the rows, their hashes and an Ed25519 signature over
-- the segment's manifest), stores it here, and only then deletes the rows, in the same
-- transaction. Verification of the live log then starts from the newest seal's head hash
-- instead of the genesis hash, and the segments can be downloaded and verified offline
-- (`vigil audit verify-segment`).
--
-- The manifest columns are kept for good: they are what verification starts from. The segment
-- body is kept for a limited time (`segment` set to NULL by the worker afterwards), so old
-- rows really leave the database; operators archive the downloaded segments.
--
-- Privileges: the API (vigil_app) only reads seals. Only the worker inserts a seal, discards or
-- rewrites a body (GDPR erasure redacts details inside stored segments), and deletes sealed rows, and it deletes rows only through vigil_prune_sealed_audit,
-- which refuses to delete any row not covered by a stored seal whose head hash is that row's.
-- The audit log stays append-only for the API.
--
-- Not backward-compatible: the previous release verifies every chain from seq 1 and the
-- genesis hash, so once rows are sealed and pruned it would report a sequence gap.
SET LOCAL ROLE vigil_owner;

CREATE TABLE audit_seals (
    workspace_id        uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    id                  uuid NOT NULL,
    seq_from            bigint NOT NULL,
    seq_to              bigint NOT NULL,
    row_count           bigint NOT NULL,
    prev_hash           text NOT NULL CHECK (prev_hash ~ '^[0-9a-f]{64}$'),
    head_hash           text NOT NULL CHECK (head_hash ~ '^[0-9a-f]{64}$'),
    first_occurred_at   timestamptz NOT NULL,
    last_occurred_at    timestamptz NOT NULL,
    sealed_at           timestamptz NOT NULL,
    key_id              text NOT NULL,
    public_key          text NOT NULL,
    signature           text NOT NULL,
    segment_sha256      text NOT NULL CHECK (segment_sha256 ~ '^[0-9a-f]{64}$'),
    segment_bytes       bigint NOT NULL CHECK (segment_bytes > 0),
    segment             bytea,
    segment_discarded_at timestamptz,
    PRIMARY KEY (workspace_id, id),
    UNIQUE (workspace_id, seq_to),
    CHECK (seq_from >= 1 AND seq_from <= seq_to AND row_count = seq_to - seq_from + 1),
    CHECK ((segment IS NULL) = (segment_discarded_at IS NOT NULL))
);

ALTER TABLE audit_seals ENABLE ROW LEVEL SECURITY;
ALTER TABLE audit_seals FORCE ROW LEVEL SECURITY;
CREATE POLICY workspace_isolation ON audit_seals
    USING (workspace_id = vigil_current_workspace())
    WITH CHECK (workspace_id = vigil_current_workspace());

GRANT SELECT ON audit_seals TO vigil_app;
GRANT INSERT ON audit_seals TO vigil_worker;
-- A body is discarded after its keep period, or rewritten by a subject erasure (details only:
-- the rows' hashes, and so the signed manifest, stay valid).
GRANT UPDATE (segment, segment_discarded_at, segment_sha256, segment_bytes) ON audit_seals TO vigil_worker;

-- Deletes the current workspace's audit rows up to `upto_seq`, only when a seal ends exactly
-- there and its head hash is the stored row's hash: the rows deleted are the rows sealed.
-- Runs as the owner (vigil_app has no DELETE on audit_log); the workspace is the caller's
-- transaction setting, so it prunes nothing of another workspace.
CREATE FUNCTION vigil_prune_sealed_audit(upto_seq bigint) RETURNS bigint
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    ws uuid := vigil_current_workspace();
    removed bigint;
BEGIN
    IF ws IS NULL THEN
        RAISE EXCEPTION 'no workspace is set for this transaction';
    END IF;
    IF NOT EXISTS (
        SELECT 1 FROM audit_seals s JOIN audit_log a ON a.workspace_id = s.workspace_id AND a.seq = s.seq_to
         WHERE s.workspace_id = ws AND s.seq_to = upto_seq AND a.row_hash = s.head_hash
    ) THEN
        RAISE EXCEPTION 'no seal ends at audit row % of this workspace', upto_seq;
    END IF;
    DELETE FROM audit_log WHERE workspace_id = ws AND seq <= upto_seq;
    GET DIAGNOSTICS removed = ROW_COUNT;
    RETURN removed;
END
$$;

REVOKE ALL ON FUNCTION vigil_prune_sealed_audit(bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION vigil_prune_sealed_audit(bigint) TO vigil_worker;
