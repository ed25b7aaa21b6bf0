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
    var securityEvents: [StoredSecurityEvent] = []

    var total: Int {
        series.count + pointCount + rollupCount + alerts.count + alertEvents.count + notifications.count + auditRows.count + securityEvents.count
    }
}

struct SubjectFinder: Sendable {
    let data = SubjectDataRepository()
    let audit = AuditLogRepository()
    static let auditScanLimit = 100_000
    static let securityEventScanLimit = 100_000

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
            terms.matches(text: alert.title) || terms.matches(text: alert.message)
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
        found.securityEvents = try await data.matchingSecurityEvents(q, limit: Self.securityEventScanLimit, on: connection).filter { stored in
            let e = stored.event
            return [e.sourceIP, e.userRef, e.userAgent, e.endpoint, e.correlationID].contains { terms.matches(text: $0 ?? "") }
                || ErasureRewrite.mentions(e.details, terms: terms)
        }
        return found
    }
}
