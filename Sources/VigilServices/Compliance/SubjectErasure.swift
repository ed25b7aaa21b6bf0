import Foundation
import VigilCore
import VigilRepositories

/// GDPR Art. 17 for one subject in one workspace. Rows only about the subject (metric series:
/// their tags identify the person, so the series, points and rollups go) are deleted; rows that
/// must stay (alerts and their timelines, ledger errors, audit details) get a salted pseudonym in
/// place of every mention. All in one transaction; then the search runs again for what remains
/// and the audit chain is verified. A second run finds nothing.
extension ComplianceReportGenerator {
    func erase(_ terms: SubjectSearchTerms, fingerprint: String, report: ComplianceReportRecord, workspace: Workspace,
               now: Date) async throws -> ErasureCertificate {
        // A retry after the erasure committed (but before the report was stored) reuses its outcome.
        // One that does not decode fails the job: erasing again would certify zero rows.
        if let saved = try await database.inWorkspace(workspace.id, { try await reports.erasureOutcome(id: report.id, on: $0) }) {
            let outcome = try StoredJSON.decode(ErasureOutcome.self, saved, row: "compliance_reports \(report.id.lowercased) erasure outcome")
            let chain = try await audit.verify(in: workspace.id)
            return ErasureCertificate(reportID: report.id, workspaceID: workspace.id, subjectFingerprint: fingerprint,
                                      tables: outcome.tables.map(\.outcome), erasedAt: outcome.erasedAt, auditChainIntact: chain.intact)
        }
        // A fresh random salt per run, never stored: the pseudonyms cannot be linked back.
        let salt = (0..<32).map { _ in UInt8.random(in: 0...255) }
        var outcomes: [ErasureCertificate.TableOutcome] = []
        try await database.inWorkspace(workspace.id) { connection in
            let found = try await finder.find(terms, on: connection)
            let seriesIDs = found.series.map(\.id)
            let removed = seriesIDs.isEmpty ? (points: 0, rollups: 0, series: 0) : try await data.deleteSeries(seriesIDs, on: connection)

            var alertsRewritten = 0
            for alert in found.alerts {
                let title = ErasureRewrite.text(alert.title, terms: terms, salt: salt)
                let message = ErasureRewrite.text(alert.message, terms: terms, salt: salt)
                let labels = ErasureRewrite.labels(alert.labels, terms: terms, salt: salt)
                let annotations = ErasureRewrite.labels(alert.annotations, terms: terms, salt: salt)
                let fingerprint = ErasureRewrite.text(alert.fingerprint, terms: terms, salt: salt)
                guard title != nil || message != nil || labels != nil || annotations != nil || fingerprint != nil else { continue }
                try await data.rewriteAlert(id: alert.id, fingerprint: fingerprint ?? alert.fingerprint,
                                            title: title ?? alert.title, message: message ?? alert.message,
                                            labels: labels ?? alert.labels, annotations: annotations ?? alert.annotations, on: connection)
                alertsRewritten += 1
            }
            var eventsRewritten = 0
            for row in found.alertEvents {
                let note = row.event.note.flatMap { ErasureRewrite.text($0, terms: terms, salt: salt) }
                let details = ErasureRewrite.text(row.event.detailsJSON, terms: terms, salt: salt)
                guard note != nil || details != nil else { continue }
                try await data.rewriteAlertEvent(id: row.id, note: note ?? row.event.note, detailsJSON: details ?? row.event.detailsJSON, on: connection)
                eventsRewritten += 1
            }
            var notificationsRewritten = 0
            for row in found.notifications {
                guard let error = row.error, let rewritten = ErasureRewrite.text(error, terms: terms, salt: salt) else { continue }
                try await data.rewriteNotificationError(id: row.id, error: rewritten, on: connection)
                notificationsRewritten += 1
            }
            var auditRedacted = 0
            var hashCovered = 0
            for row in found.auditRows {
                if !AuditRedaction.hashCoveredMentions(row, terms: terms).isEmpty { hashCovered += 1 }
                guard let redacted = AuditRedaction.redact(details: row.details, matching: terms, salt: salt, now: now) else { continue }
                if try await auditLog.redactDetails(seq: row.seq, expectedDigest: row.detailsDigest, details: redacted, on: connection) {
                    auditRedacted += 1
                }
            }
            let sealedRedacted = try await redactSealedSegments(found.sealedSegments, terms: terms, salt: salt, now: now, on: connection)
            // Security events about the subject go whole, like its metric series; so do the KPI
            // events and rollups whose dimensions name the subject.
            let securityEventsDeleted = try await data.deleteSecurityEvents(found.securityEvents, on: connection)
            let kpiRemoved = try await data.deleteKPIGroups(found.kpiGroups, on: connection)
            let jobsRewritten = try await rewriteJobs(found.jobs, terms: terms, salt: salt, on: connection)
            let configurationRewritten = try await rewriteConfiguration(found.configuration, terms: terms, salt: salt, on: connection)
            let idempotentAnswersDeleted = try await data.deleteIdempotentAnswers(SubjectFinder.query(terms), on: connection)
            // What the same search finds afterwards (inside the transaction, before commit).
            let after = try await finder.find(terms, on: connection)
            let auditRemaining = after.auditRows.filter { AuditRedaction.detailsMention($0, terms: terms) }.count
            let sealedRemaining = after.sealedAuditRows.filter { AuditRedaction.detailsMention($0.record, terms: terms) }.count
            outcomes = [
                .init(table: "metric_series", found: found.series.count, deleted: removed.series, pseudonymised: 0, remaining: after.series.count),
                .init(table: "metric_points", found: found.pointCount, deleted: removed.points, pseudonymised: 0, remaining: after.pointCount),
                .init(table: "metric_rollups", found: found.rollupCount, deleted: removed.rollups, pseudonymised: 0, remaining: after.rollupCount),
                .init(table: "alerts", found: found.alerts.count, deleted: 0, pseudonymised: alertsRewritten, remaining: after.alerts.count),
                .init(table: "alert_events", found: found.alertEvents.count, deleted: 0, pseudonymised: eventsRewritten,
                      remaining: after.alertEvents.count),
                .init(table: "notifications", found: found.notifications.count, deleted: 0, pseudonymised: notificationsRewritten,
                      remaining: after.notifications.filter { terms.matches(text: $0.error ?? "") }.count,
                      note: "ledger rows of pseudonymised alerts hold no personal data and are kept"),
                .init(table: "security_events", found: found.securityEvents.count, deleted: securityEventsDeleted, pseudonymised: 0,
                      remaining: after.securityEvents.count,
                      note: "an address's live threat score and block are kept until they decay or expire (security, Art. 6(1)(f)); the scan then forgets it"),
                .init(table: "kpi_events", found: found.kpiEventCount, deleted: kpiRemoved.events, pseudonymised: 0, remaining: after.kpiEventCount),
                .init(table: "kpi_rollups", found: found.kpiRollupCount, deleted: kpiRemoved.rollups, pseudonymised: 0,
                      remaining: after.kpiRollupCount, note: "other dimension sets' rollups are kept, so the KPI's totals no longer count the subject"),
                .init(table: "jobs", found: found.jobs.count, deleted: 0, pseudonymised: jobsRewritten, remaining: after.jobs.count,
                      note: after.jobs.isEmpty ? nil
                          : "jobs still to run keep their arguments until they finish; request the erasure again afterwards"),
            ]
            for table in SubjectConfigurationTable.allCases {
                outcomes.append(.init(table: table.rawValue, found: found.configuration(in: table).count, deleted: 0,
                                      pseudonymised: configurationRewritten[table, default: 0], remaining: after.configuration(in: table).count))
            }
            outcomes += [
                .init(table: "idempotency_keys", found: found.idempotentAnswerCount, deleted: idempotentAnswersDeleted, pseudonymised: 0,
                      remaining: after.idempotentAnswerCount, note: "stored answers to retried requests; a replay is then handled as a new request"),
                .init(table: "audit_log", found: found.auditRows.count, deleted: 0, pseudonymised: auditRedacted, remaining: auditRemaining,
                      note: hashCovered > 0
                          ? "\(hashCovered) row(s) name the subject in hash-covered columns (source_ip, actor_id); kept under Art. 17(3)(b)/(e) so the audit chain stays verifiable"
                          : nil),
                .init(table: "audit_seals", found: found.sealedAuditRows.count, deleted: 0, pseudonymised: sealedRedacted,
                      remaining: sealedRemaining,
                      note: found.sealedSegments.isEmpty ? nil
                          : "rows past the audit log's retention, in stored signed segments: their details are redacted in place (the segments still verify); copies downloaded before the erasure are outside Vigil"),
            ]
            try await trail.record(workspaceID: workspace.id, actor: .system("compliance"), action: "compliance.erasure",
                                   resourceType: "compliance_report", resourceID: report.id.uuidString.lowercased(),
                                   details: ["subject_fingerprint": fingerprint,
                                             "rows_changed": String(outcomes.map { $0.deleted + $0.pseudonymised }.reduce(0, +))],
                                   request: RequestMetadata(correlationID: LogContext.correlationID ?? "compliance", sourceIP: nil), on: connection)
            let saved = ErasureOutcome(erasedAt: now, tables: outcomes.map(ErasureOutcome.Table.init))
            try await reports.saveErasureOutcome(id: report.id, json: String(decoding: try JSONEncoder().encode(saved), as: UTF8.self), on: connection)
        }
        let chain = try await audit.verify(in: workspace.id)
        return ErasureCertificate(reportID: report.id, workspaceID: workspace.id, subjectFingerprint: fingerprint, tables: outcomes,
                                  erasedAt: now, auditChainIntact: chain.intact)
    }
}

