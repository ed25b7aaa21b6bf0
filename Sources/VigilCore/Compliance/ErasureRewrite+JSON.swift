import Foundation
import VigilPrimitives

/// Erasure inside JSON documents that must stay (job arguments, alert-rule and route specs).
///
/// Only the document's strings (keys and values) are searched and rewritten. Matching the raw
/// text would find a user id `42` in `"threshold": 42` and put a pseudonym where a number must
/// be, leaving a document that no longer parses. Each string token is decoded, rewritten like
/// any other text, and encoded again; every other byte is kept, so the document keeps its
/// structure, numbers and order. A string that is wholly an RFC 3339 timestamp (a silence's
/// `starts_at`) is a typed value, not text: a user id `42` must not land in `12:42:07`.
extension ErasureRewrite {
    /// The document with the subject replaced in its strings, or nil when no string mentions it.
    public static func json(_ document: String, terms: SubjectSearchTerms, salt: [UInt8]) -> String? {
        var out: [UInt8] = []
        var changed = false
        forEachString(in: document) { bytes, decoded in
            if let decoded, let rewritten = text(decoded, terms: terms, salt: salt) {
                CanonicalJSON.writeString(rewritten, to: &out)
                changed = true
            } else {
                out += bytes
            }
        }
        return changed ? String(decoding: out, as: UTF8.self) : nil
    }

    /// Whether any string of the document (key or value) mentions the subject.
    public static func jsonMentions(_ document: String, terms: SubjectSearchTerms) -> Bool {
        var found = false
        forEachString(in: document) { _, decoded in
            if !found, let decoded, terms.matches(text: decoded) { found = true }
        }
        return found
    }

    /// Calls `body` for each run of the document in order: string tokens with their decoded
    /// value, everything between them (and timestamps) with nil. Linear; a token that does not
    /// decode (not valid JSON) is passed through as it is.
    private static func forEachString(in document: String, _ body: (ArraySlice<UInt8>, String?) -> Void) {
        let bytes = Array(document.utf8)
        var index = 0
        var runStart = 0
        while index < bytes.count {
            guard bytes[index] == UInt8(ascii: "\"") else { index += 1; continue }
            if runStart < index { body(bytes[runStart..<index], nil) }
            let start = index
            index += 1
            while index < bytes.count, bytes[index] != UInt8(ascii: "\"") {
                index += bytes[index] == UInt8(ascii: "\\") ? 2 : 1
            }
            index = min(index + 1, bytes.count)
            let token = bytes[start..<index]
            let decoded = try? JSONDecoder().decode(String.self, from: Data(token))
            body(token, decoded.flatMap { RFC3339.parse($0) == nil ? $0 : nil })
            runStart = index
        }
        if runStart < bytes.count { body(bytes[runStart..<bytes.count], nil) }
    }
}
