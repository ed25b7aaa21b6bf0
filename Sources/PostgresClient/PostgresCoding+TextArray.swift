/// `[String]` maps to `text[]` (one dimension, no NULL elements).
///
/// Encoding quotes every element, so no element can be mistaken for `NULL`, a delimiter or a
/// nested array; inside quotes only `"` and `\` need a backslash.
extension Array: PostgresEncodable where Element == String {
    public var postgresBind: PostgresBind {
        // Built as UTF-8 bytes: arrays of thousands of elements (metric ingest) are on the hot
        // path, and appending scalar by scalar to a String costs several times more.
        var literal: [UInt8] = [UInt8(ascii: "{")]
        literal.reserveCapacity(2 + reduce(0) { $0 + $1.utf8.count + 3 })
        for (index, element) in enumerated() {
            if index > 0 { literal.append(UInt8(ascii: ",")) }
            literal.append(UInt8(ascii: "\""))
            for byte in element.utf8 {
                if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") { literal.append(UInt8(ascii: "\\")) }
                literal.append(byte)
            }
            literal.append(UInt8(ascii: "\""))
        }
        literal.append(UInt8(ascii: "}"))
        return PostgresBind(text: String(decoding: literal, as: UTF8.self), typeOID: Self.postgresTypeOID)
    }

    public static var postgresTypeOID: UInt32 { PostgresOID.textArray }
}

extension Array: PostgresDecodable where Element == String {
    public init(postgresText: String) throws {
        self = try PostgresTextArrayParser.parse(postgresText)
    }
}

/// Parses array_out's format: `{a,"b c","with \"quote\"",""}`, optionally preceded by explicit
/// bounds (`[0:1]={...}`). Unquoted elements are trimmed of whitespace, as array_in does.
enum PostgresTextArrayParser {
    static func parse(_ text: String) throws -> [String] {
        var bytes = Array(text.utf8)[...]
        if bytes.first == UInt8(ascii: "[") {
            guard let equals = bytes.firstIndex(of: UInt8(ascii: "=")) else { throw error(text) }
            bytes = bytes[(equals + 1)...]
        }
        guard bytes.first == UInt8(ascii: "{"), bytes.last == UInt8(ascii: "}") else { throw error(text) }
        var body = bytes.dropFirst().dropLast()
        var elements: [String] = []
        if body.allSatisfy(isSpace) { return [] }

        while true {
            while let c = body.first, isSpace(c) { body.removeFirst() }
            var element: [UInt8] = []
            if body.first == UInt8(ascii: "\"") {
                body.removeFirst()
                var closed = false
                while let c = body.popFirst() {
                    if c == UInt8(ascii: "\\") {
                        guard let escaped = body.popFirst() else { throw error(text) }
                        element.append(escaped)
                    } else if c == UInt8(ascii: "\"") {
                        closed = true
                        break
                    } else {
                        element.append(c)
                    }
                }
                guard closed else { throw error(text) }
                while let c = body.first, isSpace(c) { body.removeFirst() }
            } else {
                while let c = body.first, c != UInt8(ascii: ",") {
                    if c == UInt8(ascii: "{") || c == UInt8(ascii: "\"") {
                        throw PostgresError.decoding("cannot decode '\(text)' as [String]: nested arrays are not supported")
                    }
                    body.removeFirst()
                    if c == UInt8(ascii: "\\") {
                        guard let escaped = body.popFirst() else { throw error(text) }
                        element.append(escaped)
                    } else {
                        element.append(c)
                    }
                }
                while let last = element.last, isSpace(last) { element.removeLast() }
                if element == Array("NULL".utf8) {
                    throw PostgresError.decoding("cannot decode '\(text)' as [String]: NULL elements are not supported")
                }
                if element.isEmpty { throw error(text) }
            }
            elements.append(String(decoding: element, as: UTF8.self))
            guard let separator = body.popFirst() else { return elements }
            guard separator == UInt8(ascii: ",") else { throw error(text) }
        }
    }

    private static func isSpace(_ c: UInt8) -> Bool {
        c == 0x20 || c == 0x09 || c == 0x0a || c == 0x0d || c == 0x0b || c == 0x0c
    }

    private static func error(_ text: String) -> PostgresError {
        PostgresError.decoding("cannot decode '\(text)' as [String]: malformed array literal")
    }
}
