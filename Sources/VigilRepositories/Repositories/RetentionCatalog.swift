/// How every tenant table's rows leave (issue 14, item 6): each table either expires by a
/// retention class or is configuration that lives until the tenant deletes it. Deleting the
/// workspace removes every table's rows (`vigil_erase_workspace`). `RetentionCatalogTests`
/// fails when a migration adds a tenant table that is not listed here.
public enum TableRetention: Sendable, Equatable {
    /// Rows expire: how, and by which retention class.
    case expires(String)
    /// Lives until the tenant deletes it (or the workspace goes): why that is bounded.
    case kept(String)
}

public enum RetentionCatalog {
    public static let tables: [String: TableRetention] = [
        // Row-by-row retention (`RetentionTarget.all`, the `retention.workspace` job).
        "metric_points": .expires("daily partitions dropped for the standard class, then rows by retention_days.metrics"),
        "metric_rollups": .expires("rows by retention_days.metrics"),
        "metric_names": .expires("rows by retention_days.metrics (last seen)"),
        "alerts": .expires("resolved alerts by retention_days.alerts"),
        "notifications": .expires("rows by retention_days.notifications"),
        "auth_failures": .expires("rows by retention_days.security_events"),
        "security_events": .expires("daily partitions dropped for the standard class, then rows by retention_days.security_events"),
        "security_detections": .expires("rows by retention_days.security_events"),
        "security_block_log": .expires("rows by retention_days.security_events"),
        "security_ips": .expires("unblocked addresses idle past retention_days.security_events; decayed scores by the attack scan"),
        "kpi_events": .expires("rows by retention_days.kpis"),
        "kpi_rollups": .expires("rows by retention_days.kpis (period end)"),
        "slo_evaluations": .expires("rows by retention_days.kpis"),
        "digests_sent": .expires("rows by retention_days.notifications, never under 35 days"),
        "idempotency_keys": .expires("after a day"),
        "silences": .expires("expired silences by retention_days.alerts (their end)"),
        // Pruned by their own job or with their parent.
        "metric_series": .expires("series no point or rollup refers to, after an hour"),
        "audit_log": .expires("sealed into signed segments past retention_days.audit_log, then deleted"),
        "audit_seals": .kept("a seal's manifest is where verification starts; its segment body is discarded after VIGIL_AUDIT_SEGMENT_KEEP_DAYS"),
        "jobs": .expires("finished jobs after 14 days"),
        "alert_events": .expires("with their alert"),
        "alert_storm_minutes": .expires("minutes older than the storm window, by the alert pipeline"),
        "anomalies": .expires("by the anomaly scan, after retention_days.alerts"),
        "anomaly_detector_values": .expires("by the anomaly scan, after 9 days"),
        "compliance_reports": .expires("at their expiry (VIGIL_REPORT_TTL_HOURS), by compliance.expire"),
        "compliance_report_files": .expires("with their report"),
        "compliance_report_chunks": .expires("with their report file"),
        "kpi_dirty_periods": .expires("when the period is rolled up"),
        "performance_baselines": .expires("replaced whole by each baseline run"),
        // Configuration and per-workspace state, bounded by the workspace's limits or by design.
        "api_keys": .kept("configuration: the tenant revokes and deletes keys"),
        "alert_rules": .kept("configuration, capped per workspace"),
        "alert_rule_groups": .kept("one state row per rule and group, removed when the group resolves or the rule goes"),
        "anomaly_detectors": .kept("configuration, capped per workspace"),
        "notification_channels": .kept("configuration, capped per workspace"),
        "notification_routes": .kept("configuration, capped per workspace"),
        "escalation_policies": .kept("configuration, capped per workspace"),
        "inhibit_rules": .kept("configuration, capped per workspace"),
        "kpi_definitions": .kept("configuration, capped per workspace"),
        "slos": .kept("configuration, capped per workspace"),
        "digest_schedules": .kept("one schedule per workspace"),
        "workspace_limit_overrides": .kept("operator configuration, one row per workspace"),
        "workspace_usage": .kept("one counter row per workspace and meter"),
        "security_activity": .kept("one row per workspace"),
        "security_ips_blocklist": .kept("one row per workspace"),
        "alerts_list_version": .kept("one row per workspace"),
        "metrics_read_version": .kept("eight counter rows per workspace"),
    ]
}
