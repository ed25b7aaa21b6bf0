-- Alerts: the alerts themselves, their timeline, the notification ledger, and the alerting
-- configuration (channels, routes, escalation policies, silences, inhibition rules).
--
-- Every transition is a compare-and-set on alerts.version, committed together with the jobs it
-- schedules (notifications, escalation steps), so concurrent acknowledge/resolve calls cannot
-- corrupt the state and no timer lives in memory. One open alert per fingerprint is enforced by
-- a partial unique index, so concurrent creates of the same alert deduplicate too.
SET LOCAL ROLE vigil_owner;

CREATE TABLE alerts (
    workspace_id          uuid NOT NULL,
    id                    uuid NOT NULL,
    fingerprint           text NOT NULL,
    title                 text NOT NULL,
    message               text NOT NULL DEFAULT '',
    severity              text NOT NULL CHECK (severity IN ('info', 'low', 'medium', 'high', 'critical')),
    source                text NOT NULL,
    labels                jsonb NOT NULL DEFAULT '{}',
    annotations           jsonb NOT NULL DEFAULT '{}',
    state                 text NOT NULL CHECK (state IN ('triggered', 'acknowledged', 'resolved')),
    version               integer NOT NULL DEFAULT 1,          -- bumped by every change (CAS)
    occurrence_count      integer NOT NULL DEFAULT 1,
    triggered_at          timestamptz NOT NULL,
    last_seen_at          timestamptz NOT NULL,
    acknowledged_at       timestamptz,
    acknowledged_by       text,
    resolved_at           timestamptz,
    resolved_by           text,
    -- The escalation policy as it stood when the alert triggered (EscalationPolicy as JSON).
    escalation_policy_id  uuid,
    escalation_policy     jsonb,
    escalation_loop       integer,
    escalation_level      integer,
    -- Bumped whenever escalation restarts or stops; queued escalation jobs carry the value they
    -- were scheduled under and do nothing once it moved on.
    escalation_generation integer NOT NULL DEFAULT 0,
    storm_suppressed      boolean NOT NULL DEFAULT false,
    created_at            timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (workspace_id, id)
);
CREATE UNIQUE INDEX alerts_one_open_per_fingerprint ON alerts (workspace_id, fingerprint) WHERE state <> 'resolved';
CREATE INDEX alerts_by_fingerprint ON alerts (workspace_id, fingerprint, resolved_at DESC);
CREATE INDEX alerts_listing ON alerts (workspace_id, triggered_at DESC, id DESC);
CREATE INDEX alerts_open ON alerts (workspace_id, state) WHERE state <> 'resolved';

-- The timeline: every state change, occurrence, escalation and suppression.
CREATE TABLE alert_events (
    workspace_id  uuid NOT NULL,
    id            bigint GENERATED ALWAYS AS IDENTITY,
    alert_id      uuid NOT NULL,
    at            timestamptz NOT NULL,
    kind          text NOT NULL,
    actor         text NOT NULL,
    note          text,
    from_state    text,
    to_state      text,
    details       jsonb NOT NULL DEFAULT '{}',
    PRIMARY KEY (workspace_id, id),
    FOREIGN KEY (workspace_id, alert_id) REFERENCES alerts (workspace_id, id) ON DELETE CASCADE
);
CREATE INDEX alert_events_by_alert ON alert_events (workspace_id, alert_id, id);

-- The notification ledger: one row per delivery attempt (or suppression). alert_id is null for
-- storm summaries. idempotency_key names the delivery (alert, event, channel); it is sent to the
-- receiver and a 'sent' row for it stops any retry from sending again.
CREATE TABLE notifications (
    workspace_id     uuid NOT NULL,
    id               bigint GENERATED ALWAYS AS IDENTITY,
    alert_id         uuid,
    channel_id       uuid,
    channel_kind     text,
    event            text NOT NULL,
    idempotency_key  text NOT NULL,
    attempt          integer NOT NULL DEFAULT 1,
    status           text NOT NULL CHECK (status IN ('sent', 'failed', 'suppressed', 'skipped')),
    status_code      integer,
    error            text,
    duration_ms      double precision,
    payload_sha256   text,
    created_at       timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (workspace_id, id)
);
CREATE INDEX notifications_by_alert ON notifications (workspace_id, alert_id, id);
CREATE INDEX notifications_listing ON notifications (workspace_id, id DESC);
-- At most one successful send per delivery: the backstop behind the "already sent" check.
CREATE UNIQUE INDEX notifications_sent_once ON notifications (workspace_id, idempotency_key) WHERE status = 'sent';

-- New alerts per workspace and minute, for the storm guard.
CREATE TABLE alert_storm_minutes (
    workspace_id  uuid NOT NULL,
    minute        bigint NOT NULL,          -- minutes since 1970 (StormGuard.minute)
    created       integer NOT NULL DEFAULT 0,
    suppressed    integer NOT NULL DEFAULT 0,
    group_keys    text[] NOT NULL DEFAULT '{}',   -- one entry per suppressed alert
    PRIMARY KEY (workspace_id, minute)
);

-- Configuration documents. `spec` is the validated, non-secret definition (see the Swift types
-- in VigilCore/Alerts); channels keep their secrets in a separate column the API never returns.
CREATE TABLE notification_channels (
    workspace_id  uuid NOT NULL,
    id            uuid NOT NULL,
    name          text NOT NULL,
    kind          text NOT NULL CHECK (kind IN ('webhook', 'slack', 'pagerduty', 'email')),
    spec          jsonb NOT NULL,
    secrets       jsonb NOT NULL DEFAULT '{}',
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (workspace_id, id),
    UNIQUE (workspace_id, name)
);

CREATE TABLE notification_routes (
    workspace_id  uuid NOT NULL,
    id            uuid NOT NULL,
    spec          jsonb NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (workspace_id, id)
);

CREATE TABLE escalation_policies (
    workspace_id  uuid NOT NULL,
    id            uuid NOT NULL,
    spec          jsonb NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (workspace_id, id)
);

CREATE TABLE silences (
    workspace_id  uuid NOT NULL,
    id            uuid NOT NULL,
    spec          jsonb NOT NULL,
    starts_at     timestamptz NOT NULL,
    ends_at       timestamptz NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (workspace_id, id)
);
CREATE INDEX silences_active ON silences (workspace_id, ends_at);

CREATE TABLE inhibit_rules (
    workspace_id  uuid NOT NULL,
    id            uuid NOT NULL,
    spec          jsonb NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (workspace_id, id)
);

DO $$
DECLARE t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['alerts', 'alert_events', 'notifications', 'alert_storm_minutes', 'notification_channels',
                             'notification_routes', 'escalation_policies', 'silences', 'inhibit_rules'] LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
        EXECUTE format('CREATE POLICY workspace_isolation ON %I USING (workspace_id = vigil_current_workspace()) '
                       'WITH CHECK (workspace_id = vigil_current_workspace())', t);
        EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON %I TO vigil_app', t);
    END LOOP;
END
$$;
