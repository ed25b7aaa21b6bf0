import Foundation
import Logging
import VigilCore
import VigilServices

/// KPI rollups, SLO evaluation and digests. The periodic ones are platform jobs that visit
/// every workspace; a due digest becomes its own `digest.send` job with the period as unique key.
public enum KPIJobs {
    public static let dailyRollupKind = "kpi.rollup.daily"
    public static let monthlyRollupKind = "kpi.rollup.monthly"
    public static let sloEvaluateKind = "slo.evaluate"

    /// Day rollups every 10 minutes (a day closes at a different UTC hour in every time zone,
    /// and late events re-open days at any time); months hourly; SLOs hourly; digests checked
    /// every 15 minutes against each workspace's local send hour.
    public static let schedules: [PeriodicJob] = [
        PeriodicJob(name: "kpi-rollup-daily", cron: try! CronExpression(parsing: "*/10 * * * *"), kind: dailyRollupKind, maxAttempts: 3),
        PeriodicJob(name: "kpi-rollup-monthly", cron: try! CronExpression(parsing: "7 * * * *"), kind: monthlyRollupKind, maxAttempts: 3),
        PeriodicJob(name: "slo-evaluate", cron: try! CronExpression(parsing: "2 * * * *"), kind: sloEvaluateKind, maxAttempts: 3),
        PeriodicJob(name: "digest-dispatch", cron: try! CronExpression(parsing: "*/15 * * * *"), kind: DigestService.dispatchKind, maxAttempts: 3),
    ]

    struct SendArgs: Decodable {
        var sendTime: String
        enum CodingKeys: String, CodingKey { case sendTime = "send_time" }
    }

    public static func handlers(workspaces: WorkspaceService, services: (kpis: KPIService, slos: SLOService, digests: DigestService),
                                logger: Logger) -> [any JobHandler] {
        @Sendable func everyWorkspace(_ body: @Sendable (Workspace) async throws -> Void) async throws {
            for workspace in try await workspaces.all() { try await body(workspace) }
        }
        return [
            ClosureJobHandler(kind: dailyRollupKind, timeout: .seconds(600)) { _ in
                try await everyWorkspace { try await services.kpis.rollup(.day, in: $0) }
            },
            ClosureJobHandler(kind: monthlyRollupKind, timeout: .seconds(600)) { _ in
                try await everyWorkspace { try await services.kpis.rollup(.month, in: $0) }
            },
            ClosureJobHandler(kind: sloEvaluateKind, timeout: .seconds(600)) { _ in
                try await everyWorkspace { workspace in
                    for (id, evaluation, plan) in try await services.slos.evaluateAll(in: workspace) where plan != .nothing {
                        logger.info("slo burn alert", metadata: ["slo_id": "\(id)", "decision": "\(evaluation.decision)", "plan": "\(plan)"])
                    }
                }
            },
            ClosureJobHandler(kind: DigestService.dispatchKind, timeout: .seconds(300)) { _ in
                try await everyWorkspace { try await services.digests.dispatch(in: $0) }
            },
            ClosureJobHandler(kind: DigestService.sendKind, timeout: .seconds(300)) { job in
                let args = try job.decodeArgs(SendArgs.self)
                guard let seconds = TimeInterval(args.sendTime),
                      let workspace = try await workspaces.find(id: job.workspaceID) else { return }
                let sent = try await services.digests.send(sendTime: Date(timeIntervalSince1970: seconds), in: workspace)
                logger.info("digest sent", metadata: ["channels": "\(sent)"])
            },
        ]
    }
}
