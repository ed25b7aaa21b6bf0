-- Exactly-once intake (issue 14): the `Idempotency-Key` a client sends on metric ingest, KPI
-- events, alert creation and compliance report requests. One row per workspace, operation and
-- key, written in the same transaction as the write it answers, so a commit whose answer was
-- lost and the client's retry can never both apply: the retry finds the row and gets the
-- stored answer (status and body) back. A concurrent request with the same key waits on the
-- primary key until the first commits or rolls back.
--
-- Rows live 24 hours (expires_at); lookups ignore expired rows, and the worker's
-- retention.cleanup deletes them (RetentionTarget `idempotency_keys`, by created_at). The body
-- is the answer, never the request: the request is kept only as a SHA-256 fingerprint.
--
-- Only adds a table the previous release never touches: it runs unchanged against this schema.
-- vigil: backward-compatible
SET LOCAL ROLE vigil_owner;

CREATE TABLE idempotency_keys (
    workspace_id     uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    operation        text NOT NULL CHECK (operation IN ('ingest_metrics', 'record_kpi_events', 'create_alert', 'create_compliance_report')),
    key              text NOT NULL CHECK (octet_length(key) BETWEEN 1 AND 255 AND key ~ '^[!-~]+$'),
    fingerprint      text NOT NULL CHECK (fingerprint ~ '^[0-9a-f]{64}$'),
    response_status  integer NOT NULL CHECK (response_status BETWEEN 200 AND 299),
    response_body    bytea NOT NULL,
    created_at       timestamptz NOT NULL,
    expires_at       timestamptz NOT NULL,
    PRIMARY KEY (workspace_id, operation, key)
);
-- Serves the retention delete (oldest first, per workspace).
CREATE INDEX idempotency_keys_created ON idempotency_keys (workspace_id, created_at);

ALTER TABLE idempotency_keys ENABLE ROW LEVEL SECURITY;
ALTER TABLE idempotency_keys FORCE ROW LEVEL SECURITY;
CREATE POLICY workspace_isolation ON idempotency_keys
    USING (workspace_id = vigil_current_workspace()) WITH CHECK (workspace_id = vigil_current_workspace());
GRANT SELECT, INSERT, UPDATE, DELETE ON idempotency_keys TO vigil_app;
