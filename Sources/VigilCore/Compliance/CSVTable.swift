/// A small CSV table held in memory (audit-readiness sections, tests). Large sections should use
/// `CSVWriter` directly; this renders through it, so both produce the same bytes.
public struct CSVTable: Sendable, Equatable {
    public var columns: [String]
    public var rows: [[CSVCell]]

    public init(columns: [String], rows: [[CSVCell]] = []) {
        self.columns = columns
        self.rows = rows
    }

    /// Rows of text cells in column order.
    public init(columns: [String], textRows: [[String]]) {
        self.init(columns: columns, rows: textRows.map { $0.map(CSVCell.text) })
    }

    /// The whole file. Throws if a row's width differs from the header's.
    public func render(byteOrderMark: Bool = false) throws -> [UInt8] {
        var writer = CSVWriter(columns: columns, byteOrderMark: byteOrderMark, chunkSize: Int.max)
        for row in rows { try writer.append(row) }
        return try writer.finish()
    }
}
