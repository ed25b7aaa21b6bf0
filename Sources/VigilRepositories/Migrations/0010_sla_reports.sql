-- The monthly SLA report is a compliance-style download: one more report kind.
SET LOCAL ROLE vigil_owner;

ALTER TABLE compliance_reports DROP CONSTRAINT compliance_reports_kind_check;
ALTER TABLE compliance_reports ADD CONSTRAINT compliance_reports_kind_check
    CHECK (kind IN ('subject_export', 'subject_erasure', 'retention', 'audit_readiness', 'sla'));

-- Dirty KPI periods carry a version: a late event for a period already marked bumps it, and the
-- rollup clears only the mark it read, so an event committed during a rollup is never lost.
ALTER TABLE kpi_dirty_periods ADD COLUMN version bigint NOT NULL DEFAULT 1;
