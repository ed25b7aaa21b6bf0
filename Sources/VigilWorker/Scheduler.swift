import Foundation
import Logging
import PostgresClient
import ServiceLifecycle
import VigilCore
import VigilRepositories
import VigilServices

/// What one scheduler check did for one periodic job.
public enum ScheduleOutcome: Sendable, Equatable {
    /// No tick is due (the latest tick was already enqueued, or the expression never fires).
    case notDue
    /// This process claimed `tick` and enqueued its job (`jobID` nil when a pending job with the
    /// same unique key already existed).
    case enqueued(tick: Date, jobID: Int64?)
    /// Another process claimed `tick` first.
    case claimedElsewhere(tick: Date)
    /// The claim-and-enqueue transaction failed and rolled back; the tick is retried next check.
    case failed(tick: Date?, error: String)
}

/// Enqueues periodic jobs on their cron schedules. Runs in every worker process, with no
/// leader: each due tick is claimed through the `schedule_ticks` primary key in the same
/// transaction as its job, so a tick is enqueued exactly once however many schedulers race,
/// and a failed enqueue leaves no claim behind. After downtime only the latest missed tick is
/// enqueued (``PeriodicJob/dueTick(for:now:lastEnqueued:)``).
public final class Scheduler: Service, Sendable {
    let database: Database
    let jobs: [PeriodicJob]
    let checkInterval: Duration
    let now: @Sendable () -> Date
    let logger: Logger
    private let ticks = ScheduleTickRepository()
    private let queue = JobQueue()

    public init(database: Database, jobs: [PeriodicJob], checkInterval: Duration = .seconds(15),
                now: @escaping @Sendable () -> Date = { Date() }, logger: Logger) {
        precondition(Set(jobs.map(\.name)).count == jobs.count, "periodic job names must be unique")
        self.database = database
        self.jobs = jobs
        self.checkInterval = checkInterval
        self.now = now
        self.logger = logger
    }

    public func run() async throws {
        // Returning early would end the whole ServiceGroup: with nothing to schedule, just wait.
        guard !jobs.isEmpty else {
            try? await gracefulShutdown()
            return
        }
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            await check()
            // Ends early on SIGTERM/SIGINT, so shutdown does not wait out the interval.
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: self.checkInterval) }
        }
    }

    /// One pass over every periodic job at the injected clock's time. Never throws: a failure
    /// is logged and reported, and the tick is retried next check.
    @discardableResult
    public func check() async -> [String: ScheduleOutcome] {
        let now = self.now()
        var outcomes: [String: ScheduleOutcome] = [:]
        for job in jobs {
            outcomes[job.name] = await check(job, now: now)
        }
        return outcomes
    }

    func check(_ job: PeriodicJob, now: Date) async -> ScheduleOutcome {
        var due: Date?
        do {
            let last = try await database.platform { try await ticks.latestTick(schedule: job.name, on: $0) }
            guard let tick = PeriodicJob.dueTick(for: job, now: now, lastEnqueued: last) else { return .notDue }
            due = tick
            let newJob = try NewJob(workspaceID: platformJobWorkspaceID, kind: job.kind, args: job.args, priority: job.priority,
                                    maxAttempts: job.maxAttempts, uniqueKey: PeriodicJob.uniqueKey(name: job.name, tick: tick),
                                    correlationID: nil)
            let outcome = try await database.inWorkspace(platformJobWorkspaceID) { connection -> ScheduleOutcome in
                guard try await ticks.claimTick(schedule: job.name, tick: tick, on: connection) else {
                    return .claimedElsewhere(tick: tick)
                }
                let id = try await queue.enqueue(newJob, on: connection)
                if let id { try await ticks.recordJob(schedule: job.name, tick: tick, jobID: id, on: connection) }
                return .enqueued(tick: tick, jobID: id)
            }
            if case .enqueued(_, let id) = outcome {
                logger.info("scheduled job enqueued", metadata: [
                    "schedule": "\(job.name)", "tick": "\(tick.formatted(.iso8601))", "job_id": "\(id.map(String.init) ?? "none")",
                ])
            }
            return outcome
        } catch {
            logger.error("scheduling failed", metadata: ["schedule": "\(job.name)", "error": "\(error)"])
            return .failed(tick: due, error: "\(error)")
        }
    }
}
