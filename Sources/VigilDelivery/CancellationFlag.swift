import Synchronization

/// Set from a task-cancellation handler, read by libcurl's progress callback on the pool
/// thread, which then aborts the transfer (CURLE_ABORTED_BY_CALLBACK). This lets a shutting
/// down server cancel in-flight deliveries instead of waiting for their timeouts.
final class CancellationFlag: Sendable {
    private let flag = Atomic<Bool>(false)

    func cancel() { flag.store(true, ordering: .relaxed) }
    var isCancelled: Bool { flag.load(ordering: .relaxed) }
}
