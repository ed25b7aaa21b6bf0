import Foundation
import Logging
import VigilCore
import VigilServices

/// Report generation (enqueued by the API), hourly expiry of old reports, and the monthly
/// retention and audit-readiness reports of every workspace.
struct GenerateReportWorker: JobWorker {
    let generator: ComplianceReportGenerator

    func work(_ args: ComplianceJobs.GenerateArgs, job: ClaimedJob) async throws {
        try await generator.generate(reportID: args.reportID, workspaceID: job.workspaceID, isLastAttempt: job.isLastAttempt)
    }
}

struct ExpireReportsWorker: JobWorker {
    let maintenance: ComplianceMaintenance
    let clock: WallClock
    let logger: Logger

    func work(_ args: ComplianceJobs.ExpireArgs, job: ClaimedJob) async throws {
        let removed = try await maintenance.expireReports(now: clock.now())
        if removed > 0 { logger.info("expired compliance reports removed", metadata: ["reports": "\(removed)"]) }
    }
}

struct MonthlyReportsWorker: JobWorker {
    let maintenance: ComplianceMaintenance
    let logger: Logger

    func work(_ args: ComplianceJobs.MonthlyArgs, job: ClaimedJob) async throws {
        let requested = try await maintenance.requestMonthlyReports()
        logger.info("monthly compliance reports requested", metadata: ["reports": "\(requested)"])
    }
}
