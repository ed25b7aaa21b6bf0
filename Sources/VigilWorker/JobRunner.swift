import Foundation
import Logging
import ServiceLifecycle
import Synchronization
import VigilCore
import VigilServices

public struct JobRunnerConfiguration: Sendable {
    /// Names this runner in `jobs.locked_by`; unique per process.
    public var workerID: String
    /// Jobs run at once.
    public var concurrency: Int = 10
    /// Most jobs claimed per round (each round claims at most the free slots).
    public var batchSize: Int = 10
    /// How often to look for jobs without a notification (due retries, scheduled jobs, and the
    /// only wake-up when LISTEN is unavailable).
    public var pollInterval: Duration = .seconds(5)
    /// Overrides a kind's own timeout (its args' default options), by kind.
    public var timeouts: [String: Duration] = [:]
    public var heartbeatInterval: Duration = .seconds(15)
    /// A running job whose heartbeat is older than this is presumed orphaned and rescued.
    public var staleAfter: Duration = .seconds(120)
    public var rescueInterval: Duration = .seconds(30)
    /// On graceful shutdown, how long running jobs may finish before they are cancelled and
    /// released back to the queue.
    public var shutdownGracePeriod: Duration = .seconds(20)
    /// How long to wait before trying LISTEN again after it failed.
    public var listenRetryInterval: Duration = .seconds(30)
    public var backoff = JobBackoff()
    /// A value in [0, 1) for the backoff's jitter; inject a constant in tests.
    public var unitRandom: @Sendable () -> Double = { Double.random(in: 0..<1) }

    public init(workerID: String = JobRunnerConfiguration.defaultWorkerID()) {
        self.workerID = workerID
    }

    public static func defaultWorkerID() -> String {
        "\(ProcessInfo.processInfo.hostName)-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString.prefix(8).lowercased())"
    }
}

/// Runs queued jobs: waits for a NOTIFY (or the poll interval), claims up to its free slots,
/// runs each job under its kind's timeout, and records success, a retry with backoff, or a
/// discard. Heartbeats its running jobs and rescues other workers' stale ones. On graceful
/// shutdown it stops claiming, lets running jobs finish within the grace period, then cancels
/// the rest and releases them (their attempt is not counted).
public final class JobRunner: Service, Sendable {
    let store: JobWorkerStore
    let registry: JobRegistry
    let configuration: JobRunnerConfiguration
    let logger: Logger
    let observer: @Sendable (JobEvent) -> Void
    let metrics: JobMetrics?
    private let completions: CompletionBatcher

    private let wakeup = JobWakeup()
    private let running = Mutex<Int>(0)
    private let stopping = Mutex(false)
    /// Set when the grace period ran out: cancelled jobs are released, not failed.
    private let abandoning = Mutex(false)

    public init(
        store: JobWorkerStore, registry: JobRegistry, configuration: JobRunnerConfiguration, logger: Logger,
        metrics: JobMetrics? = nil, observer: @escaping @Sendable (JobEvent) -> Void = { _ in }
    ) {
        precondition(configuration.concurrency > 0 && configuration.batchSize > 0)
        precondition(configuration.heartbeatInterval < configuration.staleAfter,
                     "jobs must heartbeat more often than staleAfter, or live jobs get rescued")
        self.store = store
        self.registry = registry
        self.configuration = configuration
        var logger = logger
        logger[metadataKey: "worker_id"] = "\(configuration.workerID)"
        self.logger = logger
        self.observer = observer
        self.metrics = metrics
        let workerID = configuration.workerID
        self.completions = CompletionBatcher { [store] jobs in try await store.complete(jobs, worker: workerID) }
    }

    public var workerID: String { configuration.workerID }

    /// Jobs running right now.
    public var runningCount: Int { running.withLock { $0 } }

