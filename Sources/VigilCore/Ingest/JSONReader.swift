/// A forward-only cursor over the raw bytes of a JSON document (RFC 8259, UTF-8 only).
///
/// It exists so the metrics ingest path can read its one body shape without Foundation's
/// `JSONDecoder`, which cost ~38 % of the endpoint's CPU. Nothing is allocated except the
/// Strings the caller asks for. Every read checks `pos < bytes.count` itself, because
/// `UnsafeBufferPointer` subscripts are not bounds-checked in release builds.
///
/// Syntax errors are `ValidationFailure(field: "body", …)` with a 0-based byte offset.
struct JSONReader {
    let bytes: UnsafeBufferPointer<UInt8>
    var pos = 0

    /// Containers nested deeper than this are rejected, so skipped values can't exhaust the stack.
    static let maxDepth = 64

    init(_ bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    var isAtEnd: Bool { pos >= bytes.count }
    /// The current byte, or nil at the end of input.
    var peek: UInt8? { pos < bytes.count ? bytes[pos] : nil }

    /// A syntax error at `offset` (default: the current position).
    func syntaxError(_ what: String, at offset: Int? = nil) -> ValidationFailure {
        let at = offset ?? pos
        let detail = at >= bytes.count ? "unexpected end of input, \(what)" : what
        return ValidationFailure(field: "body", message: "invalid JSON at byte \(at): \(detail)")
    }

    /// Skips the four JSON whitespace bytes (space, tab, LF, CR) and nothing else.
    mutating func skipWhitespace() {
        while pos < bytes.count {
            switch bytes[pos] {
            case 0x20, 0x09, 0x0A, 0x0D: pos += 1
            default: return
            }
        }
    }

    /// Consumes `byte` or throws "expected '<byte>'".
    mutating func expect(_ byte: UInt8) throws(ValidationFailure) {
        guard peek == byte else { throw syntaxError("expected '\(Character(Unicode.Scalar(byte)))'") }
        pos += 1
    }

    /// True if the current byte can start a JSON value (used to tell type errors from syntax errors).
    var atValueStart: Bool {
        switch peek ?? 0 {  // 0 never starts a value
        case UInt8(ascii: "\""), UInt8(ascii: "{"), UInt8(ascii: "["), UInt8(ascii: "-"),
             UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "t"), UInt8(ascii: "f"), UInt8(ascii: "n"):
            return true
        default: return false
        }
    }

    /// Consumes `null` if it is next (after whitespace has been skipped).
    mutating func consumeNull() throws(ValidationFailure) -> Bool {
        guard peek == UInt8(ascii: "n") else { return false }
        try literal("null")
        return true
    }

    /// Consumes an exact ASCII literal (`true`, `false`, `null`).
    mutating func literal(_ word: StaticString) throws(ValidationFailure) {
        let start = pos
        let n = word.utf8CodeUnitCount
        guard bytes.count - pos >= n else { throw syntaxError("expected '\(word)'", at: start) }
        let p = word.utf8Start
        for k in 0..<n where bytes[pos + k] != p[k] { throw syntaxError("expected '\(word)'", at: start) }
        pos += n
    }

    // MARK: Containers

    /// Steps through an object's members. Call with `isFirst = true` right after consuming `{`;
    /// returns the next key (positioned after its `:` and whitespace) or nil after the closing `}`.
    mutating func nextMember(isFirst: inout Bool) throws(ValidationFailure) -> JSONStringToken? {
        skipWhitespace()
        if isFirst {
            isFirst = false
            if peek == UInt8(ascii: "}") { pos += 1; return nil }
        } else {
            switch peek {
            case UInt8(ascii: "}"): pos += 1; return nil
            case UInt8(ascii: ","): pos += 1; skipWhitespace()
            default: throw syntaxError("expected ',' or '}'")
            }
        }
        guard peek == UInt8(ascii: "\"") else { throw syntaxError("expected a string key") }
        let key = try scanString()
        skipWhitespace()
        try expect(UInt8(ascii: ":"))
        skipWhitespace()
        return key
    }

    /// Steps through an array. Call with `isFirst = true` right after consuming `[`; returns true
    /// when positioned at the next element (whitespace skipped), false after the closing `]`.
    mutating func nextElement(isFirst: inout Bool) throws(ValidationFailure) -> Bool {
        skipWhitespace()
        if isFirst {
            isFirst = false
            if peek == UInt8(ascii: "]") { pos += 1; return false }
            return true
        }
        switch peek {
        case UInt8(ascii: "]"): pos += 1; return false
        case UInt8(ascii: ","): pos += 1; skipWhitespace(); return true
        default: throw syntaxError("expected ',' or ']'")
        }
    }

    /// Validates and skips any JSON value. `depth` is the nesting depth of the container holding it.
    mutating func skipValue(depth: Int) throws(ValidationFailure) {
        switch peek ?? 0 {
        case UInt8(ascii: "\""): _ = try scanString()
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): _ = try scanNumber()
        case UInt8(ascii: "t"): try literal("true")
        case UInt8(ascii: "f"): try literal("false")
        case UInt8(ascii: "n"): try literal("null")
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            guard depth < Self.maxDepth else { throw syntaxError("nesting deeper than \(Self.maxDepth) levels") }
            let isObject = bytes[pos] == UInt8(ascii: "{")
            pos += 1
            var first = true
            if isObject {
                while try nextMember(isFirst: &first) != nil { try skipValue(depth: depth + 1) }
            } else {
                while try nextElement(isFirst: &first) { try skipValue(depth: depth + 1) }
            }
        default: throw syntaxError("expected a JSON value")
        }
    }
}
