import VigilPrimitives

/// Streams `report.json` — `{"manifest": {…}, "sections": [{…}, …]}` — section by section and
/// row by row, so an export of millions of metric points never sits in memory. Chunks are pushed
/// to a `sink` or pulled with `takeChunk()` (see `ChunkBuffer`).
///
/// The output is byte-identical to `CanonicalJSON` of the whole document: keys are written in
/// canonical order (`columns`, `matched`, `methods`, `rows`, `table` inside a section), which is
/// why a section's `matched` count is declared up front. The worker takes the counts first (it
/// needs them for the manifest and for progress percentages anyway) inside the same snapshot as
/// the row reads; `endSection` throws if the rows written differ from the declared count, so a
/// report whose manifest disagrees with its rows fails instead of being delivered.
public struct ReportJSONWriter {
    public enum Failure: Error, Equatable {
        case countMismatch(table: String, declared: Int, written: Int)
        case columnCountMismatch(expected: Int, got: Int)
        /// Calls out of order (a row outside a section, a section inside a section, …).
        case misuse(String)
    }

    private var buffer: ChunkBuffer
    private var sectionsWritten = 0
    private var current: (table: String, columns: [String], declared: Int, written: Int)?
    private var isFinished = false

    /// Bytes handed out so far (the whole document once finished).
    public var bytesWritten: Int64 { buffer.handedOut }

    public init(manifest: ReportManifest, chunkSize: Int = 64 * 1024, sink: (([UInt8]) throws -> Void)? = nil) {
        buffer = ChunkBuffer(chunkSize: chunkSize, sink: sink)
        buffer.append(contentsOf: #"{"manifest":"#.utf8)
        buffer.append(contentsOf: manifest.canonicalJSON.bytes)
        buffer.append(contentsOf: #","sections":["#.utf8)
    }

    public mutating func beginSection(table: String, methods: [SearchMethod], columns: [String], matched: Int) throws {
        guard current == nil, !isFinished else { throw Failure.misuse("beginSection inside a section or after finish") }
        if sectionsWritten > 0 { buffer.append(UInt8(ascii: ",")) }
        buffer.append(contentsOf: #"{"columns":"#.utf8)
        buffer.append(contentsOf: CanonicalJSON.array(columns.map(CanonicalJSON.string)).bytes)
        buffer.append(contentsOf: #","matched":\#(matched),"methods":"#.utf8)
        buffer.append(contentsOf: CanonicalJSON.array(ReportSection.normalizedMethods(methods).map { .string($0.rawValue) }).bytes)
        buffer.append(contentsOf: #","rows":["#.utf8)
        current = (table, columns, matched, 0)
    }

    public mutating func appendRow(_ values: [String]) throws {
        guard var section = current else { throw Failure.misuse("appendRow outside a section") }
        guard values.count == section.columns.count else {
            throw Failure.columnCountMismatch(expected: section.columns.count, got: values.count)
        }
        if section.written > 0 { buffer.append(UInt8(ascii: ",")) }
        buffer.append(contentsOf: ReportSection.rowJSON(columns: section.columns, values: values).bytes)
        section.written += 1
        current = section
        try buffer.pushIfFull()
    }

    public mutating func endSection() throws {
        guard let section = current else { throw Failure.misuse("endSection without beginSection") }
        guard section.written == section.declared else {
            throw Failure.countMismatch(table: section.table, declared: section.declared, written: section.written)
        }
        buffer.append(contentsOf: #"],"table":"#.utf8)
        buffer.append(contentsOf: CanonicalJSON.string(section.table).bytes)
        buffer.append(UInt8(ascii: "}"))
        sectionsWritten += 1
        current = nil
    }

    /// Pull mode: the next chunk once at least `chunkSize` bytes are buffered, else nil.
    public mutating func takeChunk() -> [UInt8]? {
        buffer.takeIfFull()
    }

    /// Closes the document: push mode hands the rest to the sink, pull mode returns it.
    @discardableResult
    public mutating func finish() throws -> [UInt8] {
        guard current == nil, !isFinished else { throw Failure.misuse("finish inside a section or twice") }
        buffer.append(contentsOf: "]}".utf8)
        isFinished = true
        return try buffer.finish()
    }

    /// The whole document for in-memory sections (same bytes as streaming them).
    public static func render(manifest: ReportManifest, sections: [ReportSection]) -> [UInt8] {
        CanonicalJSON.object(["manifest": manifest.canonicalJSON, "sections": .array(sections.map(\.canonicalJSON))]).bytes
    }
}
