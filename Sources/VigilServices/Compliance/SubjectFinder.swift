import Foundation
import VigilCore
import VigilRepositories

/// Everything in a workspace that mentions a data subject: the database prefilters (substring
/// and exact-pair queries), then the core matcher confirms each candidate, so export and
/// erasure agree on exactly the same rows.
struct SubjectFindings {
    var series: [(id: Int64, name: String, tags: [String: String])] = []
    var pointCount = 0
    var rollupCount = 0
    var alerts: [AlertRecord] = []
    var alertEvents: [(id: Int64, alertID: UUID, event: AlertEventRecord)] = []
    var notifications: [NotificationRecord] = []
    var auditRows: [AuditRecord] = []
    /// Stored sealed segments whose rows mention the subject, with those rows.
    var sealedSegments: [(id: UUID, segment: AuditSegment, rows: [AuditRecord])] = []
    var sealedAuditRows: [(sealID: UUID, record: AuditRecord)] {
        sealedSegments.flatMap { sealed in sealed.rows.map { (sealed.id, $0) } }
    }
    var securityEvents: [StoredSecurityEvent] = []
    var kpiGroups: [SubjectKPIGroup] = []
    var kpiEventCount = 0
    var kpiRollupCount = 0
    var jobs: [SubjectJobRow] = []
    var configuration: [SubjectConfigurationRow] = []
    var idempotentAnswerCount = 0

    var total: Int {
        series.count + pointCount + rollupCount + alerts.count + alertEvents.count + notifications.count + auditRows.count + securityEvents.count
            + sealedAuditRows.count            + kpiEventCount + kpiRollupCount + jobs.count + configuration.count + idempotentAnswerCount
    }

    func configuration(in table: SubjectConfigurationTable) -> [SubjectConfigurationRow] {
        configuration.filter { $0.table == table }
    }
}

struct SubjectFinder: Sendable {
    let data = SubjectDataRepository()
    let audit = AuditLogRepository()
    let seals = AuditSealRepository()
    static let auditScanLimit = 100_000
    static let securityEventScanLimit = 100_000
    static let jobScanLimit = 100_000

    static func query(_ terms: SubjectSearchTerms) -> SubjectQuery {
        SubjectQuery(terms: terms.values, pairs: terms.tagPairs.map { ($0.key, $0.value) })
    }

    func find(_ terms: SubjectSearchTerms, on connection: Transaction) async throws -> SubjectFindings {
        let q = Self.query(terms)
        var found = SubjectFindings()
        for candidate in try await data.matchingSeries(q, on: connection) {
            // Unreadable tags fail the search: read as none, the series would escape an erasure.
            let tags = try StoredJSON.decode([String: String].self, candidate.tagsJSON, row: "metric_series \(candidate.id) tags")
            if ErasureRewrite.mentions(tags, terms: terms) { found.series.append((candidate.id, candidate.name, tags)) }
        }
        let seriesIDs = found.series.map(\.id)
        if !seriesIDs.isEmpty {
            found.pointCount = try await data.countPoints(series: seriesIDs, on: connection)
            found.rollupCount = try await data.countRollups(series: seriesIDs, on: connection)
        }
        found.alerts = try await data.matchingAlerts(q, on: connection).filter { alert in
            terms.matches(text: alert.title) || terms.matches(text: alert.message) || terms.matches(text: alert.fingerprint)
                || ErasureRewrite.mentions(alert.labels, terms: terms) || ErasureRewrite.mentions(alert.annotations, terms: terms)
        }
        found.alertEvents = try await data.matchingAlertEvents(q, on: connection).filter { row in
            terms.matches(text: row.event.note ?? "") || terms.matches(text: row.event.detailsJSON)
        }
        let alertIDs = found.alerts.map(\.id)
        found.notifications = try await data.matchingNotifications(alertIDs: alertIDs, q, on: connection).filter { row in
            row.alertID.map(alertIDs.contains) == true || terms.matches(text: row.error ?? "")
        }
        found.auditRows = try await audit.mentioning(q.terms, limit: Self.auditScanLimit, on: connection).filter { row in
            AuditRedaction.detailsMention(row, terms: terms) || !AuditRedaction.hashCoveredMentions(row, terms: terms).isEmpty
        }
        for (id, document) in try await seals.segmentsMentioning(q.terms, on: connection) {
            let segment = try AuditSegment.decode(document)
            let rows = segment.rows.filter { row in
                AuditRedaction.detailsMention(row, terms: terms) || !AuditRedaction.hashCoveredMentions(row, terms: terms).isEmpty
            }
            if !rows.isEmpty { found.sealedSegments.append((id, segment, rows)) }
        }
        found.securityEvents = try await data.matchingSecurityEvents(q, limit: Self.securityEventScanLimit, on: connection).filter { stored in
            let e = stored.event
            return [e.sourceIP, e.userRef, e.userAgent, e.endpoint, e.correlationID].contains { terms.matches(text: $0 ?? "") }
                || ErasureRewrite.mentions(e.details, terms: terms)
        }
        for group in try await data.matchingKPIGroups(q, on: connection) {
            let dimensions = try StoredJSON.decode([String: String].self, group.dimensionsJSON,
                                                   row: "kpi dimensions \(group.kpiKey)/\(group.dimensionID)")
            if ErasureRewrite.mentions(dimensions, terms: terms) { found.kpiGroups.append(group) }
        }
        (found.kpiEventCount, found.kpiRollupCount) = try await data.countKPIRows(found.kpiGroups, on: connection)
        found.jobs = try await data.matchingJobs(q, limit: Self.jobScanLimit, on: connection).filter { job in
            ErasureRewrite.jsonMentions(job.argsJSON, terms: terms) || terms.matches(text: job.lastError ?? "")
        }
        for table in SubjectConfigurationTable.allCases {
            found.configuration += try await data.matchingConfiguration(table, q, on: connection).filter { row in
                terms.matches(text: row.name) || ErasureRewrite.jsonMentions(row.specJSON, terms: terms)
            }
        }
        found.idempotentAnswerCount = try await data.countIdempotentAnswers(q, on: connection)
        return found
    }
}
