/// Column names of one result, shared by all its rows (a class so rows don't each copy it).
final class PostgresColumns: Sendable {
    let names: [String]
    private let indexByName: [String: Int]

    init(names: [String]) {
        self.names = names
        var index: [String: Int] = [:]
        // The first column of a given name wins, like most SQL clients.
        for (i, name) in names.enumerated() where index[name] == nil { index[name] = i }
        self.indexByName = index
    }

    func index(of name: String) -> Int? { indexByName[name] }
}

/// One result row, decoded lazily from PostgreSQL's text output.
public struct PostgresRow: Sendable {
    let columnSet: PostgresColumns
    /// Text value of each column; nil is SQL NULL.
    let values: [String?]

    init(columns: PostgresColumns, values: [String?]) {
        self.columnSet = columns
        self.values = values
    }

    public var columns: [String] { columnSet.names }

    /// Decodes a non-NULL column; throws `.decoding` if the column is NULL, missing or unparsable.
    public func decode<T: PostgresDecodable>(_ column: String, as type: T.Type = T.self) throws -> T {
        guard let text = try rawValue(column) else {
            throw PostgresError.decoding("column '\(column)' is NULL; decode it as \(T.self)? instead")
        }
        return try decodeText(text, column: column, as: T.self)
    }

    /// Decodes a nullable column: nil for SQL NULL.
    public func decode<T: PostgresDecodable>(_ column: String, as type: Optional<T>.Type) throws -> T? {
        guard let text = try rawValue(column) else { return nil }
        return try decodeText(text, column: column, as: T.self)
    }

    /// True if the column is NULL (or missing).
    public func isNull(_ column: String) -> Bool {
        guard let index = columnSet.index(of: column) else { return true }
        return values[index] == nil
    }

    private func rawValue(_ column: String) throws -> String? {
        guard let index = columnSet.index(of: column) else {
            throw PostgresError.decoding("no column '\(column)' in row (columns: \(columns.joined(separator: ", ")))")
        }
        return values[index]
    }

    private func decodeText<T: PostgresDecodable>(_ text: String, column: String, as: T.Type) throws -> T {
        do {
            return try T(postgresText: text)
        } catch var error as PostgresError {
            error.message = "column '\(column)': \(error.message)"
            throw error
        } catch {
            throw PostgresError.decoding("column '\(column)': cannot decode as \(T.self): \(error)")
        }
    }
}

/// The rows returned by one statement, plus its affected-row count (PQcmdTuples).
public struct PostgresRows: Sendable, Sequence, RandomAccessCollection {
    public var rows: [PostgresRow]
    public var affectedRows: Int

    public init(rows: [PostgresRow] = [], affectedRows: Int = 0) {
        self.rows = rows
        self.affectedRows = affectedRows
    }

    public typealias Element = PostgresRow
    public typealias Index = Int
    public typealias Indices = Range<Int>
    public typealias Iterator = IndexingIterator<PostgresRows>
    public typealias SubSequence = Slice<PostgresRows>

    public var startIndex: Int { rows.startIndex }
    public var endIndex: Int { rows.endIndex }
    public subscript(position: Int) -> PostgresRow { rows[position] }
}
