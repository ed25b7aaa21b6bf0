-- Metrics: names, series, raw points (daily partitions) and per-minute / per-hour rollups.
--
-- A series is a metric name plus its (redacted) tag set; its id is computed by the API
-- (SeriesKey.seriesID: the first 8 bytes of SHA-256 over a canonical encoding), so ingest never
-- waits for an id lookup. Points are append-only and time-partitioned; retention drops whole
-- days. Rollups are written by ingest in the same transaction as the points, as partial rows
-- (one per batch, series and bucket), so concurrent ingests never contend on a row; the worker's
-- rollups.compact job merges partials. Queries merge whatever rows exist: merging is
-- associative, so the answer is the same before and after compaction.
SET LOCAL ROLE vigil_owner;

CREATE TABLE metric_names (
    workspace_id  uuid NOT NULL,
    name          text NOT NULL,
    kind          text NOT NULL CHECK (kind IN ('counter', 'gauge', 'timing')),
    first_seen    timestamptz NOT NULL DEFAULT now(),
    last_seen     timestamptz NOT NULL,
    PRIMARY KEY (workspace_id, name)
);

CREATE TABLE metric_series (
    workspace_id  uuid NOT NULL,
    series_id     bigint NOT NULL,
    name          text NOT NULL,
    tags          jsonb NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (workspace_id, series_id)
);
CREATE INDEX metric_series_by_name ON metric_series (workspace_id, name);

CREATE TABLE metric_points (
    workspace_id  uuid NOT NULL,
    series_id     bigint NOT NULL,
    ts            timestamptz NOT NULL,
    value         double precision NOT NULL
) PARTITION BY RANGE (ts);
CREATE INDEX metric_points_series_time ON metric_points (workspace_id, series_id, ts);

-- resolution is the bucket width in seconds (60 or 3600); sketch is QuantileSketch.encoded().
CREATE TABLE metric_rollups (
    workspace_id  uuid NOT NULL,
    series_id     bigint NOT NULL,
    resolution    integer NOT NULL CHECK (resolution IN (60, 3600)),
    bucket        timestamptz NOT NULL,
    count         bigint NOT NULL CHECK (count > 0),
    sum           double precision NOT NULL,
    min           double precision NOT NULL,
    max           double precision NOT NULL,
    sketch        bytea NOT NULL,
    compacted     boolean NOT NULL DEFAULT false
);
CREATE INDEX metric_rollups_lookup ON metric_rollups (workspace_id, resolution, series_id, bucket);
-- Serves compaction: the partial rows still to merge.
CREATE INDEX metric_rollups_partials ON metric_rollups (workspace_id, resolution, series_id, bucket) WHERE NOT compacted;

ALTER TABLE metric_names ENABLE ROW LEVEL SECURITY;
ALTER TABLE metric_names FORCE ROW LEVEL SECURITY;
ALTER TABLE metric_series ENABLE ROW LEVEL SECURITY;
ALTER TABLE metric_series FORCE ROW LEVEL SECURITY;
ALTER TABLE metric_points ENABLE ROW LEVEL SECURITY;
ALTER TABLE metric_points FORCE ROW LEVEL SECURITY;
ALTER TABLE metric_rollups ENABLE ROW LEVEL SECURITY;
ALTER TABLE metric_rollups FORCE ROW LEVEL SECURITY;
CREATE POLICY workspace_isolation ON metric_names
    USING (workspace_id = vigil_current_workspace()) WITH CHECK (workspace_id = vigil_current_workspace());
CREATE POLICY workspace_isolation ON metric_series
    USING (workspace_id = vigil_current_workspace()) WITH CHECK (workspace_id = vigil_current_workspace());
CREATE POLICY workspace_isolation ON metric_points
    USING (workspace_id = vigil_current_workspace()) WITH CHECK (workspace_id = vigil_current_workspace());
CREATE POLICY workspace_isolation ON metric_rollups
    USING (workspace_id = vigil_current_workspace()) WITH CHECK (workspace_id = vigil_current_workspace());

GRANT SELECT, INSERT, UPDATE, DELETE ON metric_names TO vigil_app;
GRANT SELECT, INSERT, DELETE ON metric_series TO vigil_app;
GRANT SELECT, INSERT, DELETE ON metric_points TO vigil_app;
-- UPDATE only because compaction locks partial rows with SELECT … FOR UPDATE.
GRANT SELECT, INSERT, UPDATE, DELETE ON metric_rollups TO vigil_app;

INSERT INTO partitioned_tables (parent, data_class) VALUES ('metric_points', 'metrics');

-- Today's partitions and the coming week's, so ingest works before the first partitions.maintain.
SELECT vigil_ensure_partitions('metric_points', (now() AT TIME ZONE 'UTC')::date - 1, 9);
