/// One query parameter, always sent in PostgreSQL's text format.
///
/// Text format keeps encoding trivial and lets the server do the parsing with its own input
/// functions; libpq sends the value out-of-band, so it is never part of the SQL text.
public struct PostgresBind: Sendable, Hashable {
    /// The value's text representation; `nil` is SQL NULL.
    public var text: String?
    /// The parameter's type OID; 0 lets the server infer it from context.
    public var typeOID: UInt32

    public init(text: String?, typeOID: UInt32 = 0) {
        self.text = text
        self.typeOID = typeOID
    }

    public static func null(typeOID: UInt32 = 0) -> PostgresBind {
        PostgresBind(text: nil, typeOID: typeOID)
    }
}

/// A Swift value that can be sent as a query parameter.
public protocol PostgresEncodable: Sendable {
    var postgresBind: PostgresBind { get }
    /// The OID used when the value is absent (`Optional.none`), so a NULL is typed like the
    /// non-NULL values of the same Swift type. Defaults to 0 (server infers).
    static var postgresTypeOID: UInt32 { get }
}

extension PostgresEncodable {
    public static var postgresTypeOID: UInt32 { 0 }
}

/// A Swift value that can be built from PostgreSQL's text output for a column.
public protocol PostgresDecodable: Sendable {
    init(postgresText: String) throws
}

extension Optional: PostgresEncodable where Wrapped: PostgresEncodable {
    public var postgresBind: PostgresBind {
        switch self {
        case .some(let value): value.postgresBind
        case .none: PostgresBind(text: nil, typeOID: Wrapped.postgresTypeOID)
        }
    }

    public static var postgresTypeOID: UInt32 { Wrapped.postgresTypeOID }
}

/// Type OIDs from pg_type.dat; stable across PostgreSQL versions.
enum PostgresOID {
    static let bool: UInt32 = 16
    static let bytea: UInt32 = 17
    static let int8: UInt32 = 20
    static let int4: UInt32 = 23
    static let text: UInt32 = 25
    static let float8: UInt32 = 701
    static let textArray: UInt32 = 1009
    static let timestamptz: UInt32 = 1184
    static let uuid: UInt32 = 2950
    static let jsonb: UInt32 = 3802
}
