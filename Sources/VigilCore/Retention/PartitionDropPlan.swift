import Foundation

/// When a day's partition of a time-partitioned table may go, and whose rows must be saved
/// from it first (issue 14). Workspaces keeping the table's class at most `standardMaximum`
/// days (the platform's VIGIL_LIMIT_RETENTION_DAYS) form the standard class: a day goes once it
/// is expired for all of them. Workspaces the operator allowed to keep the class longer form
/// the extended class: their rows of a dropped day move to the table's DEFAULT partition and
/// are deleted row by row at their own limit, so one of them never holds back every tenant's
/// partition drops.
public struct PartitionDropPlan: Sendable, Equatable {
    /// Days after which a daily partition is dropped.
    public var cutoffDays: Int
    /// Workspaces whose rows move out of a partition before it is dropped (sorted).
    public var extendedWorkspaces: [UUID]

    public init(cutoffDays: Int, extendedWorkspaces: [UUID]) {
        self.cutoffDays = cutoffDays
        self.extendedWorkspaces = extendedWorkspaces
    }

    /// `retention`: each workspace's days for the table's class (nil: the class is unknown to
    /// the workspace, which then counts as keeping it `whenUnknown` days). With no workspace at
    /// all, partitions go after `whenUnknown` days.
    public static func plan(retention: [(workspace: UUID, days: Int?)], standardMaximum: Int, whenUnknown: Int) -> PartitionDropPlan {
        let days = retention.map { ($0.workspace, $0.days ?? whenUnknown) }
        let cutoff = days.map { min($0.1, standardMaximum) }.max() ?? whenUnknown
        let extended = days.filter { $0.1 > cutoff }.map(\.0).sorted { $0.uuidString < $1.uuidString }
        return PartitionDropPlan(cutoffDays: cutoff, extendedWorkspaces: extended)
    }
}
