import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import Synchronization
import VigilCore

/// The encoded answers `CachedReads` keeps, behind a lock (`VersionedAnswerCache` is the
/// bookkeeping and its bounds).
final class AnswerCache: Sendable {
    typealias Key = VersionedAnswerCache<Answer>.Key

    struct Answer: Sendable {
        var headers: HTTPFields
        var body: ByteBuffer
    }

    private let state: Mutex<VersionedAnswerCache<Answer>>
    let isEnabled: Bool

    init(limits: VersionedAnswerCache<Answer>.Limits) {
        state = Mutex(VersionedAnswerCache(limits: limits))
        isEnabled = limits.maxBytes > 0
    }

    func answer(for key: Key, at version: Int64) -> Answer? {
        state.withLock { $0.answer(for: key, at: version) }
    }

    func store(_ answer: Answer, for key: Key, at version: Int64) {
        // The path and query string are the tenant's to choose: they are memory too.
        state.withLock { _ = $0.store(answer, bytes: answer.body.readableBytes + key.selection.utf8.count, for: key, at: version) }
    }
}

extension AnswerCache {
    /// A response's whole body, to keep and to send.
    static func collect(_ body: ResponseBody) async throws -> ByteBuffer {
        let collector = BodyCollector()
        try await body.write(CollectingWriter(collector: collector))
        return collector.buffer.withLock { $0 }
    }
}

private final class BodyCollector: Sendable {
    let buffer = Mutex(ByteBuffer())
}

private struct CollectingWriter: ResponseBodyWriter {
    let collector: BodyCollector

    mutating func write(_ buffer: ByteBuffer) async throws {
        collector.buffer.withLock { $0.writeImmutableBuffer(buffer) }
    }

    consuming func finish(_ trailingHeaders: HTTPFields?) async throws {}
}
