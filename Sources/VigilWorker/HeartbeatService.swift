import Logging
import ServiceLifecycle
import VigilServices

/// The worker process's first duty: a heartbeat row refreshed every `interval`, which the
/// API's /health reads. (The job queue and scheduler come with the worker issue.)
public struct HeartbeatService: Service {
    let heartbeat: WorkerHeartbeat
    let interval: Duration
    let logger: Logger

    public init(heartbeat: WorkerHeartbeat, interval: Duration, logger: Logger) {
        self.heartbeat = heartbeat
        self.interval = interval
        self.logger = logger
    }

    public func run() async throws {
        try? await heartbeat.prune()
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            do {
                try await heartbeat.beat(jobsRunning: 0)
            } catch {
                // A missed beat is what /health is for; keep trying rather than exit.
                logger.warning("heartbeat failed", metadata: ["error": "\(error)"])
            }
            // Ends early on SIGTERM/SIGINT, so shutdown does not wait out the interval.
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
        }
    }
}
