-- Metric alert rules (issue 15): definitions, per-group state, and the fan-out of evaluations.
--
-- alert_rules: the definition as JSON (AlertRuleDefinition, validated by the core before it is
-- stored), plus the latest evaluation's summary (state, per-group values, duration, error),
-- written by the worker once per rule and minute.
--
-- alert_rule_groups: only the groups that are pending or firing (an inactive group has no row),
-- with the alert a firing group raised. Rows go with their rule.
SET LOCAL ROLE vigil_owner;

CREATE TABLE alert_rules (
    workspace_id       uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    id                 uuid NOT NULL,
    name               text NOT NULL,
    spec               jsonb NOT NULL CHECK (jsonb_typeof(spec) = 'object'),
    enabled            boolean NOT NULL,
    created_at         timestamptz NOT NULL,
    updated_at         timestamptz NOT NULL,
    last_evaluated_at  timestamptz,
    last_state         text CHECK (last_state IN ('inactive', 'pending', 'firing', 'no_data', 'error')),
    last_values        jsonb,          -- [{"labels": {...}, "value": n|null}], at most 100 groups
    last_duration_ms   double precision,
    last_error         text,
    PRIMARY KEY (workspace_id, id),
    UNIQUE (workspace_id, name)
);
-- Serves the fan-out: the workspaces with at least one enabled rule.
CREATE INDEX alert_rules_enabled ON alert_rules (workspace_id) WHERE enabled;

CREATE TABLE alert_rule_groups (
    workspace_id  uuid NOT NULL,
    rule_id       uuid NOT NULL,
    group_key     text NOT NULL,
    labels        jsonb NOT NULL,
    phase         text NOT NULL CHECK (phase IN ('pending', 'firing')),
    since         timestamptz NOT NULL,
    cleared_at    timestamptz,
    last_value    double precision,
    alert_id      uuid,
    PRIMARY KEY (workspace_id, rule_id, group_key),
    FOREIGN KEY (workspace_id, rule_id) REFERENCES alert_rules (workspace_id, id) ON DELETE CASCADE
);

ALTER TABLE alert_rules ENABLE ROW LEVEL SECURITY;
ALTER TABLE alert_rules FORCE ROW LEVEL SECURITY;
ALTER TABLE alert_rule_groups ENABLE ROW LEVEL SECURITY;
ALTER TABLE alert_rule_groups FORCE ROW LEVEL SECURITY;
CREATE POLICY workspace_isolation ON alert_rules
    USING (workspace_id = vigil_current_workspace()) WITH CHECK (workspace_id = vigil_current_workspace());
CREATE POLICY workspace_isolation ON alert_rule_groups
    USING (workspace_id = vigil_current_workspace()) WITH CHECK (workspace_id = vigil_current_workspace());
GRANT SELECT, INSERT, UPDATE, DELETE ON alert_rules TO vigil_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON alert_rule_groups TO vigil_app;

-- The ids of the workspaces with enabled rules, for the worker's per-minute fan-out (row-level
-- security hides other tenants' rules from vigil_app; this returns ids only, nothing of the rules).
-- Row-level security is forced on the owner too, so the owner (this function's definer) gets a
-- read-only policy of its own; vigil_app does not hold the owner's privileges.
CREATE POLICY owner_fanout ON alert_rules FOR SELECT TO vigil_owner USING (true);
CREATE FUNCTION vigil_workspaces_with_alert_rules() RETURNS SETOF uuid
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = public, pg_temp
    AS $$
    SELECT DISTINCT workspace_id FROM alert_rules WHERE enabled;
$$;
REVOKE ALL ON FUNCTION vigil_workspaces_with_alert_rules() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION vigil_workspaces_with_alert_rules() TO vigil_app;
