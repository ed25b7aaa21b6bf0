/// A JSON string as read: a range of the input when it had no escapes (the common case, so no
/// copy is made), or the unescaped UTF-8 bytes otherwise.
enum JSONStringToken {
    case raw(Range<Int>)
    case decoded([UInt8])
}

extension JSONReader {
    /// Reads a string starting at the current `"`. Rejects control characters, bad escapes,
    /// lone surrogates and invalid UTF-8, so `String(decoding:)` never has to repair anything.
    mutating func scanString() throws(ValidationFailure) -> JSONStringToken {
        let start = pos + 1
        var i = start
        while i < bytes.count {
            let b = bytes[i]
            if b == UInt8(ascii: "\"") { pos = i + 1; return .raw(start..<i) }
            if b == UInt8(ascii: "\\") { return try scanEscapedString(start: start, firstEscape: i) }
            if b < 0x20 { throw syntaxError("control character in string", at: i) }
            i = b < 0x80 ? i + 1 : try validateUTF8(at: i)
        }
        throw syntaxError("unterminated string", at: bytes.count)
    }

    /// The slow path once a backslash is seen: copy into a buffer, unescaping as we go.
    private mutating func scanEscapedString(start: Int, firstEscape: Int) throws(ValidationFailure) -> JSONStringToken {
        var out = [UInt8]()
        out.reserveCapacity(firstEscape - start + 32)
        out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<firstEscape]))
        var i = firstEscape
        while i < bytes.count {
            let b = bytes[i]
            if b == UInt8(ascii: "\"") { pos = i + 1; return .decoded(out) }
            if b < 0x20 { throw syntaxError("control character in string", at: i) }
            if b >= 0x80 {
                let next = try validateUTF8(at: i)
                out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[i..<next]))
                i = next
                continue
            }
            guard b == UInt8(ascii: "\\") else { out.append(b); i += 1; continue }
            guard i + 1 < bytes.count else { break }
            switch bytes[i + 1] {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(bytes[i + 1])
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                i = try unicodeEscape(at: i, into: &out)
                continue
            default: throw syntaxError("invalid escape sequence", at: i)
            }
            i += 2
        }
        throw syntaxError("unterminated string", at: bytes.count)
    }

    /// Decodes `\uXXXX` (plus its low half if it is a high surrogate) at `i`; returns the index after it.
    private func unicodeEscape(at i: Int, into out: inout [UInt8]) throws(ValidationFailure) -> Int {
        let high = try hex4(at: i + 2)
        var scalar = high
        var next = i + 6
        if (0xD800...0xDBFF).contains(high) {
            guard next + 1 < bytes.count, bytes[next] == UInt8(ascii: "\\"), bytes[next + 1] == UInt8(ascii: "u"),
                  case let low = try hex4(at: next + 2), (0xDC00...0xDFFF).contains(low)
            else { throw syntaxError("lone surrogate in \\u escape", at: i) }
            scalar = 0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00)
            next += 6
        } else if (0xDC00...0xDFFF).contains(high) {
            throw syntaxError("lone surrogate in \\u escape", at: i)
        }
        // Encode the scalar as UTF-8 by hand: it is already known to be valid.
        switch scalar {
        case ..<0x80: out.append(UInt8(scalar))
        case ..<0x800: out.append(contentsOf: [UInt8(0xC0 | scalar >> 6), UInt8(0x80 | scalar & 0x3F)])
        case ..<0x10000:
            out.append(contentsOf: [UInt8(0xE0 | scalar >> 12), UInt8(0x80 | scalar >> 6 & 0x3F), UInt8(0x80 | scalar & 0x3F)])
        default:
            out.append(contentsOf: [UInt8(0xF0 | scalar >> 18), UInt8(0x80 | scalar >> 12 & 0x3F),
                                    UInt8(0x80 | scalar >> 6 & 0x3F), UInt8(0x80 | scalar & 0x3F)])
        }
        return next
    }

    /// Four hex digits at `i` as a UTF-16 code unit.
    private func hex4(at i: Int) throws(ValidationFailure) -> UInt32 {
        guard i + 4 <= bytes.count else { throw syntaxError("truncated \\u escape", at: bytes.count) }
        var v: UInt32 = 0
        for k in i..<(i + 4) {
            let c = bytes[k]
            let d: UInt8
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): d = c - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): d = c - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): d = c - UInt8(ascii: "A") + 10
            default: throw syntaxError("invalid hex digit in \\u escape", at: k)
            }
            v = v << 4 | UInt32(d)
        }
        return v
    }

    /// Checks one multi-byte UTF-8 sequence at `i` (Unicode Table 3-7: no overlongs, no
    /// surrogates, nothing above U+10FFFF); returns the index after it.
    private func validateUTF8(at i: Int) throws(ValidationFailure) -> Int {
        let lead = bytes[i]
        let length: Int, low: UInt8, high: UInt8  // allowed range of the second byte
        switch lead {
        case 0xC2...0xDF: (length, low, high) = (2, 0x80, 0xBF)
        case 0xE0: (length, low, high) = (3, 0xA0, 0xBF)
        case 0xED: (length, low, high) = (3, 0x80, 0x9F)
        case 0xE1...0xEF: (length, low, high) = (3, 0x80, 0xBF)
        case 0xF0: (length, low, high) = (4, 0x90, 0xBF)
        case 0xF1...0xF3: (length, low, high) = (4, 0x80, 0xBF)
        case 0xF4: (length, low, high) = (4, 0x80, 0x8F)
        default: throw syntaxError("invalid UTF-8 in string", at: i)
        }
        guard i + length <= bytes.count, (low...high).contains(bytes[i + 1]) else {
            throw syntaxError("invalid UTF-8 in string", at: i)
        }
        for k in (i + 2)..<(i + length) where bytes[k] & 0xC0 != 0x80 {
            throw syntaxError("invalid UTF-8 in string", at: i)
        }
        return i + length
    }

    /// The token as a Swift String (input already validated, so decoding never repairs).
    func string(_ token: JSONStringToken) -> String {
        switch token {
        case .raw(let r): String(decoding: UnsafeBufferPointer(rebasing: bytes[r]), as: UTF8.self)
        case .decoded(let b): String(decoding: b, as: UTF8.self)
        }
    }

    /// True if the token's unescaped bytes equal the ASCII `literal` (used to match known keys).
    /// A plain loop: the generic `elementsEqual` showed up in profiles.
    func token(_ token: JSONStringToken, is literal: StaticString) -> Bool {
        let lit = literal.utf8Start
        let n = literal.utf8CodeUnitCount
        switch token {
        case .raw(let r):
            guard r.count == n else { return false }
            for k in 0..<n where bytes[r.lowerBound + k] != lit[k] { return false }
            return true
        case .decoded(let b):
            guard b.count == n else { return false }
            for k in 0..<n where b[k] != lit[k] { return false }
            return true
        }
    }
}
