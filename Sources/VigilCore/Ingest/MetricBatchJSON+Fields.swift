import Foundation

/// Field readers for `MetricBatchJSON`: each checks one JSON value's type and names the path on
/// error. They take the point index and field name rather than a ready path because building
/// `points[i].field` for every field showed up in profiles; paths are made only when throwing.
extension MetricBatchJSON {
    static func path(_ index: Int, _ field: StaticString) -> String { "points[\(index)].\(field)" }

    /// "X must be Y" when a different JSON value is present; a syntax error if no value starts here
    /// (so `"value": }` reports broken JSON rather than a wrong type).
    static func typeError(_ r: JSONReader, _ field: String, _ expected: String) -> ValidationFailure {
        guard r.atValueStart else { return r.syntaxError("expected a JSON value") }
        return ValidationFailure(field: field, message: "\(field) must be \(expected)")
    }

    static func missing(_ index: Int, _ field: StaticString) -> ValidationFailure {
        ValidationFailure(field: path(index, field), message: "\(path(index, field)) is required")
    }

    static func readString(_ r: inout JSONReader, _ index: Int, _ field: StaticString) throws(ValidationFailure) -> String {
        guard r.peek == UInt8(ascii: "\"") else { throw typeError(r, path(index, field), "a string") }
        return r.string(try r.scanString())
    }

    /// A JSON number that fits a Double; overflow to ±infinity (e.g. `1e400`) is rejected.
    static func readNumber(_ r: inout JSONReader, _ index: Int, _ field: StaticString) throws(ValidationFailure) -> Double {
        guard r.peek == UInt8(ascii: "-") || (r.peek ?? 0) &- UInt8(ascii: "0") < 10 else {
            throw typeError(r, path(index, field), "a number")
        }
        let value = try r.scanNumber()
        guard value.isFinite else {
            throw ValidationFailure(field: path(index, field), message: "\(path(index, field)) must be a finite number")
        }
        return value
    }

    /// `null` → nil (absent); otherwise an RFC 3339 string, parsed straight from the input bytes.
    static func readTimestamp(_ r: inout JSONReader, _ index: Int) throws(ValidationFailure) -> Date? {
        if try r.consumeNull() { return nil }
        guard r.peek == UInt8(ascii: "\"") else {
            throw typeError(r, path(index, "timestamp"), "an RFC 3339 date-time string")
        }
        let date: Date?
        switch try r.scanString() {
        case .raw(let range): date = RFC3339.parse(bytes: UnsafeBufferPointer(rebasing: r.bytes[range]))
        case .decoded(let bytes): date = bytes.withUnsafeBufferPointer { RFC3339.parse(bytes: $0) }
        }
        guard let date else {
            let field = path(index, "timestamp")
            throw ValidationFailure(field: field, message: "\(field) must be an RFC 3339 date-time such as 2026-11-30T05:00:00Z")
        }
        return date
    }

    /// `null` → nil (absent); otherwise an object whose values are all strings. Duplicate keys: last wins.
    static func readTags(_ r: inout JSONReader, _ index: Int) throws(ValidationFailure) -> [String: String]? {
        if try r.consumeNull() { return nil }
        guard r.peek == UInt8(ascii: "{") else { throw typeError(r, path(index, "tags"), "an object of strings") }
        r.pos += 1
        // Sized for typical tag counts up front: growing (or `reserveCapacity` on the empty
        // singleton) showed up in profiles.
        var tags = [String: String](minimumCapacity: 6)
        var first = true
        while let keyToken = try r.nextMember(isFirst: &first) {
            let key = r.string(keyToken)
            guard r.peek == UInt8(ascii: "\"") else { throw typeError(r, "\(path(index, "tags")).\(key)", "a string") }
            tags[key] = r.string(try r.scanString())
        }
        return tags
    }
}