    public func run() async throws {
        await withGracefulShutdownHandler {
            await withTaskGroup(of: Void.self) { background in
                background.addTask { await self.listenLoop() }
                background.addTask {
                    await self.every(self.configuration.heartbeatInterval) { try await self.store.heartbeat(worker: self.workerID) }
                }
                background.addTask {
                    await self.every(self.configuration.rescueInterval) {
                        let rescued = try await self.store.rescueStale(olderThan: self.configuration.staleAfter)
                        if rescued > 0 {
                            self.logger.warning("rescued stale jobs", metadata: ["count": "\(rescued)"])
                            self.wakeup.signal()
                        }
                    }
                }
                await self.dispatch()
                background.cancelAll()
            }
        } onGracefulShutdown: {
            self.stopping.withLock { $0 = true }
            self.wakeup.signal()
        }
    }

    /// Below this many free slots a busy runner waits a moment before claiming (see dispatch).
    private var claimThreshold: Int { max(1, min(configuration.batchSize, configuration.concurrency) / 4) }

    private var isStopping: Bool { stopping.withLock { $0 } || Task.isCancelled }

    // MARK: - Dispatch

    private func dispatch() async {
        await withDiscardingTaskGroup { jobs in
            while !isStopping {
                var free = configuration.concurrency - runningCount
                // Short jobs free slots one by one; claiming for each would cost a claim query
                // per job. While busy with only a few slots free, let a millisecond's worth of
                // completions accumulate and claim them together.
                if free > 0 && free < claimThreshold && runningCount > 0 {
                    try? await Task.sleep(for: .milliseconds(1))
                    free = configuration.concurrency - runningCount
                }
                var claimedFull = false
                if free > 0 {
                    let want = min(free, configuration.batchSize)
                    do {
                        let claimed = try await store.claim(worker: workerID, max: want)
                        claimedFull = claimed.count == want
                        for job in claimed {
                            running.withLock { $0 += 1 }
                            jobs.addTask {
                                await self.execute(job)
                                self.running.withLock { $0 -= 1 }
                                self.wakeup.signal()
                            }
                        }
                    } catch {
                        logger.error("claiming jobs failed", metadata: ["error": "\(error)"])
                    }
                }
                // More may be waiting: claim again at once while slots remain.
                if claimedFull && runningCount < configuration.concurrency { continue }
                await wakeup.wait(timeout: configuration.pollInterval)
            }
            await drain(jobs: &jobs)
        }
        do {
            let released = try await store.release(worker: workerID)
            if released > 0 {
                logger.info("released unfinished jobs", metadata: ["count": "\(released)"])
            }
            observer(.released(count: released))
        } catch {
            logger.error("releasing jobs failed; stale rescue will recover them", metadata: ["error": "\(error)"])
        }
    }

    /// Waits for running jobs up to the grace period, then cancels what is left.
    private func drain(jobs: inout DiscardingTaskGroup) async {
        let deadline = ContinuousClock.now + configuration.shutdownGracePeriod
        while runningCount > 0 {
            let now = ContinuousClock.now
            if now >= deadline || Task.isCancelled {
                abandoning.withLock { $0 = true }
                logger.warning("shutdown grace period over; cancelling running jobs", metadata: ["count": "\(runningCount)"])
                jobs.cancelAll()
                return
            }
            await wakeup.wait(timeout: deadline - now)
        }
    }

    // MARK: - One job

    private func execute(_ job: ClaimedJob) async {
        await LogContext.$correlationID.withValue(job.correlationID) {
            await LogContext.$workspaceID.withValue(job.workspaceID.uuidString.lowercased()) {
                await self.attempt(job)
            }
        }
    }

