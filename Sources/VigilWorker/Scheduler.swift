import Foundation
import Logging
import ServiceLifecycle
import VigilCore
import VigilServices

/// Enqueues periodic jobs on their cron schedules. Runs in every worker process, with no
/// leader: each due tick is claimed through the `schedule_ticks` primary key in the same
/// transaction as its job, so a tick is enqueued exactly once however many schedulers race,
/// and a failed enqueue leaves no claim behind. After downtime only the latest missed tick is
/// enqueued (``PeriodicJob/dueTick(for:now:lastEnqueued:)``).
public final class Scheduler: Service, Sendable {
    let scheduling: PeriodicJobScheduling
    let jobs: [PeriodicJob]
    let checkInterval: Duration
    let now: @Sendable () -> Date
    let logger: Logger

    public init(scheduling: PeriodicJobScheduling, jobs: [PeriodicJob], checkInterval: Duration = .seconds(15),
                now: @escaping @Sendable () -> Date = { Date() }, logger: Logger) {
        precondition(Set(jobs.map(\.name)).count == jobs.count, "periodic job names must be unique")
        self.scheduling = scheduling
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
        // One line per pass, so an operator (or a test) can tell this scheduler took part even
        // when other workers won every tick.
        logger.debug("schedules checked", metadata: ["schedules": "\(jobs.count)"])
        return outcomes
    }

    func check(_ job: PeriodicJob, now: Date) async -> ScheduleOutcome {
        var due: Date?
        do {
            let outcome = try await scheduling.enqueueIfDue(job, now: now, dueTick: &due)
            guard let tick = due else { return outcome }
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
