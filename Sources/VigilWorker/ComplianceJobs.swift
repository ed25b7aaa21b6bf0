import Foundation
import Logging
import VigilCore
import VigilServices

/// Compliance job kinds: report generation (enqueued by the API), hourly expiry of old reports,
/// and the monthly retention and audit-readiness reports of every workspace.
public enum ComplianceJobs {
    public static let expireKind = "compliance.expire"
    public static let monthlyKind = "compliance.monthly"

    public static func schedules(monthly: Bool) -> [PeriodicJob] {
        var jobs = [PeriodicJob(name: "compliance-expire", cron: try! CronExpression(parsing: "23 * * * *"), kind: expireKind, maxAttempts: 3)]
        if monthly {
            jobs.append(PeriodicJob(name: "compliance-monthly", cron: try! CronExpression(parsing: "0 4 1 * *"), kind: monthlyKind, maxAttempts: 3))
        }
        return jobs
    }

    struct GenerateArgs: Decodable {
        var reportID: UUID
        enum CodingKeys: String, CodingKey { case reportID = "report_id" }
    }

    public static func handlers(generator: ComplianceReportGenerator, maintenance: ComplianceMaintenance, logger: Logger) -> [any JobHandler] {
        [
            ClosureJobHandler(kind: ComplianceService.generateKind, timeout: .seconds(1800)) { job in
                let args = try job.decodeArgs(GenerateArgs.self)
                try await generator.generate(reportID: args.reportID, workspaceID: job.workspaceID, isLastAttempt: job.isLastAttempt)
            },
            ClosureJobHandler(kind: expireKind, timeout: .seconds(600)) { _ in
                let removed = try await maintenance.expireReports(now: Date())
                if removed > 0 { logger.info("expired compliance reports removed", metadata: ["reports": "\(removed)"]) }
            },
            ClosureJobHandler(kind: monthlyKind, timeout: .seconds(600)) { _ in
                let requested = try await maintenance.requestMonthlyReports()
                logger.info("monthly compliance reports requested", metadata: ["reports": "\(requested)"])
            },
        ]
    }
}
