import Foundation

/// Header-field helpers for MIMEMessage: sanitising against header injection, RFC 5322
/// folding, and RFC 2047 encoded words for non-ASCII text.
enum MIMEHeader {
    /// Longest line we emit in headers before resorting to encoded words; RFC 5322 caps at 998.
    static let hardLimit = 900

    /// Control characters (CR and LF above all) become spaces, so user-controlled text such as
    /// an alert name can never start a new header line. Whitespace runs collapse to one space.
    static func sanitize(_ value: String) -> String {
        var out = String.UnicodeScalarView()
        var lastWasSpace = true  // also trims leading whitespace
        for scalar in value.unicodeScalars {
            let isSpace = scalar.value < 0x20 || scalar.value == 0x7F || scalar == " "
                || scalar.properties.isWhitespace
            if isSpace {
                if !lastWasSpace { out.append(" ") }
                lastWasSpace = true
            } else {
                out.append(scalar)
                lastWasSpace = false
            }
        }
        var result = String(out)
        if result.hasSuffix(" ") { result.removeLast() }
        return result
    }

    static func isPrintableASCII(_ text: String) -> Bool {
        text.utf8.allSatisfy { $0 >= 0x20 && $0 < 0x7F }
    }

    /// A complete header field ("Name: value", folded, no trailing CRLF).
    static func field(_ name: String, _ rawValue: String) -> String {
        let value = sanitize(rawValue)
        let words = value.split(separator: " ", omittingEmptySubsequences: true)
        if isPrintableASCII(value), !words.contains(where: { $0.utf8.count > hardLimit }), !value.contains("=?") {
            return fold(name + ":", words.map(String.init))
        }
        return fold(name + ":", encodedWords(value))
    }

    /// Greedy RFC 5322 folding: pieces are joined by spaces, and a line break (CRLF + space)
    /// replaces the space whenever a line would pass 78 characters.
    static func fold(_ start: String, _ pieces: [String], separator: String = "") -> String {
        var lines: [String] = []
        var current = start
        var onlyStart = true
        for (index, raw) in pieces.enumerated() {
            let piece = raw + (index < pieces.count - 1 ? separator : "")
            if !onlyStart && current.utf8.count + 1 + piece.utf8.count > 78 {
                lines.append(current)
                current = " " + piece
            } else {
                current += " " + piece
            }
            onlyStart = false
        }
        lines.append(current)
        return lines.joined(separator: "\r\n")
    }

    /// RFC 2047 "B" encoded words, split on Unicode scalar boundaries so each word decodes
    /// on its own. 39 bytes → 52 base64 chars → 64-char words: "Subject: " + word stays ≤ 78.
    static func encodedWords(_ text: String) -> [String] {
        var words: [String] = []
        var chunk: [UInt8] = []
        for scalar in text.unicodeScalars {
            let bytes = Array(String(scalar).utf8)
            if chunk.count + bytes.count > 39 {
                words.append(encodedWord(chunk))
                chunk.removeAll(keepingCapacity: true)
            }
            chunk += bytes
        }
        if !chunk.isEmpty || words.isEmpty { words.append(encodedWord(chunk)) }
        return words
    }

    private static func encodedWord(_ bytes: [UInt8]) -> String {
        "=?UTF-8?B?" + Data(bytes).base64EncodedString() + "?="
    }
}
