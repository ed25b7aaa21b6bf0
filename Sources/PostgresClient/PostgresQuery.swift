/// SQL text plus its parameters.
///
/// Interpolating a value appends a `$n` placeholder and a bind, so values never become part of
/// the SQL text:
///
///     let q: PostgresQuery = "SELECT * FROM hosts WHERE name = \(name) AND \(unescaped: column) > 0"
public struct PostgresQuery: Sendable, ExpressibleByStringInterpolation, CustomStringConvertible {
    public var sql: String
    public var binds: [PostgresBind]

    public init(unsafeSQL: String, binds: [PostgresBind] = []) {
        self.sql = unsafeSQL
        self.binds = binds
    }

    public init(stringLiteral value: String) {
        self.init(unsafeSQL: value)
    }

    public init(stringInterpolation: StringInterpolation) {
        self.init(unsafeSQL: stringInterpolation.sql, binds: stringInterpolation.binds)
    }

    /// The SQL and the number of binds; bind values are left out since they may be secrets.
    public var description: String {
        binds.isEmpty ? sql : "\(sql) [\(binds.count) bind(s)]"
    }

    public struct StringInterpolation: StringInterpolationProtocol, Sendable {
        public var sql: String
        public var binds: [PostgresBind]

        public init(literalCapacity: Int, interpolationCount: Int) {
            sql = ""
            sql.reserveCapacity(literalCapacity + interpolationCount * 3)
            binds = []
            binds.reserveCapacity(interpolationCount)
        }

        public mutating func appendLiteral(_ literal: String) {
            sql += literal
        }

        /// Appends `$n` and binds the value (an Optional binds NULL when nil).
        public mutating func appendInterpolation<Value: PostgresEncodable>(_ value: Value) {
            binds.append(value.postgresBind)
            sql += "$\(binds.count)"
        }

        /// Optionals bind NULL when nil. (A separate overload, because the compiler warns about
        /// interpolating an Optional into a generic parameter.)
        public mutating func appendInterpolation<Value: PostgresEncodable>(_ value: Value?) {
            binds.append(value.postgresBind)
            sql += "$\(binds.count)"
        }

        /// Appends raw SQL, e.g. an identifier chosen by code. Never pass user input here.
        public mutating func appendInterpolation(unescaped sqlFragment: String) {
            sql += sqlFragment
        }
    }
}
