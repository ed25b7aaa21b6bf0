-- Anomaly detection (issue 15): detectors a workspace configures, each detector's history of
-- 15-minute values (8 days, what the seasonal baseline reads), and the anomalies found.
--
-- anomaly_detector_values keeps the statistic per bucket as the scan computes it, so a scan
-- reads at most 768 numbers per detector instead of 8 days of minute rollups; the scan prunes
-- what is older than 9 days. value is NULL for a bucket without points.
SET LOCAL ROLE vigil_owner;

CREATE TABLE anomaly_detectors (
    workspace_id     uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    id               uuid NOT NULL,
    name             text NOT NULL,
    spec             jsonb NOT NULL CHECK (jsonb_typeof(spec) = 'object'),
    enabled          boolean NOT NULL,
    created_at       timestamptz NOT NULL,
    updated_at       timestamptz NOT NULL,
    last_scanned_at  timestamptz,
    last_error       text,
    PRIMARY KEY (workspace_id, id),
    UNIQUE (workspace_id, name)
);
CREATE INDEX anomaly_detectors_enabled ON anomaly_detectors (workspace_id) WHERE enabled;

CREATE TABLE anomaly_detector_values (
    workspace_id  uuid NOT NULL,
    detector_id   uuid NOT NULL,
    bucket        timestamptz NOT NULL,
    value         double precision,
    PRIMARY KEY (workspace_id, detector_id, bucket),
    FOREIGN KEY (workspace_id, detector_id) REFERENCES anomaly_detectors (workspace_id, id) ON DELETE CASCADE
);

CREATE TABLE anomalies (
    workspace_id  uuid NOT NULL,
    id            uuid NOT NULL,
    detector_id   uuid NOT NULL,
    bucket        timestamptz NOT NULL,
    detected_at   timestamptz NOT NULL,
    detector      text NOT NULL CHECK (detector IN ('zscore', 'iqr', 'spike')),
    value         double precision NOT NULL,
    expected      double precision NOT NULL,
    direction     text NOT NULL CHECK (direction IN ('above', 'below')),
    score         double precision NOT NULL,
    severity      text NOT NULL CHECK (severity IN ('info', 'low', 'medium', 'high', 'critical')),
    alert_id      uuid,
    PRIMARY KEY (workspace_id, id),
    UNIQUE (workspace_id, detector_id, bucket),
    FOREIGN KEY (workspace_id, detector_id) REFERENCES anomaly_detectors (workspace_id, id) ON DELETE CASCADE
);
-- Serves the list, newest first.
CREATE INDEX anomalies_newest ON anomalies (workspace_id, bucket DESC, id DESC);

ALTER TABLE anomaly_detectors ENABLE ROW LEVEL SECURITY;
ALTER TABLE anomaly_detectors FORCE ROW LEVEL SECURITY;
ALTER TABLE anomaly_detector_values ENABLE ROW LEVEL SECURITY;
ALTER TABLE anomaly_detector_values FORCE ROW LEVEL SECURITY;
ALTER TABLE anomalies ENABLE ROW LEVEL SECURITY;
ALTER TABLE anomalies FORCE ROW LEVEL SECURITY;
CREATE POLICY workspace_isolation ON anomaly_detectors
    USING (workspace_id = vigil_current_workspace()) WITH CHECK (workspace_id = vigil_current_workspace());
CREATE POLICY workspace_isolation ON anomaly_detector_values
    USING (workspace_id = vigil_current_workspace()) WITH CHECK (workspace_id = vigil_current_workspace());
CREATE POLICY workspace_isolation ON anomalies
    USING (workspace_id = vigil_current_workspace()) WITH CHECK (workspace_id = vigil_current_workspace());
GRANT SELECT, INSERT, UPDATE, DELETE ON anomaly_detectors TO vigil_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON anomaly_detector_values TO vigil_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON anomalies TO vigil_app;

-- The fan-out's read, as for alert rules (0016): ids only, through the owner's own policy.
CREATE POLICY owner_fanout ON anomaly_detectors FOR SELECT TO vigil_owner USING (true);
CREATE FUNCTION vigil_workspaces_with_anomaly_detectors() RETURNS SETOF uuid
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = public, pg_temp
    AS $$
    SELECT DISTINCT workspace_id FROM anomaly_detectors WHERE enabled;
$$;
REVOKE ALL ON FUNCTION vigil_workspaces_with_anomaly_detectors() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION vigil_workspaces_with_anomaly_detectors() TO vigil_app;
