/// Identifiers in URL-like values: `/api/users/123/profile` → `/api/users/[ID]/profile`,
/// uuids and long hex/ULID segments likewise, `?id=123` → `?id=[ID]`.
///
/// A word (between spaces, quotes or brackets) is URL-like when it has a scheme (`https://…`),
/// starts with `/` (`/api/…`, also after `=` or `:` as in `path=/api/…`), starts with a host
/// name (`example.com/users/1`), or starts with `?`. `10/20`, `11/30/2026` and `a/b` are not.
extension PIIScan {
    mutating func scanURLIdentifiers() {
        let b = self.b
        var resume = 0
        for mark in urlMarks where mark >= resume {
            // The word around this `/` or `?`.
            let start = Self.runStart(b, mark, PIIChar.urlWord, floor: resume)
            let end = Self.runEnd(b, mark, PIIChar.urlWord)
            scanURLWord(start..<end)
            resume = end
        }
    }

    mutating func scanURLWord(_ word: Range<Int>) {
        let b = self.b, wordEnd = word.upperBound
        guard let start = urlPathStart(in: word) else { return }
        var k = start
        if b[k] == 0x2F {  // /
            var segmentStart = k + 1
            k += 1
            while true {
                let atEnd = k == wordEnd
                if atEnd || b[k] == 0x2F || b[k] == 0x3F || b[k] == 0x23 {  // / ? #
                    if k > segmentStart { claimIdentifierSegment(segmentStart..<k) }
                    if atEnd || b[k] != 0x2F { break }
                    segmentStart = k + 1
                }
                k += 1
            }
        }
        guard k < wordEnd, b[k] == 0x3F else { return }  // ?
        var pairStart = k + 1
        var j = k + 1
        while true {
            let atEnd = j == wordEnd || b[j] == 0x23  // #
            if atEnd || b[j] == 0x26 || b[j] == 0x3B {  // & ;
                claimIdentifierQueryValue(pairStart..<j)
                if atEnd { break }
                pairStart = j + 1
            }
            j += 1
        }
    }

    /// Where the path (`/`) or query (`?`) of a URL-like word starts, or nil.
    func urlPathStart(in word: Range<Int>) -> Int? {
        let b = self.b
        let first = b[word.lowerBound]
        // scheme://authority[/path][?query]
        var k = word.lowerBound
        var firstSlash = -1
        while k < word.upperBound {
            if b[k] == 0x2F {
                if k > word.lowerBound, b[k - 1] == 0x3A, k + 1 < word.upperBound, b[k + 1] == 0x2F {
                    return authorityEnd(from: k + 2, in: word)
                }
                if firstSlash < 0 { firstSlash = k }
            }
            k += 1
        }
        if first == 0x2F {
            // `[IP]/8`, `[2001:db8::]/32`: a prefix length after an address, not a path.
            if word.lowerBound > 0, b[word.lowerBound - 1] == 0x5D { return nil }  // ]
            // `//cdn.example.com/x` is scheme-relative.
            if word.count > 1, b[word.lowerBound + 1] == 0x2F { return authorityEnd(from: word.lowerBound + 2, in: word) }
            return word.lowerBound
        }
        if first == 0x3F { return word.lowerBound }  // ?
        guard firstSlash > word.lowerBound else { return nil }
        let before = b[firstSlash - 1]
        if before == 0x3D || before == 0x3A { return firstSlash }  // path=/…  GET:/…
        // host[:port]/path, possibly after `name=`.
        var hostStart = firstSlash
        while hostStart > word.lowerBound, b[hostStart - 1] != 0x3D { hostStart -= 1 }
        return isHostAndPort(hostStart..<firstSlash) ? firstSlash : nil
    }

    func authorityEnd(from start: Int, in word: Range<Int>) -> Int? {
        var k = start
        while k < word.upperBound {
            let c = b[k]
            if c == 0x2F || c == 0x3F { return k }  // / ?
            if c == 0x23 { return nil }  // #
            k += 1
        }
        return nil
    }

    /// `example.com`, `api.example.com:8443`, `localhost:8080`.
    func isHostAndPort(_ r: Range<Int>) -> Bool {
        var hostEnd = r.upperBound
        var k = r.lowerBound
        while k < r.upperBound, b[k] != 0x3A { k += 1 }
        if k < r.upperBound {
            guard k + 1 < r.upperBound else { return false }
            for j in (k + 1)..<r.upperBound where !PIIChar.isDigit(b[j]) { return false }
            hostEnd = k
        }
        let host = r.lowerBound..<hostEnd
        if matchesLowercased(host, "localhost") { return true }
        var labels = 0
        var labelStart = host.lowerBound
        var j = host.lowerBound
        while j <= host.upperBound {
            if j == host.upperBound || b[j] == 0x2E {
                let label = labelStart..<j
                guard !label.isEmpty else { return false }
                labels += 1
                labelStart = j + 1
                if j == host.upperBound { return labels >= 2 && isTopLevelLabel(label) }
            } else if !(PIIChar.isAlnum(b[j]) || b[j] == 0x2D) {
                return false
            }
            j += 1
        }
        return false
    }

