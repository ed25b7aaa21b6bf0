import Foundation
import VigilPrimitives
import VigilCore
import VigilRepositories

/// The sections of each report kind, built from the database in the report's workspace.
struct ReportSections: Sendable {
    let data = SubjectDataRepository()
    let facts = ComplianceFactsRepository()
    /// Rows listed per section; counts are always exact, and the manifest says when rows were cut.
    static let rowLimit = 100_000
    static let allMethods: [SearchMethod] = [.textSearch, .pseudonymToken, .tagsContainment]

    static func time(_ date: Date?) -> String {
        date.map { TimestampText.utc(microsecondsSince1970: $0.microsecondsSince1970) } ?? ""
    }

    static func json(_ value: [String: String]) -> String {
        // try? is safe: a [String: String] (tags, labels, details) always encodes.
        (try? String(decoding: JSONEncoder.sortedKeys.encode(value), as: UTF8.self)) ?? "{}"
    }

    /// Sections of a subject export, plus notes on what could not be searched or was cut.
    func export(_ found: SubjectFindings, on connection: Transaction) async throws -> (sections: [ReportSection], notes: [String]) {
        var notes: [String] = []
        let seriesIDs = found.series.map(\.id)
        var sections = [ReportSection(table: "metric_series", methods: Self.allMethods, columns: ["series_id", "name", "tags"],
                                      rows: found.series.map { [String($0.id), $0.name, Self.json($0.tags)] })]
        let points = seriesIDs.isEmpty ? [] : try await data.points(series: seriesIDs, limit: Self.rowLimit, on: connection)
        sections.append(ReportSection(table: "metric_points", methods: Self.allMethods, columns: ["series_id", "ts", "value"],
                                      rows: points.map { [String($0.series), Self.time($0.ts), String($0.value)] }))
        if found.pointCount > points.count { notes.append("metric_points: \(found.pointCount) rows match; the first \(points.count) are listed") }
        let rollups = seriesIDs.isEmpty ? [] : try await data.rollups(series: seriesIDs, limit: Self.rowLimit, on: connection)
        sections.append(ReportSection(table: "metric_rollups", methods: Self.allMethods, records: rollups))
        if found.rollupCount > rollups.count { notes.append("metric_rollups: \(found.rollupCount) rows match; the first \(rollups.count) are listed") }
        sections.append(ReportSection(
            table: "alerts", methods: Self.allMethods,
            columns: ["id", "title", "message", "severity", "state", "source", "labels", "annotations", "triggered_at", "dedup_key"],
            rows: found.alerts.map { [$0.id.uuidString.lowercased(), $0.title, $0.message, $0.severity.rawValue, $0.state.rawValue, $0.source,
                                      Self.json($0.labels), Self.json($0.annotations), Self.time($0.triggeredAt), $0.fingerprint] }))
        sections.append(ReportSection(
            table: "alert_events", methods: [.textSearch, .pseudonymToken], columns: ["id", "alert_id", "at", "kind", "actor", "note", "details"],
            rows: found.alertEvents.map { [String($0.id), $0.alertID.uuidString.lowercased(), Self.time($0.event.at), $0.event.kind,
                                           $0.event.actor, $0.event.note ?? "", $0.event.detailsJSON] }))
        sections.append(ReportSection(
            table: "notifications", methods: [.textSearch],
            columns: ["id", "alert_id", "channel_kind", "event", "status", "status_code", "error", "created_at"],
            rows: found.notifications.map { [String($0.id), $0.alertID?.uuidString.lowercased() ?? "", $0.channelKind ?? "", $0.event,
                                             $0.status.rawValue, $0.statusCode.map(String.init) ?? "", $0.error ?? "", Self.time($0.createdAt)] }))
        sections.append(ReportSection(
            table: "audit_log", methods: [.textSearch, .pseudonymToken, .columnEquality],
            columns: ["seq", "occurred_at", "actor_type", "actor_id", "action", "resource_type", "resource_id", "source_ip", "details"],
            rows: found.auditRows.map { [String($0.seq), Self.time(Date(microsecondsSince1970: $0.occurredAtMicros)), $0.actorType, $0.actorID,
                                         $0.action, $0.resourceType, $0.resourceID ?? "", $0.sourceIP ?? "", Self.json($0.details)] }))
        sections.append(ReportSection(
            table: "audit_seals", methods: [.textSearch, .pseudonymToken],
            columns: ["seal_id", "seq", "occurred_at", "actor_type", "actor_id", "action", "resource_type", "resource_id", "source_ip", "details"],
            rows: found.sealedAuditRows.map { sealID, r in
                [sealID.uuidString.lowercased(), String(r.seq), Self.time(Date(microsecondsSince1970: r.occurredAtMicros)), r.actorType, r.actorID,
                 r.action, r.resourceType, r.resourceID ?? "", r.sourceIP ?? "", Self.json(r.details)]
            }))
        sections.append(ReportSection(
            table: "security_events", methods: [.textSearch, .pseudonymToken],
            columns: ["id", "ts", "kind", "sub_kind", "source_ip", "user_agent", "endpoint", "user_ref", "correlation_id", "details"],
            rows: found.securityEvents.prefix(Self.rowLimit).map { stored in
                let e = stored.event
                return [stored.id.uuidString.lowercased(), Self.time(e.timestamp), e.kind.rawValue, e.subKind ?? "", e.sourceIP ?? "",
                        e.userAgent ?? "", e.endpoint ?? "", e.userRef ?? "", e.correlationID ?? "", Self.json(e.details)]
            }))
        if found.securityEvents.count > Self.rowLimit {
            notes.append("security_events: \(found.securityEvents.count) rows match; the first \(Self.rowLimit) are listed")
        }
        let (kpiSections, kpiNotes) = try await kpi(found, on: connection)
        sections += kpiSections + configuration(found)
        notes += kpiNotes
        sections.append(ReportSection(
            table: "jobs", methods: [.textSearch, .pseudonymToken], columns: ["id", "kind", "state", "args", "last_error", "created_at"],
            rows: found.jobs.map { [String($0.id), $0.kind, $0.state, $0.argsJSON, $0.lastError ?? "", Self.time($0.createdAt)] }))
        if found.idempotentAnswerCount > 0 {
            notes.append("idempotency_keys: \(found.idempotentAnswerCount) stored answer(s) to retried requests (kept 24 hours) quote the subject; "
                         + "they repeat rows listed above and are not listed again")
        }
        return (sections, notes)
    }

