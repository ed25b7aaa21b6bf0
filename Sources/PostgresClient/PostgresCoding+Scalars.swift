import Foundation

// Scalar conformances. Strings are typed `text` rather than left for the server to infer:
// untyped parameters break common SQL such as `(\(filter) IS NULL OR name = \(filter))`,
// `concat(...)` or `json_build_object(...)` ("could not determine data type of parameter").
// The price is an explicit cast for enum columns: `\(state)::alert_state`.

extension String: PostgresEncodable, PostgresDecodable {
    public var postgresBind: PostgresBind { PostgresBind(text: self, typeOID: Self.postgresTypeOID) }
    public static var postgresTypeOID: UInt32 { PostgresOID.text }
    public init(postgresText: String) throws { self = postgresText }
}

extension Int: PostgresEncodable, PostgresDecodable {
    public var postgresBind: PostgresBind { PostgresBind(text: String(self), typeOID: Self.postgresTypeOID) }
    public static var postgresTypeOID: UInt32 { PostgresOID.int8 }
    public init(postgresText: String) throws {
        guard let value = Int(postgresText) else { throw PostgresError.decoding("cannot decode '\(postgresText)' as Int") }
        self = value
    }
}

extension Int64: PostgresEncodable, PostgresDecodable {
    public var postgresBind: PostgresBind { PostgresBind(text: String(self), typeOID: Self.postgresTypeOID) }
    public static var postgresTypeOID: UInt32 { PostgresOID.int8 }
    public init(postgresText: String) throws {
        guard let value = Int64(postgresText) else { throw PostgresError.decoding("cannot decode '\(postgresText)' as Int64") }
        self = value
    }
}

extension Int32: PostgresEncodable, PostgresDecodable {
    public var postgresBind: PostgresBind { PostgresBind(text: String(self), typeOID: Self.postgresTypeOID) }
    public static var postgresTypeOID: UInt32 { PostgresOID.int4 }
    public init(postgresText: String) throws {
        guard let value = Int32(postgresText) else { throw PostgresError.decoding("cannot decode '\(postgresText)' as Int32") }
        self = value
    }
}

extension Double: PostgresEncodable, PostgresDecodable {
    public var postgresBind: PostgresBind {
        // Swift's description is the shortest text that round-trips; only the non-finite
        // spellings differ from what float8in expects.
        let text: String
        if isNaN {
            text = "NaN"
        } else if isInfinite {
            text = self < 0 ? "-Infinity" : "Infinity"
        } else {
            text = description
        }
        return PostgresBind(text: text, typeOID: Self.postgresTypeOID)
    }

    public static var postgresTypeOID: UInt32 { PostgresOID.float8 }

    public init(postgresText: String) throws {
        switch postgresText {
        case "NaN": self = .nan
        case "Infinity": self = .infinity
        case "-Infinity": self = -.infinity
        default:
            guard let value = Double(postgresText) else {
                throw PostgresError.decoding("cannot decode '\(postgresText)' as Double")
            }
            self = value
        }
    }
}

extension Bool: PostgresEncodable, PostgresDecodable {
    public var postgresBind: PostgresBind { PostgresBind(text: self ? "true" : "false", typeOID: Self.postgresTypeOID) }
    public static var postgresTypeOID: UInt32 { PostgresOID.bool }
    public init(postgresText: String) throws {
        switch postgresText {
        case "t", "true": self = true
        case "f", "false": self = false
        default: throw PostgresError.decoding("cannot decode '\(postgresText)' as Bool")
        }
    }
}

extension UUID: PostgresEncodable, PostgresDecodable {
    public var postgresBind: PostgresBind { PostgresBind(text: uuidString.lowercased(), typeOID: Self.postgresTypeOID) }
    public static var postgresTypeOID: UInt32 { PostgresOID.uuid }
    public init(postgresText: String) throws {
        guard let value = UUID(uuidString: postgresText) else {
            throw PostgresError.decoding("cannot decode '\(postgresText)' as UUID")
        }
        self = value
    }
}