    mutating func claimIdentifierSegment(_ r: Range<Int>) {
        // Ids start with a digit or letter (`:id`, `{id}`, `~user` and empty segments stay).
        guard !r.isEmpty, r.count <= 256, PIIChar.isAlnum(b[r.lowerBound]) else { return }
        if Self.runEnd(b, r.lowerBound, PIIChar.digit) >= r.upperBound || isIdentifier(r) {
            claim(r, .id)
            return
        }
        // 123.json → [ID].json
        var dot = r.lowerBound
        while dot < r.upperBound, b[dot] != 0x2E { dot += 1 }
        guard dot > r.lowerBound, dot + 1 < r.upperBound else { return }
        for j in (dot + 1)..<r.upperBound where !PIIChar.isAlpha(b[j]) { return }
        if isIdentifier(r.lowerBound..<dot) { claim(r.lowerBound..<dot, .id) }
    }

    mutating func claimIdentifierQueryValue(_ pair: Range<Int>) {
        var eq = pair.lowerBound
        while eq < pair.upperBound, b[eq] != 0x3D { eq += 1 }  // =
        guard eq > pair.lowerBound, eq + 1 < pair.upperBound else { return }
        let key = pair.lowerBound..<eq, value = (eq + 1)..<pair.upperBound
        if Self.runEnd(b, value.lowerBound, PIIChar.digit) >= value.upperBound {
            // `?page=2&limit=50` stays; ids by key name, or any number of 6+ digits.
            if value.count >= 6 || isIdentifierKey(key) { claim(value, .id) }
        } else if isIdentifier(value) {
            claim(value, .id)
        }
    }

    /// All digits; a uuid; 16+ hex digits mixing digits and letters (object ids, hashes); a ULID.
    func isIdentifier(_ r: Range<Int>) -> Bool {
        guard !r.isEmpty, r.count <= 256 else { return false }
        let table = PIIChar.table
        var digits = 0, hexLetters = 0, uppers = 0, others = 0
        for j in r {
            let k = table[Int(b[j])]
            if k & PIIChar.digit != 0 { digits += 1 }
            else if k & PIIChar.hex != 0 { hexLetters += 1 }
            else if k & PIIChar.upper != 0 { uppers += 1 }
            else { others += 1 }
        }
        if digits == r.count { return true }
        if r.count == 36 {
            let s = r.lowerBound
            guard b[s + 8] == 0x2D, b[s + 13] == 0x2D, b[s + 18] == 0x2D, b[s + 23] == 0x2D else { return false }
            return others == 4 && uppers == 0
        }
        if r.count >= 16, others == 0, uppers == 0 { return digits > 0 && hexLetters > 0 }
        if r.count == 26, others == 0, b[r.lowerBound] >= 0x30, b[r.lowerBound] <= 0x37 {
            // ULID: Crockford base32 in upper case (no I, L, O, U).
            for j in r {
                let c = b[j]
                if PIIChar.isLower(c) || c == 0x49 || c == 0x4C || c == 0x4F || c == 0x55 { return false }
            }
            return uppers + hexLetters > 0 && digits > 0
        }
        return false
    }

    /// `id`, `ids`, `uid`, `uuid`, `guid`, `user_id`, `order-id`, `user.id`, `userId`, `accountIDs`.
    func isIdentifierKey(_ r: Range<Int>) -> Bool {
        let s = r.lowerBound, e = r.upperBound, count = r.count
        func lower(_ j: Int) -> UInt8 { PIIChar.lower(b[j]) }
        // Strip a plural s: ids, user_ids, accountIDs.
        let end = count >= 3 && lower(e - 1) == 0x73 ? e - 1 : e
        guard end - s >= 2, lower(end - 1) == 0x64, lower(end - 2) == 0x69 else { return false }  // …id
        if end - s == 2 { return true }  // id
        let before = b[end - 3]
        if before == 0x5F || before == 0x2D || before == 0x2E { return true }  // _id -id .id
        if end - s == 3, lower(s) == 0x75 || lower(s) == 0x67 { return true }  // uid gid
        if end - s == 4, lower(s) == 0x75, lower(s + 1) == 0x75 { return true }  // uuid
        if end - s == 4, lower(s) == 0x67, lower(s + 1) == 0x75 { return true }  // guid
        // camelCase: userId, accountID
        return b[end - 2] == 0x49 && PIIChar.isLower(before)
    }
}
