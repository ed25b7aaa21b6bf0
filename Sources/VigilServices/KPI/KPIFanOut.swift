import Foundation
import VigilCore
import VigilRepositories

/// The KPI, SLO and digest ticks: each enqueues one job per workspace with work of its kind,
/// so a tenant whose rollups, SLOs or digest fail or run long only delays its own next run
/// (each job has its own retries and timeout).
public struct KPIFanOut: Sendable {
    let fanOut: WorkspaceFanOut
    let repository = KPIFanOutRepository()

    public init(database: Database) { fanOut = WorkspaceFanOut(database: database) }

    /// Workspaces with dirty periods of `period`; returns how many jobs were new.
    @discardableResult
    public func dispatchRollups(_ period: KPIPeriod) async throws -> Int {
        let args = KPIJobs.WorkspaceRollupArgs(period: period)
        return try await fanOut.enqueue(args, uniqueKey: args.uniqueKey) { try await repository.workspacesWithDirtyPeriods(period, on: $0) }
    }

    @discardableResult
    public func dispatchSLOEvaluations() async throws -> Int {
        try await fanOut.enqueue(KPIJobs.WorkspaceSLOEvaluateArgs(), uniqueKey: KPIJobs.WorkspaceSLOEvaluateArgs.uniqueKey,
                                 inWorkspacesListedBy: repository.workspacesWithSLOs)
    }

    @discardableResult
    public func dispatchDigestChecks() async throws -> Int {
        try await fanOut.enqueue(KPIJobs.DigestCheckArgs(), uniqueKey: KPIJobs.DigestCheckArgs.uniqueKey,
                                 inWorkspacesListedBy: repository.workspacesWithDigestSchedules)
    }
}
