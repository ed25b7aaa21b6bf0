import Foundation
import Synchronization
import VigilCore
import VigilServices

/// Records job successes in batches, like PostgreSQL's group commit: the first success is
/// written at once; successes that arrive while that write is in flight wait and go together in
/// the next one. A runner of short jobs thus pays one transaction per batch, not per job, and a
/// lone job adds no delay. Each caller still learns whether its own job was recorded.
final class CompletionBatcher: Sendable {
    typealias Write = @Sendable ([JobReference]) async throws -> Set<Int64>

    private struct Pending {
        var job: JobReference
        var continuation: CheckedContinuation<Bool, any Error>
    }

    private struct State {
        var queue: [Pending] = []
        var writing = false
    }

    private let state = Mutex(State())
    private let write: Write
    private let maxBatch: Int

    init(maxBatch: Int = 500, write: @escaping Write) {
        self.maxBatch = maxBatch
        self.write = write
    }

    /// True if the job was still this worker's and is now succeeded.
    func complete(_ job: JobReference) async throws -> Bool {
        try await withCheckedThrowingContinuation { continuation in
            let startWriter = state.withLock { state -> Bool in
                state.queue.append(Pending(job: job, continuation: continuation))
                if state.writing { return false }
                state.writing = true
                return true
            }
            if startWriter {
                Task { await self.drain() }
            }
        }
    }

    /// Writes batches until the queue is empty, then hands the writer role back.
    private func drain() async {
        while true {
            let batch = state.withLock { state -> [Pending] in
                let batch = Array(state.queue.prefix(maxBatch))
                state.queue.removeFirst(batch.count)
                if batch.isEmpty { state.writing = false }
                return batch
            }
            if batch.isEmpty { return }
            do {
                let recorded = try await write(batch.map(\.job))
                for pending in batch { pending.continuation.resume(returning: recorded.contains(pending.job.id)) }
            } catch {
                for pending in batch { pending.continuation.resume(throwing: error) }
            }
        }
    }
}