    private func kpi(_ found: SubjectFindings, on connection: Transaction) async throws -> (sections: [ReportSection], notes: [String]) {
        let events = try await data.kpiEvents(found.kpiGroups, limit: Self.rowLimit, on: connection)
        let rollups = try await data.kpiRollups(found.kpiGroups, limit: Self.rowLimit, on: connection)
        var notes: [String] = []
        if found.kpiEventCount > events.count { notes.append("kpi_events: \(found.kpiEventCount) rows match; the first \(events.count) are listed") }
        if found.kpiRollupCount > rollups.count { notes.append("kpi_rollups: \(found.kpiRollupCount) rows match; the first \(rollups.count) are listed") }
        let eventColumns = ["kpi_key", "ts", "value", "stream", "dimensions"]
        let rollupColumns = ["kpi_key", "kind", "period_start", "count", "sum", "dimensions"]
        return ([ReportSection(table: "kpi_events", methods: Self.allMethods, columns: eventColumns,
                               rows: events.map { row in eventColumns.map { row[$0] ?? "" } }),
                 ReportSection(table: "kpi_rollups", methods: Self.allMethods, columns: rollupColumns,
                               rows: rollups.map { row in rollupColumns.map { row[$0] ?? "" } })], notes)
    }

    /// One section per configuration table: the documents that name the subject, whole.
    private func configuration(_ found: SubjectFindings) -> [ReportSection] {
        SubjectConfigurationTable.allCases.map { table in
            ReportSection(table: table.rawValue, methods: [.textSearch, .pseudonymToken], columns: ["id", "name", "spec"],
                          rows: found.configuration(in: table).map { [$0.id.uuidString.lowercased(), $0.name, $0.specJSON] })
        }
    }

    func retention(_ workspace: Workspace, now: Date, on connection: Transaction) async throws -> [RetentionCheck] {
        var observed: [String: (oldest: Date?, rowsPastPolicy: Int)] = [:]
        for (dataClass, days) in workspace.settings.retentionDays.all {
            if let fact = try await facts.retentionFacts(dataClass: dataClass, cutoff: RetentionCheck.cutoff(policyDays: days, now: now), on: connection) {
                observed[dataClass] = (fact.oldest, fact.pastPolicy)
            }
        }
        return RetentionCheck.checks(retention: workspace.settings.retentionDays, observed: observed)
    }

    func auditReadiness(_ workspace: Workspace, chain: AuditVerificationResult, period: DateInterval, now: Date,
                        on connection: Transaction) async throws -> [ReportSection] {
        let keys = try await facts.allKeys(workspaceID: workspace.id, on: connection)
        let counts = try await facts.auditActionCounts(since: period.start, on: connection)
        let failedAuth = counts.filter { $0.action == "auth.failed" || $0.action == "auth.forbidden" }
        let adminActions = counts.filter { !$0.action.hasPrefix("auth.") && ($0.actorType == "admin" || $0.actorType == "api_key") }
        let redaction = workspace.settings.redaction
        return [
            ReportSection(table: "audit_chain", columns: ["intact", "checked", "first_bad_seq", "first_bad_reason"],
                          rows: [[chain.intact ? "true" : "false", String(chain.checked), chain.firstBad.map { String($0.seq) } ?? "",
                                  chain.firstBad?.reason.rawValue ?? ""]]),
            KeyInventoryRules.section(keys: keys, now: now),
            ReportSection(table: "admin_actions", columns: ["action", "actor_type", "count"],
                          rows: adminActions.map { [$0.action, $0.actorType, String($0.count)] }),
            ReportSection(table: "failed_auth", columns: ["action", "count"], rows: failedAuth.map { [$0.action, String($0.count)] }),
            ReportSection(table: "pii_redaction", columns: ["enabled", "mode", "allowed_tag_keys"],
                          rows: [[redaction.enabled ? "true" : "false", redaction.mode.rawValue, redaction.allowedTagKeys.sorted().joined(separator: " ")]]),
        ]
    }
}
