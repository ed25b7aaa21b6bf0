-- Security intelligence (issue 16): reported security events, per-address threat state and
-- blocks, the block log, detected attacks, and which workspaces had recent events.
--
-- security_events is append-only and partitioned by day like metric_points (retention drops
-- whole days, class security_events). source_ip holds the address as the workspace's
-- redaction policy allows it: the address itself, or its pseudonym token in pseudonymize mode.
-- security_ips keeps the score as of score_at (readers decay it; no job rewrites it) and the
-- clear network, which blocking needs; source_key is what the events hold for it.
-- vigil: backward-compatible
SET LOCAL ROLE vigil_owner;

-- The `edge` key role reads only the blocklist. (The previous release does not know the role:
-- an edge key created during a rollback window cannot authenticate against it.)
ALTER TABLE api_keys DROP CONSTRAINT api_keys_role_check;
ALTER TABLE api_keys ADD CONSTRAINT api_keys_role_check CHECK (role IN ('admin', 'member', 'viewer', 'ingest', 'edge'));

CREATE TABLE security_events (
    workspace_id    uuid NOT NULL,
    id              uuid NOT NULL,
    ts              timestamptz NOT NULL,
    received_at     timestamptz NOT NULL,
    kind            text NOT NULL CHECK (kind IN ('sql_injection', 'graphql_rejection', 'csrf_violation', 'origin_violation',
                                                  'rate_limit', 'auth_failure', 'websocket_rejection')),
    sub_kind        text,
    source_ip       text,
    user_agent      text,
    endpoint        text,
    user_ref        text,
    correlation_id  text,
    details         jsonb NOT NULL CHECK (jsonb_typeof(details) = 'object'),
    PRIMARY KEY (workspace_id, ts, id)
) PARTITION BY RANGE (ts);
-- An address's history and the detectors' per-source counts.
CREATE INDEX security_events_by_source ON security_events (workspace_id, source_ip, ts);

CREATE TABLE security_ips (
    workspace_id   uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    network        inet NOT NULL,
    source_key     text NOT NULL,
    score          double precision NOT NULL CHECK (score >= 0),
    score_at       timestamptz NOT NULL,
    events         bigint NOT NULL DEFAULT 0,
    last_event_at  timestamptz,
    blocked_until  timestamptz,
    block_source   text CHECK (block_source IN ('automatic', 'manual')),
    block_reason   text,
    blocked_at     timestamptz,
    exempt_until   timestamptz,
    updated_at     timestamptz NOT NULL,
    PRIMARY KEY (workspace_id, network),
    UNIQUE (workspace_id, source_key)
);
-- The blocklist: blocks not yet expired.
CREATE INDEX security_ips_blocked ON security_ips (workspace_id, blocked_until) WHERE blocked_until IS NOT NULL;

CREATE TABLE security_block_log (
    workspace_id  uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    id            uuid NOT NULL,
    network       inet NOT NULL,
    action        text NOT NULL CHECK (action IN ('block', 'unblock')),
    source        text NOT NULL CHECK (source IN ('automatic', 'manual')),
    reason        text NOT NULL,
    until         timestamptz,
    actor         text NOT NULL,
    at            timestamptz NOT NULL,
    PRIMARY KEY (workspace_id, id)
);
CREATE INDEX security_block_log_by_network ON security_block_log (workspace_id, network, at DESC);

CREATE TABLE security_detections (
    workspace_id  uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    id            uuid NOT NULL,
    kind          text NOT NULL CHECK (kind IN ('graphql_complexity_attack', 'websocket_flood', 'credential_stuffing', 'sql_injection_campaign')),
    subject       text NOT NULL,
    sources       text[] NOT NULL,
    evidence      jsonb NOT NULL CHECK (jsonb_typeof(evidence) = 'object'),
    window_start  timestamptz NOT NULL,
    detected_at   timestamptz NOT NULL,
    alert_id      uuid,
    PRIMARY KEY (workspace_id, id),
    -- One finding per kind and subject per 15-minute window: overlapping scans do not repeat it.
    UNIQUE (workspace_id, kind, subject, window_start)
);
CREATE INDEX security_detections_newest ON security_detections (workspace_id, detected_at DESC, id DESC);

-- Which workspaces had events lately: the scan's fan-out reads this instead of the events.
CREATE TABLE security_activity (
    workspace_id   uuid PRIMARY KEY REFERENCES workspaces (id) ON DELETE CASCADE,
    last_event_at  timestamptz NOT NULL
);

ALTER TABLE security_events ENABLE ROW LEVEL SECURITY;
ALTER TABLE security_events FORCE ROW LEVEL SECURITY;
ALTER TABLE security_ips ENABLE ROW LEVEL SECURITY;
ALTER TABLE security_ips FORCE ROW LEVEL SECURITY;
ALTER TABLE security_block_log ENABLE ROW LEVEL SECURITY;
ALTER TABLE security_block_log FORCE ROW LEVEL SECURITY;
ALTER TABLE security_detections ENABLE ROW LEVEL SECURITY;
ALTER TABLE security_detections FORCE ROW LEVEL SECURITY;
ALTER TABLE security_activity ENABLE ROW LEVEL SECURITY;
ALTER TABLE security_activity FORCE ROW LEVEL SECURITY;
CREATE POLICY workspace_isolation ON security_events
    USING (workspace_id = vigil_current_workspace()) WITH CHECK (workspace_id = vigil_current_workspace());
CREATE POLICY workspace_isolation ON security_ips
    USING (workspace_id = vigil_current_workspace()) WITH CHECK (workspace_id = vigil_current_workspace());
CREATE POLICY workspace_isolation ON security_block_log
    USING (workspace_id = vigil_current_workspace()) WITH CHECK (workspace_id = vigil_current_workspace());
CREATE POLICY workspace_isolation ON security_detections
    USING (workspace_id = vigil_current_workspace()) WITH CHECK (workspace_id = vigil_current_workspace());
CREATE POLICY workspace_isolation ON security_activity
    USING (workspace_id = vigil_current_workspace()) WITH CHECK (workspace_id = vigil_current_workspace());
-- Events are append-only for the app: no UPDATE.
GRANT SELECT, INSERT, DELETE ON security_events TO vigil_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON security_ips TO vigil_app;
GRANT SELECT, INSERT, DELETE ON security_block_log TO vigil_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON security_detections TO vigil_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON security_activity TO vigil_app;

INSERT INTO partitioned_tables (parent, data_class) VALUES ('security_events', 'security_events');
SELECT vigil_ensure_partitions('security_events', (now() AT TIME ZONE 'UTC')::date - 8, 16);

-- The scan's fan-out, as for anomaly detectors (0017): ids only, through the owner's own policy.
CREATE POLICY owner_fanout ON security_activity FOR SELECT TO vigil_owner USING (true);
CREATE FUNCTION vigil_workspaces_with_security_activity(since timestamptz) RETURNS SETOF uuid
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = public, pg_temp
    AS $$
    SELECT workspace_id FROM security_activity WHERE last_event_at >= since;
$$;
REVOKE ALL ON FUNCTION vigil_workspaces_with_security_activity(timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION vigil_workspaces_with_security_activity(timestamptz) TO vigil_app;
