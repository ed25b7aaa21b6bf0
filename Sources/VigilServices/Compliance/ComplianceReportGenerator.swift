import Foundation
import Logging
import VigilCore
import VigilRepositories

/// The worker side of compliance reports (`compliance.generate`): builds the sections of a
/// report's kind, renders its files, stores them and completes the report, updating the
/// visible progress along the way. An erasure changes data in one transaction, then verifies.
public struct ComplianceReportGenerator: Sendable {
    let database: Database
    let clock: WallClock
    let storage: any ReportStorage
    let reports = ComplianceReportRepository()
    let workspaces = WorkspaceRepository()
    let finder = SubjectFinder()
    let sections = ReportSections()
    let data = SubjectDataRepository()
    let auditLog = AuditLogRepository()
    let auditSeals = AuditSealRepository()
    let audit: AuditService
    let trail: AuditTrail
    let logger: Logger
    /// The SLA report's source.
    let slos: SLOService

    public init(database: Database, clock: WallClock = WallClock(), storage: any ReportStorage, slos: SLOService, logger: Logger) {
        self.database = database
        self.slos = slos
        self.clock = clock
        self.storage = storage
        self.audit = AuditService(database: database)
        self.trail = AuditTrail(clock: clock)
        self.logger = logger
    }

    public func generate(reportID: UUID, workspaceID: UUID, isLastAttempt: Bool) async throws {
        let started = try await database.inWorkspace(workspaceID) { connection -> (ComplianceReportRecord, Workspace, [UInt8])? in
            guard let report = try await reports.find(id: reportID, forUpdate: true, on: connection), report.state == "queued" || report.state == "running",
                  let workspace = try await workspaces.find(id: workspaceID, on: connection),
                  try await reports.start(id: reportID, at: clock.now(), on: connection) else { return nil }
            let key = try await workspaces.pseudonymKey(on: connection) ?? []
            return (report, workspace, key)
        }
        guard let (report, workspace, pseudonymKey) = started else { return }
        do {
            try await build(report, workspace: workspace, pseudonymKey: pseudonymKey)
        } catch {
            logger.error("compliance report failed", metadata: ["report_id": "\(reportID)", "error": "\(error)"])
            if isLastAttempt {
                try await database.inWorkspace(workspaceID) {
                    try await reports.fail(id: reportID, error: String("\(error)".prefix(1000)), at: clock.now(), on: $0)
                }
            }
            throw error
        }
    }

    /// The sections' reads (subject export, retention facts, SLO counts, audit-readiness facts)
    /// are heavy reads (`Database.readInWorkspace`): on the read replica when one is configured
    /// and fresh enough. The erasure and everything that writes stay on the primary.
    private func build(_ report: ComplianceReportRecord, workspace: Workspace, pseudonymKey: [UInt8]) async throws {
        let now = clock.now()
        guard let kind = ReportKind(rawValue: report.kind), let format = ReportFormat(rawValue: report.format) else {
            throw ServiceError.invalid(field: "kind", message: "unknown report kind or format")
        }
        let subject = try report.subjectJSON.map { try JSONDecoder().decode(DataSubject.self, from: Data($0.utf8)).trimmed }
        let terms = subject.map { SubjectSearchTerms.make(subject: $0, pseudonymKey: pseudonymKey, redactionPolicy: workspace.settings.redaction) }
        let fingerprint = subject.map { SubjectFingerprint.make(subject: $0, salt: pseudonymKey) }
        var built: [ReportSection] = []
        var notes = terms?.notes ?? []
        var extras: [RenderedFile] = []
        var summary: [String: String] = [:]
        var period: DateInterval?

        switch kind {
        case .subjectExport:
            guard let terms else { throw ServiceError.invalid(field: "subject", message: "a subject is required") }
            let (found, export) = try await database.readInWorkspace(workspace.id) { connection in
                let found = try await finder.find(terms, on: connection)
                return (found, try await sections.export(found, on: connection))
            }
            try await progress(report.id, workspace.id, 60)
            built = export.sections
            notes += export.notes
            summary["total_matched"] = String(found.total)
        case .subjectErasure:
            guard let terms, let fingerprint else { throw ServiceError.invalid(field: "subject", message: "a subject is required") }
            let certificate = try await erase(terms, fingerprint: fingerprint, report: report, workspace: workspace, now: now)
            extras.append(RenderedFile(name: "erasure-certificate.json", contentType: "application/json", bytes: certificate.bytes))
            built = [Self.erasureSection(certificate)]
            summary["certificate_sha256"] = certificate.checksum
            summary["total_found"] = String(certificate.totalFound)
            summary["total_matched"] = String(certificate.totalFound)
            summary["total_remaining"] = String(certificate.totalRemaining)
            summary["audit_chain_intact"] = certificate.auditChainIntact ? "true" : "false"
        case .retention:
            let checks = try await database.readInWorkspace(workspace.id) { try await sections.retention(workspace, now: now, on: $0) }
            built = [RetentionCheck.section(checks, now: now)]
            summary["compliant"] = checks.allSatisfy(\.compliant) ? "true" : "false"
        case .sla:
            let (month, rows) = try await slaSection(workspace, previousMonth: report.scheduled, now: now)
            period = month
            built = [rows]
            summary["slos"] = String(rows.rows.count)
            summary["month_start"] = ReportSections.time(month.start)
        case .auditReadiness:
            let chain = try await audit.verify(in: workspace.id)
            let window = DateInterval(start: now.addingTimeInterval(-30 * 86_400), end: now)
            period = window
            built = try await database.readInWorkspace(workspace.id) {
                try await sections.auditReadiness(workspace, chain: chain, period: window, now: now, on: $0)
            }
            summary["audit_chain_intact"] = chain.intact ? "true" : "false"
        }
        try await progress(report.id, workspace.id, 80)

        let manifestSubject = ReportManifest.SubjectSummary.make(kind: kind, subject: subject, terms: terms, fingerprintSalt: pseudonymKey)
        let manifest = ReportManifest(reportID: report.id, kind: kind, format: format, workspaceID: workspace.id, generatedAt: now,
                                      period: period, subject: manifestSubject, sections: built, notes: notes)
        let layout = ReportBundleLayout.make(format: format, sectionTables: built.map(\.table))
        let fileName = layout.fileName(workspaceSlug: workspace.slug, kind: kind, reportID: report.id, createdAt: report.createdAt)
        let files = try ReportFiles.render(manifest: manifest, sections: built, format: format, fileName: fileName, extras: extras,
                                           createdAt: report.createdAt)
        summary["total_matched"] = summary["total_matched"] ?? String(manifest.totalMatched)
        try await store(files, report: report, workspaceID: workspace.id, fingerprint: fingerprint, summary: summary)
    }

