import Foundation
import VigilCore
import VigilRepositories

/// The KPI, SLO and digest ticks: each enqueues one job per workspace with work of its kind,
/// so a tenant whose rollups, SLOs or digest fail or run long only delays its own next run
/// (each job has its own retries and timeout).
public struct KPIFanOut: Sendable {
    let database: Database
    let repository = KPIFanOutRepository()

    public init(database: Database) { self.database = database }

    /// Workspaces with dirty periods of `period`; returns how many jobs were new.
    @discardableResult
    public func dispatchRollups(_ period: KPIPeriod) async throws -> Int {
        let ids = try await database.platform { try await repository.workspacesWithDirtyPeriods(period, on: $0) }
        let args = KPIJobs.WorkspaceRollupArgs(period: period)
        return try await WorkspaceFanOut(database: database).enqueue(args, uniqueKey: args.uniqueKey, in: ids)
    }

    @discardableResult
    public func dispatchSLOEvaluations() async throws -> Int {
        let ids = try await database.platform { try await repository.workspacesWithSLOs(on: $0) }
        return try await WorkspaceFanOut(database: database).enqueue(KPIJobs.WorkspaceSLOEvaluateArgs(),
                                                                     uniqueKey: KPIJobs.WorkspaceSLOEvaluateArgs.uniqueKey, in: ids)
    }

    @discardableResult
    public func dispatchDigestChecks() async throws -> Int {
        let ids = try await database.platform { try await repository.workspacesWithDigestSchedules(on: $0) }
        return try await WorkspaceFanOut(database: database).enqueue(KPIJobs.DigestCheckArgs(), uniqueKey: KPIJobs.DigestCheckArgs.uniqueKey,
                                                                     in: ids)
    }
}
