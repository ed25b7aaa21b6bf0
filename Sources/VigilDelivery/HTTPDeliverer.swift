/// Sends webhook-style POSTs over libcurl.
///
/// Each call runs on this deliverer's own thread pool (at most `maxConcurrent` transfers
/// at once, the rest wait in FIFO order), never on Swift's cooperative threads. Copies of
/// the struct share the pool. Task cancellation aborts the in-flight transfer.
public struct HTTPDeliverer: Sendable {
    private let pool: BlockingThreadPool

    public init(maxConcurrent: Int = 16) {
        pool = BlockingThreadPool(maxThreads: maxConcurrent, threadName: "vigil-http")
    }

    public func post(_ request: OutboundHTTPRequest) async -> DeliveryOutcome {
        let cancellation = CancellationFlag()
        return await withTaskCancellationHandler {
            await pool.run { HTTPTransfer.perform(request, cancellation: cancellation) }
        } onCancel: {
            cancellation.cancel()
        }
    }
}