    private func attempt(_ job: ClaimedJob) async {
        var logger = self.logger
        logger[metadataKey: "job_id"] = "\(job.id)"
        logger[metadataKey: "job_kind"] = "\(job.kind)"
        logger[metadataKey: "attempt"] = "\(job.attempt)"
        if let correlationID = job.correlationID { logger[metadataKey: "correlation_id"] = "\(correlationID)" }
        observer(.started(job))
        metrics?.started(job)
        let started = ContinuousClock.now

        guard let handler = registry[job.kind] else {
            await settleFailure(job, message: "no handler for job kind '\(job.kind)'", retry: false, logger: logger)
            return
        }
        let timeout = configuration.timeouts[job.kind] ?? handler.timeout
        logger.debug("job started")
        do {
            try await Self.withTimeout(timeout, kind: job.kind) { try await handler.run(job) }
        } catch {
            if abandoning.withLock({ $0 }) {
                logger.info("job interrupted by shutdown; it will be released")
                return
            }
            metrics?.finished(job, succeeded: false, duration: ContinuousClock.now - started)
            await settleFailure(job, message: String(describing: error), retry: true, logger: logger)
            return
        }
        metrics?.finished(job, succeeded: true, duration: ContinuousClock.now - started)
        do {
            if try await completions.complete(JobReference(workspaceID: job.workspaceID, id: job.id)) {
                logger.debug("job succeeded")
                observer(.succeeded(job))
            } else {
                logger.warning("job finished but was no longer ours (rescued or released); result dropped")
            }
        } catch {
            // The job stays running until stale rescue runs it again: handlers must be idempotent.
            logger.error("recording job success failed", metadata: ["error": "\(error)"])
        }
    }

    private func settleFailure(_ job: ClaimedJob, message: String, retry: Bool, logger: Logger) async {
        let delay: Duration? = retry
            ? configuration.backoff.delay(afterAttempt: job.attempt, unitRandom: configuration.unitRandom)
            : nil
        do {
            let state = try await store.fail(job, worker: workerID, error: message, retryAfter: delay)
            if state == .discarded {
                logger.warning("job discarded", metadata: ["error": "\(message)"])
            } else {
                logger.info("job failed; will retry", metadata: ["error": "\(message)", "retry_after": "\(delay.map { "\($0)" } ?? "-")"])
            }
            observer(.failed(job, error: message, retryAfter: delay, newState: state))
        } catch {
            logger.error("recording job failure failed", metadata: ["error": "\(error)", "job_error": "\(message)"])
        }
    }

    /// Runs `body`, cancelling it and throwing `JobTimeoutError` once `timeout` has passed.
    static func withTimeout(_ timeout: Duration, kind: String, _ body: @escaping @Sendable () async throws -> Void) async throws {
        try await withThrowingTaskGroup(of: Bool.self) { group in
            group.addTask {
                try await body()
                return true
            }
            group.addTask {
                try await Task.sleep(for: timeout)
                return false
            }
            defer { group.cancelAll() }
            guard let finished = try await group.next(), finished else {
                throw JobTimeoutError(kind: kind, timeout: timeout)
            }
        }
    }

    // MARK: - Background loops

    /// LISTEN for enqueues; on failure (no conninfo, PgBouncer, lost connection) keep polling
    /// and try again later.
    private func listenLoop() async {
        while !Task.isCancelled {
            do {
                try await store.listen(onListening: {
                    // Anything enqueued before LISTEN took effect was not announced to us.
                    self.wakeup.signal()
                    self.observer(.listening)
                }, onNotification: { _ in self.wakeup.signal() })
                return  // cancelled
            } catch {
                if Task.isCancelled { return }
                logger.notice("LISTEN unavailable; polling every \(configuration.pollInterval)", metadata: ["error": "\(error)"])
            }
            try? await Task.sleep(for: configuration.listenRetryInterval)
        }
    }

    private func every(_ interval: Duration, _ body: @Sendable () async throws -> Void) async {
        while !Task.isCancelled {
            do {
                try await body()
            } catch {
                if Task.isCancelled { return }
                logger.warning("periodic job-queue task failed", metadata: ["error": "\(error)"])
            }
            try? await Task.sleep(for: interval)
        }
    }
}
