import Foundation
import Logging
import VigilCore
import VigilServices

/// KPI rollups, SLO evaluation and digests. Each periodic tick fans out one job per workspace
/// with work of its kind (`KPIFanOut`); a due digest becomes its own `digest.send` job with the
/// period as unique key.
struct DailyRollupWorker: JobWorker {
    let fanOut: KPIFanOut

    func work(_ args: KPIJobs.DailyRollupArgs, job: ClaimedJob) async throws {
        try await fanOut.dispatchRollups(.day)
    }
}

struct MonthlyRollupWorker: JobWorker {
    let fanOut: KPIFanOut

    func work(_ args: KPIJobs.MonthlyRollupArgs, job: ClaimedJob) async throws {
        try await fanOut.dispatchRollups(.month)
    }
}

struct SLOEvaluateWorker: JobWorker {
    let fanOut: KPIFanOut

    func work(_ args: KPIJobs.SLOEvaluateArgs, job: ClaimedJob) async throws {
        try await fanOut.dispatchSLOEvaluations()
    }
}

struct DigestDispatchWorker: JobWorker {
    let fanOut: KPIFanOut

    func work(_ args: KPIJobs.DigestDispatchArgs, job: ClaimedJob) async throws {
        try await fanOut.dispatchDigestChecks()
    }
}

/// One workspace's dirty KPI periods of one kind.
struct WorkspaceRollupWorker: JobWorker {
    let services: Services

    func work(_ args: KPIJobs.WorkspaceRollupArgs, job: ClaimedJob) async throws {
        // A workspace deleted since has nothing to roll up.
        guard let workspace = try await services.workspaces.find(id: job.workspaceID) else { return }
        _ = try await services.kpis.rollup(args.period, in: workspace)
    }
}

/// One workspace's SLOs.
struct WorkspaceSLOEvaluateWorker: JobWorker {
    let services: Services
    let logger: Logger

    func work(_ args: KPIJobs.WorkspaceSLOEvaluateArgs, job: ClaimedJob) async throws {
        guard let workspace = try await services.workspaces.find(id: job.workspaceID) else { return }
        for (id, evaluation, plan) in try await services.slos.evaluateAll(in: workspace) where plan != .nothing {
            logger.info("slo burn alert", metadata: ["slo_id": "\(id)", "decision": "\(evaluation.decision)", "plan": "\(plan)"])
        }
    }
}

/// One workspace's digest schedule: enqueues the send when one is due.
struct DigestCheckWorker: JobWorker {
    let services: Services

    func work(_ args: KPIJobs.DigestCheckArgs, job: ClaimedJob) async throws {
        guard let workspace = try await services.workspaces.find(id: job.workspaceID) else { return }
        _ = try await services.digests.dispatch(in: workspace)
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
