import Foundation
import Logging
import VigilCore
import VigilServices

/// Retention, partitions and rollup compaction: platform jobs on the scheduler.
struct RollupsCompactWorker: JobWorker {
    let compaction: RollupCompactionService
    let logger: Logger

    func work(_ args: HousekeepingJobs.RollupsCompactArgs, job: ClaimedJob) async throws {
        let merged = try await compaction.compactAll()
        if merged > 0 { logger.debug("rollups compacted", metadata: ["rows_merged": "\(merged)"]) }
    }
}

struct RetentionCleanupWorker: JobWorker {
    let housekeeping: HousekeepingService
    let logger: Logger

    func work(_ args: HousekeepingJobs.RetentionCleanupArgs, job: ClaimedJob) async throws {
        let report = try await housekeeping.cleanupPlatform()
        let dispatched = try await housekeeping.dispatchWorkspaceCleanups()
        logger.info("retention cleanup done", metadata: [
            "rows_removed": "\(report.totalRemoved)", "partitions_dropped": "\(report.droppedPartitions.count)",
            "workspace_jobs": "\(dispatched)",
        ])
    }
}

/// One workspace's row-level retention and audit-log sealing.
struct RetentionWorkspaceWorker: JobWorker {
    let services: Services
    let logger: Logger

    func work(_ args: HousekeepingJobs.RetentionWorkspaceArgs, job: ClaimedJob) async throws {
        guard let workspace = try await services.workspaces.find(id: job.workspaceID) else { return }
        let report = try await services.housekeeping.cleanupWorkspace(workspace)
        logger.info("workspace retention done", metadata: [
            "rows_removed": "\(report.totalRemoved)", "audit_segments_sealed": "\(report.auditSegments.values.reduce(0, +))",
        ])
    }
}

struct PartitionsMaintainWorker: JobWorker {
    let housekeeping: HousekeepingService
    let logger: Logger

    func work(_ args: HousekeepingJobs.PartitionsMaintainArgs, job: ClaimedJob) async throws {
        let created = try await housekeeping.maintainPartitions()
        if !created.isEmpty { logger.info("partitions created", metadata: ["partitions": "\(created.joined(separator: ","))"]) }
    }
}

/// `diagnostic.noop` and `diagnostic.ping` do nothing; `diagnostic.sleep` waits, honouring
/// cancellation (so it exercises timeouts and shutdown).
struct NoopWorker: JobWorker {
    func work(_ args: DiagnosticJobs.NoopArgs, job: ClaimedJob) async throws {}
}

struct PingWorker: JobWorker {
    func work(_ args: DiagnosticJobs.PingArgs, job: ClaimedJob) async throws {}
}

struct SleepWorker: JobWorker {
    func work(_ args: DiagnosticJobs.SleepArgs, job: ClaimedJob) async throws {
        try await Task.sleep(for: .milliseconds(max(0, args.milliseconds)))
    }
}
