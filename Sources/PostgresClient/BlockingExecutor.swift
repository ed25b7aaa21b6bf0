import NIOPosix

/// One dedicated OS thread that runs a connection's blocking libpq calls in FIFO order.
///
/// libpq blocks in `PQexec*`/`PQgetResult`/`PQconnectdb`; doing that on Swift's cooperative
/// pool would stall unrelated tasks (the pool has one thread per core, two here). A
/// single-thread `NIOThreadPool` also gives us the "one PGconn, one thread at a time" rule for
/// free. Unlike `NIOThreadPool.runIfActive`, submitted work is never skipped when the calling
/// task is cancelled: a ROLLBACK or PQfinish must still happen.
final class BlockingExecutor: Sendable {
    private let threadPool: NIOThreadPool

    init() {
        threadPool = NIOThreadPool(numberOfThreads: 1)
        threadPool.start()
    }

    func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, Error>) in
            threadPool.submit { state in
                switch state {
                case .active:
                    continuation.resume(with: Result(catching: body))
                case .cancelled:
                    // Only happens once the executor is shut down, i.e. the connection is closed.
                    continuation.resume(throwing: PostgresError.closed)
                }
            }
        }
    }

    /// Fire-and-forget variant for contexts that cannot await (deinit).
    func submit(_ body: @escaping @Sendable () -> Void) {
        threadPool.submit { state in
            if case .active = state { body() }
        }
    }

    func shutdown() async {
        try? await threadPool.shutdownGracefully()
    }

    func shutdownInBackground() {
        threadPool.shutdownGracefully { _ in }
    }
}
