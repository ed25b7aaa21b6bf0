import Foundation

/// A small pool of dedicated OS threads for blocking work (libcurl's easy API blocks
/// for the whole transfer).
///
/// Why not the cooperative pool: Swift concurrency has one thread per core (2 here), so a
/// handful of slow receivers would stall the whole server. Why not NIOThreadPool: it needs an
/// explicit shutdown, which a value-type deliverer cannot do; here idle threads simply exit
/// after `idleTimeout`, so an abandoned pool frees itself.
///
/// At most `maxThreads` jobs run at once; further jobs wait FIFO. A hung transfer therefore
/// occupies one thread until its own curl timeout fires, never more.
final class BlockingThreadPool: @unchecked Sendable {
    // All mutable state below is guarded by `condition`.
    private let condition = NSCondition()
    private var queue: [@Sendable () -> Void] = []
    private var head = 0
    private var threadCount = 0
    private var idleCount = 0

    let maxThreads: Int
    let idleTimeout: TimeInterval
    let threadName: String

    init(maxThreads: Int, idleTimeout: TimeInterval = 30, threadName: String = "vigil-delivery") {
        self.maxThreads = max(1, maxThreads)
        self.idleTimeout = idleTimeout
        self.threadName = threadName
    }

    func submit(_ work: @escaping @Sendable () -> Void) {
        condition.lock()
        queue.append(work)
        // Start a thread only when queued work outnumbers threads already waiting for it.
        let spawn = (queue.count - head) > idleCount && threadCount < maxThreads
        if spawn { threadCount += 1 }
        condition.signal()
        condition.unlock()
        if spawn {
            let thread = Thread { [self] in self.workerLoop() }
            thread.name = threadName
            thread.start()
        }
    }

    /// Threads currently alive (busy or idle); for tests and diagnostics.
    var liveThreads: Int {
        condition.lock()
        defer { condition.unlock() }
        return threadCount
    }

    /// Runs `body` on a pool thread and suspends (without blocking) until it returns.
    func run<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            submit { continuation.resume(returning: body()) }
        }
    }

    private func workerLoop() {
        condition.lock()
        while true {
            while head == queue.count {
                idleCount += 1
                let signalled = condition.wait(until: Date(timeIntervalSinceNow: idleTimeout))
                idleCount -= 1
                if !signalled && head == queue.count {
                    threadCount -= 1
                    condition.unlock()
                    return
                }
            }
            let work = queue[head]
            head += 1
            if head == queue.count {
                queue.removeAll(keepingCapacity: true)
                head = 0
            }
            condition.unlock()
            work()
            condition.lock()
        }
    }
}
