import Foundation
import Logging
import VigilCore
import VigilRepositories

/// What a retention run removed, per workspace and per table.
public struct RetentionReport: Sendable, Equatable {
    public var removed: [UUID: [String: Int]] = [:]
    public var droppedPartitions: [String] = []
    /// Signed audit segments stored before their rows were pruned, per workspace.
    public var auditSegments: [UUID: Int] = [:]
    /// Workspaces whose audit rows due for sealing did not verify (the first bad seq): their
    /// audit log is left whole.
    public var brokenAuditChains: [UUID: Int64] = [:]

    public init() {}

    mutating func add(_ count: Int, table: String, workspace: UUID) {
        guard count > 0 else { return }
        removed[workspace, default: [:]][table, default: 0] += count
    }

    public var totalRemoved: Int { removed.values.reduce(0) { $0 + $1.values.reduce(0, +) } }

    /// Adds another run's figures (the platform part and each workspace's part of one cleanup).
    public mutating func merge(_ other: RetentionReport) {
        for (workspace, tables) in other.removed {
            for (table, count) in tables { add(count, table: table, workspace: workspace) }
        }
        droppedPartitions += other.droppedPartitions
        auditSegments.merge(other.auditSegments, uniquingKeysWith: +)
        brokenAuditChains.merge(other.brokenAuditChains) { first, _ in first }
    }
}

public struct HousekeepingConfiguration: Sendable {
    /// Rows deleted per transaction: small enough that no table is locked for long.
    public var batchSize = 5_000
    /// Finished jobs (succeeded, discarded, cancelled) are kept this long, in every workspace.
    public var finishedJobRetentionDays = 14
    /// Scheduler ledger rows are kept this long (each schedule's latest row always stays).
    public var scheduleTickRetentionDays = 30
    /// Daily partitions are created this many days ahead of today (UTC).
    public var partitionDaysAhead = 7
    /// Signs the segments the audit log is sealed into before old rows go
    /// (VIGIL_AUDIT_SIGNING_KEY). Without it the audit log is kept whole, past its retention.
    public var auditSigningKey: AuditSigningKey?
    /// How long a sealed segment's body stays downloadable (VIGIL_AUDIT_SEGMENT_KEEP_DAYS).
    public var auditSegmentKeepDays = 90
    /// The platform's retention maximum (VIGIL_LIMIT_RETENTION_DAYS): workspaces keeping a
    /// partitioned class longer (an operator override) do not hold back partition drops.
    public var standardRetentionDays = WorkspaceLimits.defaultMaxRetentionDays

    public init() {}
}

/// The worker's housekeeping: retention and partition upkeep (`partitions.maintain`).
/// Retention runs in two parts: `retention.cleanup` (platform) drops whole daily partitions
/// expired for the standard retention class and prunes the job queue, then fans out one
/// `retention.workspace` job per workspace, which deletes what is left row by row in bounded
/// batches and seals its audit log. Each part appends a `retention.cleanup` audit entry to each
/// workspace that lost rows in it.
public struct HousekeepingService: Sendable {
    let database: Database
    let clock: WallClock
    let configuration: HousekeepingConfiguration
    let targets: [RetentionTarget]
    let logger: Logger
    let audit: AuditTrail
    let partitions = PartitionRepository()
    let retention = RetentionRepository()
    let jobs = JobAdminRepository()
    let ticks = ScheduleTickRepository()

    public init(database: Database, clock: WallClock = WallClock(), configuration: HousekeepingConfiguration = .init(),
                targets: [RetentionTarget] = RetentionTarget.all, logger: Logger) {
        self.database = database
        self.clock = clock
        self.configuration = configuration
        self.targets = targets
        self.logger = logger
        self.audit = AuditTrail(clock: clock)
    }

    /// Creates the daily partitions from yesterday to `partitionDaysAhead` days ahead.
    @discardableResult
    public func maintainPartitions() async throws -> [String] {
        let yesterday = clock.now().addingTimeInterval(-86_400)
        return try await database.platform { connection in
            var created: [String] = []
            for table in try await partitions.registered(on: connection) {
                created += try await partitions.ensure(parent: table.parent, firstDay: yesterday,
                                                       days: configuration.partitionDaysAhead + 2, on: connection)
            }
            return created
        }
    }

    /// Removes everything past its retention in one call, as the jobs would: the platform part,
    /// then each workspace's part, each audited in its own transaction. The worker runs the parts
    /// as separate jobs; this sequence is for the tests, which check the whole pass at once.
    public func cleanup() async throws -> RetentionReport {
        var report = try await cleanupPlatform()
        for workspace in try await database.everyWorkspace() {
            report.merge(try await cleanupWorkspace(workspace))
        }
        return report
    }

    /// `retention.cleanup`'s own part: the daily partitions expired for the standard class and
    /// the job queue's finished jobs and ledger rows; the rows removed are audited per workspace.
    public func cleanupPlatform() async throws -> RetentionReport {
        let now = clock.now()
        var report = RetentionReport()
        try await dropExpiredPartitions(try await database.everyWorkspace(), now: now, into: &report)
        try await pruneQueue(now: now, into: &report)
        try await auditRemovals(report, now: now)
        return report
    }

    /// Enqueues `retention.workspace` in every workspace (none where the last is still pending).
    @discardableResult
    public func dispatchWorkspaceCleanups() async throws -> Int {
        let ids = try await database.everyWorkspace().map(\.id)
        return try await WorkspaceFanOut(database: database).enqueue(HousekeepingJobs.RetentionWorkspaceArgs(),
                                                                    uniqueKey: HousekeepingJobs.RetentionWorkspaceArgs.uniqueKey, in: ids)
    }

