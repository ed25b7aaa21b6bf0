import Foundation
import Logging
import VigilCore
import VigilServices

/// The housekeeping job kinds and their schedules. Both are platform jobs (no workspace).
public enum HousekeepingJobs {
    public static let retentionKind = "retention.cleanup"
    public static let partitionsKind = "partitions.maintain"
    public static let rollupsKind = "rollups.compact"

    /// Retention daily at 03:17 UTC (off the hour, away from other cron traffic); partitions
    /// hourly, so a missed run is far from the seven days created ahead; rollup compaction every
    /// minute, so queries merge few partial rows.
    public static let schedules: [PeriodicJob] = [
        PeriodicJob(name: "retention-cleanup", cron: try! CronExpression(parsing: "17 3 * * *"), kind: retentionKind, maxAttempts: 5),
        PeriodicJob(name: "partitions-maintain", cron: try! CronExpression(parsing: "5 * * * *"), kind: partitionsKind, maxAttempts: 5),
        PeriodicJob(name: "rollups-compact", cron: try! CronExpression(parsing: "* * * * *"), kind: rollupsKind, maxAttempts: 3),
    ]

    public static func handlers(housekeeping: HousekeepingService, compaction: RollupCompactionService,
                                logger: Logger) -> [any JobHandler] {
        [
            ClosureJobHandler(kind: rollupsKind, timeout: .seconds(300)) { _ in
                let merged = try await compaction.compactAll()
                if merged > 0 { logger.debug("rollups compacted", metadata: ["rows_merged": "\(merged)"]) }
            },
            ClosureJobHandler(kind: retentionKind, timeout: .seconds(3600)) { _ in
                let report = try await housekeeping.cleanup()
                logger.info("retention cleanup done", metadata: [
                    "rows_removed": "\(report.totalRemoved)", "partitions_dropped": "\(report.droppedPartitions.count)",
                ])
            },
            ClosureJobHandler(kind: partitionsKind, timeout: .seconds(300)) { _ in
                let created = try await housekeeping.maintainPartitions()
                if !created.isEmpty { logger.info("partitions created", metadata: ["partitions": "\(created.joined(separator: ","))"]) }
            },
        ]
    }
}

/// Job kinds for checking a deployment's worker and for benchmarks: `diagnostic.noop` and
/// `diagnostic.ping` do nothing (two kinds, so a latency probe can be told from a backlog);
/// `diagnostic.sleep` waits `{"milliseconds": n}` (honouring cancellation, so it
/// exercises timeouts and shutdown).
public enum DiagnosticJobs {
    public static let noopKind = "diagnostic.noop"
    public static let pingKind = "diagnostic.ping"
    public static let sleepKind = "diagnostic.sleep"

    struct SleepArgs: Decodable {
        var milliseconds: Int
    }

    public static let handlers: [any JobHandler] = [
        ClosureJobHandler(kind: noopKind) { _ in },
        ClosureJobHandler(kind: pingKind) { _ in },
        ClosureJobHandler(kind: sleepKind, timeout: .seconds(3600)) { job in
            let args = try job.decodeArgs(SleepArgs.self)
            try await Task.sleep(for: .milliseconds(max(0, args.milliseconds)))
        },
    ]
}
