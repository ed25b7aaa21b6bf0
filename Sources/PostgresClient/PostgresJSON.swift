import Foundation

/// A `jsonb` value, kept as its JSON text.
///
/// Keeping the raw text (rather than decoding eagerly) lets callers choose the Swift type at
/// the use site and pass JSON through untouched.
public struct PostgresJSON: PostgresEncodable, PostgresDecodable, Hashable {
    public var raw: String

    public init(raw: String) {
        self.raw = raw
    }

    public init<T: Encodable>(encoding value: T, encoder: JSONEncoder = JSONEncoder()) throws {
        let data = try encoder.encode(value)
        self.raw = String(decoding: data, as: UTF8.self)
    }

    public func decode<T: Decodable>(_ type: T.Type, decoder: JSONDecoder = JSONDecoder()) throws -> T {
        try decoder.decode(type, from: Data(raw.utf8))
    }

    public init(postgresText: String) throws {
        self.raw = postgresText
    }

    public var postgresBind: PostgresBind { PostgresBind(text: raw, typeOID: Self.postgresTypeOID) }

    public static var postgresTypeOID: UInt32 { PostgresOID.jsonb }
}