    /// One workspace's retention: its tables row by row in bounded batches, its unreferenced
    /// series, and its audit log by sealing; the rows removed are audited in its chain.
    public func cleanupWorkspace(_ workspace: Workspace) async throws -> RetentionReport {
        let now = clock.now()
        var report = RetentionReport()
        for target in targets {
            guard let days = target.fixedDays ?? workspace.settings.retentionDays.days(for: target.dataClass) else {
                logger.error("retention target has an unknown data class", metadata: ["table": "\(target.table)"])
                continue
            }
            let cutoff = now.addingTimeInterval(-Double(max(days, target.minimumDays)) * 86_400)
            while true {
                let removed = try await database.inWorkspace(workspace.id) {
                    try await retention.deleteExpired(target, before: cutoff, limit: configuration.batchSize, on: $0)
                }
                report.add(removed, table: target.table, workspace: workspace.id)
                if removed < configuration.batchSize { break }
            }
        }
        try await pruneSeries(of: workspace, now: now, into: &report)
        try await sealAuditLog(of: workspace, now: now, into: &report)
        try await auditRemovals(report, now: now)
        return report
    }

    /// Series whose points and rollups have all aged out (after the partition drops and the
    /// row deletes above). Only series older than `IngestCaches.seriesTrustInterval` go, and
    /// an API process trusts a remembered series no longer than that, so a series pruned here
    /// is re-inserted by the next batch that names it.
    private func pruneSeries(of workspace: Workspace, now: Date, into report: inout RetentionReport) async throws {
        let createdBefore = now.addingTimeInterval(-IngestCaches.seriesTrustInterval)
        while true {
            let removed = try await database.inWorkspace(workspace.id) {
                try await retention.pruneUnreferencedSeries(createdBefore: createdBefore, limit: configuration.batchSize, on: $0)
            }
            report.add(removed, table: "metric_series", workspace: workspace.id)
            if removed < configuration.batchSize { break }
        }
    }

    /// The audit log is pruned only through sealing, and only with a signing key.
    private func sealAuditLog(of workspace: Workspace, now: Date, into report: inout RetentionReport) async throws {
        guard let key = configuration.auditSigningKey else { return }
        let sealing = AuditSealing(database: database, key: key, rowsPerSegment: configuration.batchSize,
                                   segmentKeepDays: configuration.auditSegmentKeepDays, logger: logger)
        let outcome = try await sealing.run(workspace, now: now)
        report.add(outcome.rowsPruned, table: "audit_log", workspace: workspace.id)
        if outcome.segments > 0 { report.auditSegments[workspace.id] = outcome.segments }
        if let broken = outcome.brokenAt { report.brokenAuditChains[workspace.id] = broken.seq }
    }

    /// A day's partition goes once it is expired for every workspace of the standard class;
    /// the extended class's rows move to the DEFAULT partition first (`PartitionDropPlan`).
    private func dropExpiredPartitions(_ all: [Workspace], now: Date, into report: inout RetentionReport) async throws {
        let registered = try await database.platform { try await partitions.registered(on: $0) }
        for table in registered {
            let plan = PartitionDropPlan.plan(retention: all.map { ($0.id, $0.settings.retentionDays.days(for: table.dataClass)) },
                                              standardMaximum: configuration.standardRetentionDays,
                                              whenUnknown: WorkspaceSettings.retentionRange.upperBound)
            let cutoff = now.addingTimeInterval(-Double(plan.cutoffDays) * 86_400)
            let dropped = try await database.platform {
                try await partitions.dropExpired(parent: table.parent, cutoff: cutoff, keeping: plan.extendedWorkspaces, on: $0)
            }
            report.droppedPartitions += dropped.partitions
            for (workspace, rows) in dropped.rowsByWorkspace { report.add(rows, table: table.parent, workspace: workspace) }
        }
        // Its own transaction: the scan of the DEFAULT partitions blocks neither reads nor writes.
        try await database.platform { try await partitions.validateHorizons(on: $0) }
    }

    private func pruneQueue(now: Date, into report: inout RetentionReport) async throws {
        let jobCutoff = now.addingTimeInterval(-Double(configuration.finishedJobRetentionDays) * 86_400)
        while true {
            let removed = try await database.platform {
                try await jobs.pruneFinished(before: jobCutoff, limit: configuration.batchSize, on: $0)
            }
            for (workspace, count) in removed { report.add(count, table: "jobs", workspace: workspace) }
            if removed.values.reduce(0, +) < configuration.batchSize { break }
        }
        let tickCutoff = now.addingTimeInterval(-Double(configuration.scheduleTickRetentionDays) * 86_400)
        let ticksRemoved = try await database.platform { try await ticks.prune(olderThan: tickCutoff, on: $0) }
        report.add(ticksRemoved, table: "schedule_ticks", workspace: AuditTrail.platformWorkspaceID)
    }

    /// One entry per workspace, in that workspace's chain: table → rows removed.
    private func auditRemovals(_ report: RetentionReport, now: Date) async throws {
        let metadata = RequestMetadata(correlationID: LogContext.correlationID ?? CorrelationID.generate(), sourceIP: nil)
        for (workspace, tables) in report.removed.sorted(by: { $0.key.uuidString < $1.key.uuidString }) {
            var details = tables.mapValues(String.init)
            details["as_of"] = now.formatted(.iso8601)
            try await database.inWorkspace(workspace) { connection in
                try await audit.record(workspaceID: workspace, actor: .system("worker"), action: "retention.cleanup",
                                       resourceType: "workspace", resourceID: workspace.uuidString.lowercased(),
                                       details: details, request: metadata, on: connection)
            }
        }
    }
}
