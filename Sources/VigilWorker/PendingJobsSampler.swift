import Logging
import ServiceLifecycle
import VigilServices

/// Samples the pending-job counts into `JobMetrics` every `interval`, so the worker's
/// `/metrics` shows the queue depth by kind and state without a query per scrape.
public struct PendingJobsSampler: Service {
    let admin: JobAdministration
    let metrics: JobMetrics
    let interval: Duration
    let logger: Logger

    public init(admin: JobAdministration, metrics: JobMetrics, interval: Duration = .seconds(10), logger: Logger) {
        self.admin = admin
        self.metrics = metrics
        self.interval = interval
        self.logger = logger
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    metrics.recordPending(try await admin.pendingCounts())
                } catch {
                    if Task.isCancelled { return }
                    logger.warning("sampling pending jobs failed", metadata: ["error": "\(error)"])
                }
                try? await Task.sleep(for: interval)
            }
        }
    }
}
