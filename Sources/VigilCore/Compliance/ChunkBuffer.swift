/// The output buffer shared by the streaming writers (`CSVWriter`, `ReportJSONWriter`).
///
/// Two ways to get the bytes out, because the worker is async and a sink closure cannot await:
/// - push: give a `sink`; it is called with each chunk of at least `chunkSize` bytes as soon as
///   one is ready, and with the rest at `finish`;
/// - pull: no sink; after each append call `takeChunk()` and, when it returns bytes, `await` the
///   storage write; `finish` returns the rest.
struct ChunkBuffer {
    let chunkSize: Int
    let sink: (([UInt8]) throws -> Void)?
    private(set) var bytes: [UInt8] = []
    /// Bytes handed out so far (to the sink or through `take`).
    private(set) var handedOut: Int64 = 0

    init(chunkSize: Int, sink: (([UInt8]) throws -> Void)?) {
        self.chunkSize = max(1, chunkSize)
        self.sink = sink
        bytes.reserveCapacity(min(self.chunkSize, 64 * 1024) + 256)
    }

    mutating func append(_ byte: UInt8) { bytes.append(byte) }
    mutating func append<S: Sequence<UInt8>>(contentsOf more: S) { bytes.append(contentsOf: more) }

    /// Push mode: hands a full chunk to the sink.
    mutating func pushIfFull() throws {
        guard let sink, bytes.count >= chunkSize else { return }
        try sink(take())
    }

    /// Pull mode: the buffered bytes once at least a chunk is ready.
    mutating func takeIfFull() -> [UInt8]? {
        bytes.count >= chunkSize ? take() : nil
    }

    /// The rest: to the sink (returning nothing) or returned.
    mutating func finish() throws -> [UInt8] {
        let rest = take()
        if let sink {
            if !rest.isEmpty { try sink(rest) }
            return []
        }
        return rest
    }

    private mutating func take() -> [UInt8] {
        let chunk = bytes
        bytes.removeAll(keepingCapacity: true)
        handedOut += Int64(chunk.count)
        return chunk
    }
}