    /// Each SLO's compliance over a calendar month in the workspace's time zone.
    func slaSection(_ workspace: Workspace, previousMonth: Bool, now: Date) async throws -> (DateInterval, ReportSection) {
        let calendar = PeriodCalendar(identifier: workspace.settings.timeZone) ?? PeriodCalendar(timeZone: TimeZone(identifier: "UTC")!)
        let current = calendar.period(.month, containing: now)
        let month = previousMonth ? calendar.previous(current) : current
        let end = min(month.end, now)
        var rows: [[String]] = []
        for view in try await slos.list(in: workspace) {
            let d = view.definition
            let counts = try await database.readInWorkspace(workspace.id) { try await slos.counts(d, from: month.start, to: end, on: $0) }
            let compliance = SLOMath.compliance(counts)
            rows.append([view.id.uuidString.lowercased(), d.name, d.kind.name.rawValue, String(d.objectivePercent),
                         compliance.map { String($0 * 100) } ?? "", String(SLOMath.budgetRemaining(counts, objectivePercent: d.objectivePercent) * 100),
                         SLOStatus.evaluate(counts, objectivePercent: d.objectivePercent).rawValue, String(counts.good), String(counts.total)])
        }
        let section = ReportSection(table: "sla", columns: ["slo_id", "name", "kind", "objective_percent", "compliance_percent",
                                                             "budget_remaining_percent", "status", "good", "total"], rows: rows)
        return (DateInterval(start: month.start, end: end), section)
    }

    static func erasureSection(_ certificate: ErasureCertificate) -> ReportSection {
        let rows: [[String]] = certificate.tables.map { outcome -> [String] in
            let counts: [String] = [String(outcome.found), String(outcome.deleted), String(outcome.pseudonymised), String(outcome.remaining)]
            return [outcome.table] + counts + [outcome.note ?? ""]
        }
        return ReportSection(table: "erasure", columns: ["table", "found", "deleted", "pseudonymised", "remaining", "note"], rows: rows)
    }

    private func progress(_ id: UUID, _ workspaceID: UUID, _ percent: Int) async throws {
        try await database.inWorkspace(workspaceID) { try await reports.progress(id: id, percent: percent, on: $0) }
    }

    private func store(_ files: [RenderedFile], report: ComplianceReportRecord, workspaceID: UUID, fingerprint: String?,
                       summary: [String: String]) async throws {
        try await database.inWorkspace(workspaceID) { connection in
            try await reports.deleteFiles(reportID: report.id, on: connection)
            for (position, file) in files.enumerated() {
                let digest = SHA256Hex.hex(of: file.bytes)
                try await reports.insertFile(ComplianceReportFile(name: file.name, position: position, contentType: file.contentType,
                                                                  byteSize: Int64(file.bytes.count), sha256: digest),
                                             reportID: report.id, workspaceID: workspaceID, on: connection)
                try await storage.write(file.bytes, name: file.name, reportID: report.id, workspaceID: workspaceID, on: connection)
            }
            let summaryJSON = String(decoding: try JSONEncoder.sortedKeys.encode(summary), as: UTF8.self)
            try await reports.complete(id: report.id, at: clock.now(), subjectFingerprint: fingerprint, summaryJSON: summaryJSON, on: connection)
        }
    }
}
