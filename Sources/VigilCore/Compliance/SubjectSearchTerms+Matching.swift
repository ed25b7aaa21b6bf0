/// Precise matching of search terms in stored text, with word boundaries.
///
/// The database does the coarse work (`ILIKE '%term%'`, jsonb containment); every candidate row is
/// then confirmed here, so `alice@example.com` does not match `malice@example.com`, `10.0.0.1`
/// does not match `10.0.0.12`, and user id `42` does not match `1423` or `user-42`. Erasure relies
/// on the same function, so it never deletes a row the export would not have shown.
///
/// Rules, per term kind:
/// - `pseudonym` tokens are bracketed (`[EMAIL:…]`): any occurrence matches, case-sensitively.
/// - `email`, `ip`: ASCII case-insensitive. `user_id`: case-sensitive.
/// - Not adjacent to a word byte (ASCII letter, digit, `_`, or any non-ASCII byte), and not
///   adjacent to a "joiner" that is itself followed by a word byte: for emails `. - + %` before and
///   `. -` after (`bob.alice@x.com`, `alice@x.com.evil`), for IPv4 `.`, for IPv6 `:` and `.`, for
///   user ids `.` and `-`. A trailing sentence dot (`… 10.0.0.1.`) or a port (`10.0.0.1:443`)
///   still matches.
/// - Raw terms never match inside text Vigil itself generated: pseudonym tokens
///   (`[EMAIL:3f9a…]`), mask placeholders (`[EMAIL]`, `[REDACTED]`) and erasure pseudonyms
///   (`erased:sha256:…`). Otherwise a user id `EMAIL` or `sha256` would "find" every redacted row,
///   and erasure would not be idempotent.
extension SubjectSearchTerms {
    /// One match: a term and its UTF-8 byte range in the searched text.
    public struct Occurrence: Sendable, Equatable {
        public var range: Range<Int>
        public var term: Term
    }

    public func matches(text: String) -> Bool {
        let bytes = Array(text.utf8)
        let generated = GeneratedSpans.find(in: bytes)
        return terms.contains { !Self.find($0, in: bytes, excluding: generated, firstOnly: true).isEmpty }
    }

    /// Whether a tag / label map mentions the subject: an exact custom pair, or any key or value
    /// containing a term.
    public func matches(tags: [String: String]) -> Bool {
        if tagPairs.contains(where: { tags[$0.key] == $0.value }) { return true }
        return tags.contains { matches(text: $0.key) || matches(text: $0.value) }
    }

    /// Non-overlapping occurrences in `text`, leftmost first; where two overlap, the longer wins.
    public func occurrences(in text: String) -> [Occurrence] {
        let bytes = Array(text.utf8)
        let generated = GeneratedSpans.find(in: bytes)
        var all: [Occurrence] = []
        for term in terms {
            all += Self.find(term, in: bytes, excluding: generated, firstOnly: false).map { Occurrence(range: $0, term: term) }
        }
        all.sort { $0.range.lowerBound != $1.range.lowerBound ? $0.range.lowerBound < $1.range.lowerBound : $0.range.count > $1.range.count }
        var chosen: [Occurrence] = []
        for occurrence in all where occurrence.range.lowerBound >= (chosen.last?.range.upperBound ?? 0) {
            chosen.append(occurrence)
        }
        return chosen
    }

    // MARK: Internals

    static func find(_ term: Term, in text: [UInt8], excluding generated: [Range<Int>], firstOnly: Bool) -> [Range<Int>] {
        let needle = Array(term.value.utf8)
        guard !needle.isEmpty, needle.count <= text.count else { return [] }
        let foldCase = term.kind == .email || term.kind == .ip
        let (before, after) = joiners(for: term)
        var found: [Range<Int>] = []
        var start = 0
        while start + needle.count <= text.count {
            var k = 0
            while k < needle.count, equal(text[start + k], needle[k], foldCase: foldCase) { k += 1 }
            if k == needle.count {
                let range = start..<(start + needle.count)
                if term.kind == .pseudonym
                    || (isBounded(range, in: text, before: before, after: after) && !generated.contains(where: { $0.overlaps(range) })) {
                    found.append(range)
                    if firstOnly { return found }
                    start = range.upperBound
                    continue
                }
            }
            start += 1
        }
        return found
    }

