import Logging
import ServiceLifecycle
import VigilServices

/// A heartbeat row for this worker process, refreshed every `interval` with the number of jobs
/// running; the API's /health reads the youngest.
public struct HeartbeatService: Service {
    let heartbeat: WorkerHeartbeat
    let interval: Duration
    let logger: Logger
    let jobsRunning: @Sendable () -> Int

    public init(heartbeat: WorkerHeartbeat, interval: Duration, logger: Logger, jobsRunning: @escaping @Sendable () -> Int = { 0 }) {
        self.heartbeat = heartbeat
        self.interval = interval
        self.logger = logger
        self.jobsRunning = jobsRunning
    }

    public func run() async throws {
        try? await heartbeat.prune()
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            do {
                try await heartbeat.beat(jobsRunning: jobsRunning())
            } catch {
                // A missed beat is what /health is for; keep trying rather than exit.
                logger.warning("heartbeat failed", metadata: ["error": "\(error)"])
            }
            // Ends early on SIGTERM/SIGINT, so shutdown does not wait out the interval.
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
        }
    }
}
