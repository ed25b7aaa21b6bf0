-- Business KPIs, SLOs and digests.
--
-- KPI events are raw facts; the worker rolls them up per local day and month (in the workspace's
-- time zone) into kpi_rollups, one row per period and dimension set, so reads of past periods
-- merge a few rollup rows instead of scanning events. Recording an event marks its day and month
-- dirty (kpi_dirty_periods) in the same transaction; a late event therefore re-opens its period's
-- rollup, which the next rollup run recomputes from the events.
SET LOCAL ROLE vigil_owner;

CREATE TABLE kpi_definitions (
    workspace_id  uuid NOT NULL,
    key           text NOT NULL,
    spec          jsonb NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (workspace_id, key)
);

CREATE TABLE kpi_events (
    workspace_id  uuid NOT NULL,
    kpi_key       text NOT NULL,
    stream        text,
    value         double precision NOT NULL,
    ts            timestamptz NOT NULL,
    dimensions    jsonb NOT NULL DEFAULT '{}',
    dimension_id  text NOT NULL,
    FOREIGN KEY (workspace_id, kpi_key) REFERENCES kpi_definitions (workspace_id, key) ON DELETE CASCADE
);
CREATE INDEX kpi_events_by_time ON kpi_events (workspace_id, kpi_key, ts);

CREATE TABLE kpi_rollups (
    workspace_id     uuid NOT NULL,
    kpi_key          text NOT NULL,
    kind             text NOT NULL CHECK (kind IN ('day', 'month')),
    period_start     timestamptz NOT NULL,
    period_end       timestamptz NOT NULL,
    time_zone        text NOT NULL,
    dimension_id     text NOT NULL,
    dimensions       jsonb NOT NULL,
    count            bigint NOT NULL,
    sum              double precision NOT NULL,
    last_value       double precision,
    last_at          timestamptz,
    numerator_sum    double precision NOT NULL,
    denominator_sum  double precision NOT NULL,
    PRIMARY KEY (workspace_id, kpi_key, kind, period_start, dimension_id),
    FOREIGN KEY (workspace_id, kpi_key) REFERENCES kpi_definitions (workspace_id, key) ON DELETE CASCADE
);

CREATE TABLE kpi_dirty_periods (
    workspace_id  uuid NOT NULL,
    kpi_key       text NOT NULL,
    kind          text NOT NULL CHECK (kind IN ('day', 'month')),
    period_start  timestamptz NOT NULL,
    period_end    timestamptz NOT NULL,
    PRIMARY KEY (workspace_id, kpi_key, kind, period_start)
);

CREATE TABLE slos (
    workspace_id  uuid NOT NULL,
    id            uuid NOT NULL,
    spec          jsonb NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (workspace_id, id)
);

-- One row per hourly evaluation: the history behind GET …/slos/{id}/report.
CREATE TABLE slo_evaluations (
    workspace_id      uuid NOT NULL,
    slo_id            uuid NOT NULL,
    evaluated_at      timestamptz NOT NULL,
    window_start      timestamptz NOT NULL,
    good              double precision NOT NULL,
    total             double precision NOT NULL,
    compliance        double precision,
    budget_remaining  double precision NOT NULL,
    burn_1h           double precision NOT NULL,
    burn_6h           double precision NOT NULL,
    decision          text NOT NULL,
    status            text NOT NULL,
    PRIMARY KEY (workspace_id, slo_id, evaluated_at),
    FOREIGN KEY (workspace_id, slo_id) REFERENCES slos (workspace_id, id) ON DELETE CASCADE
);

CREATE TABLE digest_schedules (
    workspace_id  uuid PRIMARY KEY,
    spec          jsonb NOT NULL,
    updated_at    timestamptz NOT NULL DEFAULT now()
);

-- A digest is sent once per period: the unique key names the local days it covers.
CREATE TABLE digests_sent (
    workspace_id  uuid NOT NULL,
    unique_key    text NOT NULL,
    frequency     text NOT NULL,
    first_day     date NOT NULL,
    last_day      date NOT NULL,
    sent_at       timestamptz NOT NULL DEFAULT now(),
    channels      integer NOT NULL,
    PRIMARY KEY (workspace_id, unique_key)
);

DO $$
DECLARE t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['kpi_definitions', 'kpi_events', 'kpi_rollups', 'kpi_dirty_periods', 'slos', 'slo_evaluations',
                             'digest_schedules', 'digests_sent'] LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
        EXECUTE format('CREATE POLICY workspace_isolation ON %I USING (workspace_id = vigil_current_workspace()) '
                       'WITH CHECK (workspace_id = vigil_current_workspace())', t);
        EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON %I TO vigil_app', t);
    END LOOP;
END
$$;
