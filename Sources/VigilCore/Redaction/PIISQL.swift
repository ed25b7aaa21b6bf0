/// SQL-like values: string literals become `'[REDACTED]'` (or `'[EMAIL]'`, … when the whole
/// literal is one PII match) and bare numbers become `?`.
extension PIIScan {
    /// `'…'` literals (`''` and `\'` escape a quote; an unterminated literal runs to the end).
    /// The quotes are claimed as themselves, so no other match can cross a literal's boundary;
    /// the contents are resolved after the other detectors ran (`resolveSQLLiterals`).
    mutating func scanSQLStringLiterals() {
        let b = self.b, n = b.count
        var resume = 0
        for i in quotes where i >= resume {
            let start = i + 1
            var j = start
            while j < n {
                if b[j] == 0x5C {  // backslash
                    j += 2
                    continue
                }
                if b[j] == 0x27 {
                    if j + 1 < n, b[j + 1] == 0x27 {
                        j += 2
                        continue
                    }
                    break
                }
                j += 1
            }
            let end = min(j, n)
            claim(i..<start, .verbatim)
            if end < n { claim(end..<(end + 1), .verbatim) }
            if end > start { sqlLiterals.append(start..<end) }
            resume = end + 1
        }
    }

    /// A literal whose content is exactly one PII match keeps that match (`'[EMAIL]'`); any other
    /// non-empty literal becomes `'[REDACTED]'`, dropping partial matches inside it.
    mutating func resolveSQLLiterals() {
        // Claims never cross a literal's quotes, so each lies inside one literal or outside all.
        let literals = sqlLiterals
        var owner = Array(repeating: -1, count: n)
        for (index, literal) in literals.enumerated() {
            for j in literal { owner[j] = index }
        }
        var matches = Array(repeating: 0, count: literals.count)
        var whole = Array(repeating: false, count: literals.count)
        for claim in claims {
            let index = owner[claim.range.lowerBound]
            guard index >= 0 else { continue }
            matches[index] += 1
            if case .category = claim.replacement, claim.range == literals[index] { whole[index] = true }
        }
        let keepsMatch = literals.indices.map { matches[$0] == 1 && whole[$0] }
        claims.removeAll { claim in
            let index = owner[claim.range.lowerBound]
            return index >= 0 && !keepsMatch[index]
        }
        for (index, literal) in literals.enumerated() {
            for j in literal { taken[j] = true }
            // A literal already redacted (`'[EMAIL]'`, `'[EMAIL:3f9a1c2b7d4e]'`, `'[REDACTED]'`) stays
            // as it is, so redacting twice changes nothing.
            if !keepsMatch[index] && !isPlaceholder(literal) {
                claims.append(PIIClaim(range: literal, replacement: .sqlLiteral))
            }
        }
    }

    /// `[LABEL]` or `[LABEL:` + 12 lower-case hex + `]`, as this redactor writes them.
    func isPlaceholder(_ r: Range<Int>) -> Bool {
        guard r.count >= 4, b[r.lowerBound] == 0x5B, b[r.upperBound - 1] == 0x5D else { return false }  // [ ]
        var k = r.lowerBound + 1
        while k < r.upperBound - 1, PIIChar.isUpper(b[k]) { k += 1 }
        guard k > r.lowerBound + 1 else { return false }
        if k == r.upperBound - 1 { return true }
        guard b[k] == 0x3A, r.upperBound - 1 - (k + 1) == 12 else { return false }  // :
        for j in (k + 1)..<(r.upperBound - 1) where !(PIIChar.isDigit(b[j]) || (b[j] >= 0x61 && b[j] <= 0x66)) {
            return false
        }
        return true
    }

    /// Numbers outside literals and identifiers (`LIMIT 10`, `1.5e3`, `0x1F`) become `?`;
    /// `t1`, `$1`, `:1`, `@p1` and `?1` stay.
    mutating func scanSQLNumbers() {
        let b = self.b, runs = digitRuns
        var resume = 0, r = 0
        while r < runs.count {
            let i = runs[r]
            r += 1
            guard i >= resume, !taken[i] else { continue }
            let c = b[i]
            let p = Self.at(b, i - 1)
            // Inside identifiers and parameters: t1, $1, :1, @p1, ?1, #1, t.1
            if PIIChar.isWord(p) || p == 0x24 || p == 0x3A || p == 0x40 || p == 0x3F || p == 0x23
                || (p == 0x2E && PIIChar.isWord(Self.at(b, i - 2))) { continue }
            var end: Int
            if c == 0x30, Self.at(b, i + 1) | 0x20 == 0x78, PIIChar.isHex(Self.at(b, i + 2)) {  // 0x1F
                end = Self.runEnd(b, i + 2, PIIChar.hex)
            } else {
                end = Self.runEnd(b, i, PIIChar.digit)
                if Self.at(b, end) == 0x2E, PIIChar.isDigit(Self.at(b, end + 1)) {
                    end = Self.runEnd(b, end + 1, PIIChar.digit)
                }
                if Self.at(b, end) | 0x20 == 0x65 {  // e
                    var k = end + 1
                    if Self.at(b, k) == 0x2B || Self.at(b, k) == 0x2D { k += 1 }
                    if PIIChar.isDigit(Self.at(b, k)) { end = Self.runEnd(b, k, PIIChar.digit) }
                }
            }
            if PIIChar.isWord(Self.at(b, end)) { continue }
            claim(i..<end, .sqlNumber)
            resume = end
        }
    }
}