extension ComplianceReportGenerator {
    /// Redacts the subject from the details of rows inside stored sealed segments, as in the
    /// live log: hashes untouched, so each segment still verifies. Returns the rows redacted.
    fileprivate func redactSealedSegments(_ sealed: [(id: UUID, segment: AuditSegment, rows: [AuditRecord])], terms: SubjectSearchTerms,
                                          salt: [UInt8], now: Date, on connection: Transaction) async throws -> Int {
        var redacted = 0
        for (id, original, _) in sealed {
            var segment = original
            var changed = 0
            for index in segment.rows.indices {
                guard let details = AuditRedaction.redact(details: segment.rows[index].details, matching: terms, salt: salt, now: now) else { continue }
                segment.rows[index].details = details
                changed += 1
            }
            if changed > 0, try await auditSeals.rewriteSegment(id: id, document: try segment.encoded(), on: connection) { redacted += changed }
        }
        return redacted
    }

    /// Jobs that mention the subject: the last error always, the arguments once the job is
    /// finished (what a pending job will do is left alone). Returns the rows changed.
    fileprivate func rewriteJobs(_ jobs: [SubjectJobRow], terms: SubjectSearchTerms, salt: [UInt8],
                                 on connection: Transaction) async throws -> Int {
        var rewritten = 0
        for job in jobs {
            let args = job.isFinished ? ErasureRewrite.json(job.argsJSON, terms: terms, salt: salt) : nil
            let error = job.lastError.flatMap { ErasureRewrite.text($0, terms: terms, salt: salt) }
            guard args != nil || error != nil else { continue }
            if try await data.rewriteJobTexts(id: job.id, argsJSON: args ?? job.argsJSON, lastError: error ?? job.lastError, on: connection) {
                rewritten += 1
            }
        }
        return rewritten
    }

