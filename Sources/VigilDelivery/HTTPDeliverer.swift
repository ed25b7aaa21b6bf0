import VigilPrimitives

/// Sends webhook-style POSTs over libcurl.
///
/// Each call runs on this deliverer's own thread pool (at most `maxConcurrent` transfers
/// at once, the rest wait in FIFO order), never on Swift's cooperative threads. Copies of
/// the struct share the pool. Task cancellation aborts the in-flight transfer.
///
/// Every connection passes `policy` at connect time (see `EgressGuard`); the default refuses
/// loopback, private, link-local and other special-purpose addresses.
public struct HTTPDeliverer: Sendable {
    private let pool: BlockingThreadPool
    public let policy: EgressPolicy

    public init(maxConcurrent: Int = 16, policy: EgressPolicy = EgressPolicy()) {
        pool = BlockingThreadPool(maxThreads: maxConcurrent, threadName: "vigil-http")
        self.policy = policy
    }

    public func post(_ request: OutboundHTTPRequest) async -> DeliveryOutcome {
        let cancellation = CancellationFlag()
        let policy = policy
        return await withTaskCancellationHandler {
            await pool.run { HTTPTransfer.perform(request, policy: policy, cancellation: cancellation) }
        } onCancel: {
            cancellation.cancel()
        }
    }
}
