import Foundation
import Logging
import VigilCore
import VigilServices

/// KPI rollups, SLO evaluation and digests. The periodic ones visit every workspace; a due
/// digest becomes its own `digest.send` job with the period as unique key.
struct DailyRollupWorker: JobWorker {
    let services: Services

    func work(_ args: KPIJobs.DailyRollupArgs, job: ClaimedJob) async throws {
        try await services.workspaces.forEach { try await services.kpis.rollup(.day, in: $0) }
    }
}

struct MonthlyRollupWorker: JobWorker {
    let services: Services

    func work(_ args: KPIJobs.MonthlyRollupArgs, job: ClaimedJob) async throws {
        try await services.workspaces.forEach { try await services.kpis.rollup(.month, in: $0) }
    }
}

struct SLOEvaluateWorker: JobWorker {
    let services: Services
    let logger: Logger

    func work(_ args: KPIJobs.SLOEvaluateArgs, job: ClaimedJob) async throws {
        try await services.workspaces.forEach { workspace in
            for (id, evaluation, plan) in try await services.slos.evaluateAll(in: workspace) where plan != .nothing {
                logger.info("slo burn alert", metadata: ["slo_id": "\(id)", "decision": "\(evaluation.decision)", "plan": "\(plan)"])
            }
        }
    }
}

struct DigestDispatchWorker: JobWorker {
    let services: Services

    func work(_ args: KPIJobs.DigestDispatchArgs, job: ClaimedJob) async throws {
        try await services.workspaces.forEach { try await services.digests.dispatch(in: $0) }
    }
}

struct DigestSendWorker: JobWorker {
    let services: Services
    let logger: Logger

    func work(_ args: KPIJobs.DigestSendArgs, job: ClaimedJob) async throws {
        // A workspace deleted since, or an unreadable time, leaves nothing to send.
        guard let sendTime = args.sendDate, let workspace = try await services.workspaces.find(id: job.workspaceID) else { return }
        let sent = try await services.digests.send(sendTime: sendTime, in: workspace)
        logger.info("digest sent", metadata: ["channels": "\(sent)"])
    }
}

extension WorkspaceService {
    /// Runs `body` for every workspace in turn; the first failure fails the job (it retries).
    func forEach(_ body: (Workspace) async throws -> Void) async throws {
        for workspace in try await all() { try await body(workspace) }
    }
}
