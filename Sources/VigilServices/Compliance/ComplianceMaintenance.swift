import Foundation
import VigilCore
import VigilRepositories

/// Platform jobs of compliance: expiring old reports and the monthly scheduled reports.
public struct ComplianceMaintenance: Sendable {
    let database: Database
    let service: ComplianceService
    let storage: any ReportStorage
    let reports = ComplianceReportRepository()

    public init(database: Database, service: ComplianceService, configuration: ComplianceConfiguration) {
        self.database = database
        self.service = service
        self.storage = ComplianceService.storage(configuration, database: database)
    }

    /// Deletes expired reports (and their bytes) in every workspace; returns how many.
    @discardableResult
    public func expireReports(now: Date) async throws -> Int {
        var removed = 0
        for workspace in try await database.everyWorkspace() {
            let ids = try await database.inWorkspace(workspace.id) { try await reports.deleteExpired(before: now, on: $0) }
            for id in ids { try await storage.delete(reportID: id, workspaceID: workspace.id) }
            removed += ids.count
        }
        return removed
    }

    /// The monthly retention, audit-readiness and SLA reports of every workspace.
    @discardableResult
    public func requestMonthlyReports() async throws -> Int {
        var requested = 0
        for workspace in try await database.everyWorkspace() {
            for kind in [ReportKind.retention, .auditReadiness, .sla] {
                _ = try await service.request(kind: kind, format: .zip, subject: nil, in: workspace.id, actor: .system("scheduler"),
                                              metadata: RequestMetadata(correlationID: LogContext.correlationID ?? "compliance-monthly", sourceIP: nil),
                                              scheduled: true)
                requested += 1
            }
        }
        return requested
    }
}