    /// Configuration documents: the subject replaced in the spec's strings (and an alert rule's
    /// name); a matcher on the subject then matches nobody. Counted per table.
    fileprivate func rewriteConfiguration(_ rows: [SubjectConfigurationRow], terms: SubjectSearchTerms, salt: [UInt8],
                                          on connection: Transaction) async throws -> [SubjectConfigurationTable: Int] {
        var rewritten: [SubjectConfigurationTable: Int] = [:]
        for row in rows {
            let name = ErasureRewrite.text(row.name, terms: terms, salt: salt)
            let spec = ErasureRewrite.json(row.specJSON, terms: terms, salt: salt)
            guard name != nil || spec != nil else { continue }
            try await data.rewriteConfiguration(row, name: name ?? row.name, specJSON: spec ?? row.specJSON, on: connection)
            rewritten[row.table, default: 0] += 1
        }
        return rewritten
    }
}

/// An erasure's per-table outcome as kept on the report row until the report is stored.
struct ErasureOutcome: Codable {
    struct Table: Codable {
        var table: String
        var found: Int
        var deleted: Int
        var pseudonymised: Int
        var remaining: Int
        var note: String?

        init(_ o: ErasureCertificate.TableOutcome) {
            table = o.table; found = o.found; deleted = o.deleted; pseudonymised = o.pseudonymised; remaining = o.remaining; note = o.note
        }

        var outcome: ErasureCertificate.TableOutcome {
            .init(table: table, found: found, deleted: deleted, pseudonymised: pseudonymised, remaining: remaining, note: note)
        }
    }

    var erasedAt: Date
    var tables: [Table]
}
