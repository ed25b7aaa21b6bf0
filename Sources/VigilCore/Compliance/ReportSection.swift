import VigilPrimitives

/// One table's part of a report: the rows found (or computed) and how they were found.
///
/// Rows are text, column-aligned: the same shape feeds the JSON (`rows` as objects keyed by
/// column) and the CSV (header + rows), so both formats always agree.
public struct ReportSection: Sendable, Equatable {
    /// The table or section name (`metric_points`, `audit_log`, `key_inventory`, …).
    public var table: String
    /// Empty for sections that are not searches (retention, readiness).
    public var methods: [SearchMethod]
    public var columns: [String]
    public var rows: [[String]]

    public var matched: Int { rows.count }

    /// Every row must have one value per column (checked with a precondition: a mismatch is a
    /// programming error in the code that built the section).
    public init(table: String, methods: [SearchMethod] = [], columns: [String], rows: [[String]]) {
        precondition(rows.allSatisfy { $0.count == columns.count }, "every row needs one value per column")
        self.table = table
        self.methods = Self.normalizedMethods(methods)
        self.columns = columns
        self.rows = rows
    }

    /// Rows given as objects; the columns are the union of their keys, sorted, missing values empty.
    public init(table: String, methods: [SearchMethod] = [], records: [[String: String]]) {
        let columns = Set(records.flatMap(\.keys)).sorted()
        self.init(table: table, methods: methods, columns: columns, rows: records.map { row in columns.map { row[$0] ?? "" } })
    }

    static func normalizedMethods(_ methods: [SearchMethod]) -> [SearchMethod] {
        Array(Set(methods)).sorted { $0.rawValue < $1.rawValue }
    }

    /// `{"columns": [...], "matched": n, "methods": [...], "rows": [{column: value}], "table": "…"}`.
    public var canonicalJSON: CanonicalJSON {
        .object([
            "table": .string(table),
            "methods": .array(methods.map { .string($0.rawValue) }),
            "columns": .array(columns.map(CanonicalJSON.string)),
            "matched": .int(Int64(matched)),
            "rows": .array(rows.map { Self.rowJSON(columns: columns, values: $0) }),
        ])
    }

    static func rowJSON(columns: [String], values: [String]) -> CanonicalJSON {
        .object(Dictionary(zip(columns, values.map(CanonicalJSON.string)), uniquingKeysWith: { first, _ in first }))
    }

    public var csvTable: CSVTable { CSVTable(columns: columns, textRows: rows) }
}