    private static func equal(_ a: UInt8, _ b: UInt8, foldCase: Bool) -> Bool {
        a == b || (foldCase && PIIChar.isAlpha(a) && a | 0x20 == b | 0x20)
    }

    private static func joiners(for term: Term) -> (before: Set<UInt8>, after: Set<UInt8>) {
        let dot = UInt8(ascii: "."), dash = UInt8(ascii: "-"), colon = UInt8(ascii: ":")
        switch term.kind {
        case .email: return ([dot, dash, UInt8(ascii: "+"), UInt8(ascii: "%")], [dot, dash])
        case .ip: return term.value.contains(":") ? ([colon, dot], [colon, dot]) : ([dot], [dot])
        case .userID: return ([dot, dash], [dot, dash])
        case .pseudonym: return ([], [])
        }
    }

    private static func isWord(_ c: UInt8) -> Bool {
        PIIChar.isAlnum(c) || c == UInt8(ascii: "_") || c >= 0x80
    }

    private static func isBounded(_ range: Range<Int>, in text: [UInt8], before: Set<UInt8>, after: Set<UInt8>) -> Bool {
        let p = range.lowerBound, e = range.upperBound
        if p > 0 {
            let c = text[p - 1]
            if isWord(c) || (before.contains(c) && p > 1 && isWord(text[p - 2])) { return false }
        }
        if e < text.count {
            let c = text[e]
            if isWord(c) || (after.contains(c) && e + 1 < text.count && isWord(text[e + 1])) { return false }
        }
        return true
    }
}


/// Spans of text that Vigil generated in place of personal data: pseudonym tokens, mask
/// placeholders and erasure pseudonyms. Raw terms are not matched inside them.
enum GeneratedSpans {
    static let placeholders: [[UInt8]] = PIICategory.allCases.map { Array($0.placeholder.utf8) } + [Array("[REDACTED]".utf8)]
    static let erasurePrefix = Array(ErasurePseudonym.prefix.utf8)

    static func find(in b: [UInt8]) -> [Range<Int>] {
        var spans: [Range<Int>] = []
        var i = 0
        while i < b.count {
            if b[i] == UInt8(ascii: "["), let end = tokenOrPlaceholderEnd(b, i) {
                spans.append(i..<end)
                i = end
            } else if b[i] == erasurePrefix[0], i + erasurePrefix.count + ErasurePseudonym.hexLength <= b.count,
                      Array(b[i..<(i + erasurePrefix.count)]) == erasurePrefix,
                      b[(i + erasurePrefix.count)..<(i + erasurePrefix.count + ErasurePseudonym.hexLength)].allSatisfy(isLowerHex) {
                let end = i + erasurePrefix.count + ErasurePseudonym.hexLength
                spans.append(i..<end)
                i = end
            } else {
                i += 1
            }
        }
        return spans
    }

    private static func tokenOrPlaceholderEnd(_ b: [UInt8], _ i: Int) -> Int? {
        for placeholder in placeholders where i + placeholder.count <= b.count && Array(b[i..<(i + placeholder.count)]) == placeholder {
            return i + placeholder.count
        }
        let tokens = PseudonymTokens.find(in: String(decoding: b[i..<min(b.count, i + 24)], as: UTF8.self))
        if let token = tokens.first, Array(b[i..<min(b.count, i + token.utf8.count)]) == Array(token.utf8) {
            return i + token.utf8.count
        }
        return nil
    }

    private static func isLowerHex(_ c: UInt8) -> Bool {
        PIIChar.isDigit(c) || (c >= UInt8(ascii: "a") && c <= UInt8(ascii: "f"))
    }
}
