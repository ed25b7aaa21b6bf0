/// Streams an RFC 4180 CSV file (header row, CRLF line ends) chunk by chunk, so a report section
/// of millions of rows is never held in memory: the worker reads rows from the database in
/// batches, appends them here, and writes each chunk to report storage (push through a `sink`,
/// or pull with `takeChunk()` from async code — see `ChunkBuffer`).
///
/// Every header and text cell goes through `CSVEscaping` (formula guard + quoting).
public struct CSVWriter {
    public enum Failure: Error, Equatable {
        /// A row had a different number of cells than there are columns.
        case columnCountMismatch(expected: Int, got: Int)
        /// `append` or `finish` after `finish`.
        case finished
    }

    public let columns: [String]
    public private(set) var rowsWritten = 0
    private var buffer: ChunkBuffer
    private var isFinished = false

    /// Bytes handed out so far (all of the file once finished).
    public var bytesWritten: Int64 { buffer.handedOut }

    /// - Parameters:
    ///   - columns: the header row; every row must have this many cells.
    ///   - byteOrderMark: start with a UTF-8 BOM, which Excel needs to read non-ASCII correctly.
    ///   - chunkSize: bytes buffered before a chunk is handed out (the last one may be smaller).
    ///   - sink: receives the file in order (push mode); nil for pull mode (`takeChunk`).
    public init(columns: [String], byteOrderMark: Bool = false, chunkSize: Int = 64 * 1024,
                sink: (([UInt8]) throws -> Void)? = nil) {
        self.columns = columns
        buffer = ChunkBuffer(chunkSize: chunkSize, sink: sink)
        if byteOrderMark { buffer.append(contentsOf: [0xEF, 0xBB, 0xBF]) }
        appendLine(columns.map(CSVEscaping.field))
    }

    public mutating func append(_ row: [CSVCell]) throws {
        guard !isFinished else { throw Failure.finished }
        guard row.count == columns.count else { throw Failure.columnCountMismatch(expected: columns.count, got: row.count) }
        appendLine(row.map(\.encoded))
        rowsWritten += 1
        try buffer.pushIfFull()
    }

    /// A row of text cells in column order.
    public mutating func append(text row: [String]) throws {
        try append(row.map(CSVCell.text))
    }

    /// A row given by column name; columns missing from `row` are empty, extra keys are ignored.
    public mutating func append(record row: [String: String]) throws {
        try append(columns.map { CSVCell.text(row[$0] ?? "") })
    }

    /// Pull mode: the next chunk once at least `chunkSize` bytes are buffered, else nil.
    public mutating func takeChunk() -> [UInt8]? {
        buffer.takeIfFull()
    }

    /// Ends the file: push mode hands the rest to the sink and returns nothing; pull mode returns
    /// the rest. Further appends throw.
    @discardableResult
    public mutating func finish() throws -> [UInt8] {
        guard !isFinished else { throw Failure.finished }
        isFinished = true
        return try buffer.finish()
    }

    private mutating func appendLine(_ fields: [String]) {
        for (index, field) in fields.enumerated() {
            if index > 0 { buffer.append(UInt8(ascii: ",")) }
            buffer.append(contentsOf: field.utf8)
        }
        buffer.append(contentsOf: [0x0D, 0x0A])
    }
}
