/// Email addresses and IP addresses.
extension PIIScan {
    // MARK: Email

    /// `local@domain.tld`: a non-empty local part of `[A-Za-z0-9._%+-]` (or non-ASCII), a domain of
    /// at least two labels and an alphabetic top-level label of 2+ letters (or `xn--…`).
    /// `user@`, `@handle`, `user@localhost`, `lodash@4.17.21` and `example.com` stay.
    mutating func scanEmails() {
        let b = self.b, table = PIIChar.table
        var resume = 0
        let n = b.count, marks = ats
        var m = 0
        while m < marks.count {
            let i = marks[m]
            m += 1
            guard i >= resume, i > 0, i + 3 < n, !taken[i], b[i - 1] != 0x2E,
                  table[Int(b[i - 1])] & PIIChar.localPart != 0, table[Int(b[i + 1])] & PIIChar.alnum != 0 else { continue }
            // The domain needs a dot; the local part runs back over local-part bytes (each `@`
            // scans only its own stretch).
            var domainEnd = i + 1, dotted = false
            while domainEnd < n, table[Int(b[domainEnd])] & PIIChar.domain != 0 {
                if b[domainEnd] == 0x2E { dotted = true }
                domainEnd += 1
            }
            resume = domainEnd
            guard dotted else { continue }
            var start = i
            while start > 0, table[Int(b[start - 1])] & PIIChar.localPart != 0, !taken[start - 1] { start -= 1 }
            while start < i, b[start] == 0x2E { start += 1 }  // no leading dot
            guard start < i, let end = validDomainEnd(i + 1, domainEnd) else { continue }
            claim(start..<end, .email)
            resume = end
        }
    }

    /// The end of the longest valid domain at the start of `start..<end`: labels of 1–63 bytes
    /// not starting or ending with `-`, the last one a top-level label. Trailing dots and labels
    /// that cannot end a domain are left out (`a@b.com.c@d.com` keeps `a@b.com`).
    func validDomainEnd(_ start: Int, _ end: Int) -> Int? {
        var best: Int?
        var labelStart = start
        var labels = 0
        var j = start
        while j <= end {
            if j == end || b[j] == 0x2E {
                let label = labelStart..<j
                if labels >= 1, isTopLevelLabel(label) { best = j }
                guard isHostLabel(label) else { break }
                labels += 1
                labelStart = j + 1
            }
            j += 1
        }
        return best
    }

    func isHostLabel(_ r: Range<Int>) -> Bool {
        !r.isEmpty && r.count <= 63 && b[r.lowerBound] != 0x2D && b[r.upperBound - 1] != 0x2D
    }

    func isTopLevelLabel(_ r: Range<Int>) -> Bool {
        guard r.count >= 2, r.count <= 63 else { return false }
        let s = r.lowerBound
        if r.count > 4, b[s] | 0x20 == 0x78, b[s + 1] | 0x20 == 0x6E, b[s + 2] == 0x2D, b[s + 3] == 0x2D {  // xn--
            return isHostLabel(r)
        }
        for i in r where !PIIChar.isAlpha(b[i]) { return false }
        return true
    }

    // MARK: IPv6

    /// Full (`2001:db8:0:0:0:0:0:1`), compressed (`fe80::1`, `::1`) and IPv4-suffixed
    /// (`::ffff:10.0.0.1`) forms, not inside a word. `05:00:00`, MAC addresses and `std::vector`
    /// stay.
    mutating func scanIPv6() {
        let b = self.b, n = b.count, table = PIIChar.table
        var resume = 0
        let marks = colons
        var m = 0
        while m < marks.count {
            let colon = marks[m]
            m += 1
            // A colon inside an address has a hex digit or another colon on both sides.
            guard colon >= resume, colon + 1 < n,
                  table[Int(b[colon + 1])] & PIIChar.hex != 0 || b[colon + 1] == 0x3A,
                  colon == 0 || table[Int(b[colon - 1])] & PIIChar.hex != 0 || b[colon - 1] == 0x3A else { continue }
            // The run of hex digits, colons and dots around this colon; a single leading colon
            // (`addr:fe80::1`) is a separator, not part of the address.
            var i = Self.runStart(b, colon, PIIChar.ipv6, floor: resume)
            if b[i] == 0x3A, Self.at(b, i + 1) != 0x3A { i += 1 }
            guard canStartIPv6(at: i) else {
                resume = Self.runEnd(b, colon, PIIChar.ipv6)
                continue
            }
            var end = i
            var colons = 0
            while end < n, table[Int(b[end])] & PIIChar.ipv6 != 0 {
                if b[end] == 0x3A { colons += 1 }
                end += 1
            }
            let runEnd = end
            while end > i, b[end - 1] == 0x2E { end -= 1 }
            if end - i >= 2, b[end - 1] == 0x3A, b[end - 2] != 0x3A {  // a trailing single colon
                end -= 1
                colons -= 1
            }
            if colons >= 2, table[Int(Self.at(b, end))] & PIIChar.word == 0,
               Self.parseIPv6(b, i..<end, build: false) != nil {
                claim(i..<end, .ip)
            }
            resume = max(runEnd, colon + 1)
        }
    }

    func canStartIPv6(at i: Int) -> Bool {
        let p = self[i - 1]
        if PIIChar.isWord(p) || p == 0x2E { return false }
        // After a single colon (`addr:fe80::1`) only when that colon follows a non-hex word.
        if p == 0x3A {
            let pp = self[i - 2]
            return !(PIIChar.isHex(pp) || pp == 0x3A) && b[i] != 0x3A
        }
        return true
    }

    /// Parses an IPv6 address; with `build` the 8 groups are returned, else an empty array on
    /// success (no allocation). Nil when `r` is not an address.
    static func parseIPv6(_ b: [UInt8], _ r: Range<Int>, build: Bool) -> [UInt16]? {
        guard r.count >= 2, r.count <= 45 else { return nil }
        let end = r.upperBound
        var head: [UInt16] = [], tail: [UInt16] = []
        var headCount = 0, tailCount = 0
        var compressed = false
        var k = r.lowerBound
        if b[k] == 0x3A {
            guard b[k + 1] == 0x3A else { return nil }
            compressed = true
            k += 2
        }
        while k < end {
            var p = k
            var dotted = false
            while p < end, b[p] != 0x3A {
                if b[p] == 0x2E { dotted = true }
                p += 1
            }
            guard p > k else { return nil }
            var values: (UInt16, UInt16?)
            if dotted {
                guard p == end, let o = parseIPv4(b, k..<p, separator: 0x2E) else { return nil }
                values = (UInt16(o.0) << 8 | UInt16(o.1), UInt16(o.2) << 8 | UInt16(o.3))
            } else {
                guard p - k <= 4 else { return nil }
                var value: UInt16 = 0
                for j in k..<p {
                    let c = b[j]
                    guard PIIChar.isHex(c) else { return nil }
                    value = value << 4 | UInt16(PIIChar.isDigit(c) ? c - 0x30 : (c | 0x20) - 0x61 + 10)
                }
                values = (value, nil)
            }
            let added = values.1 == nil ? 1 : 2
            if compressed { tailCount += added } else { headCount += added }
            if build {
                if compressed { tail.append(values.0) } else { head.append(values.0) }
                if let second = values.1 { if compressed { tail.append(second) } else { head.append(second) } }
            }
            if p == end { break }
            // At a colon: "::" (once) or a single separator that must be followed by a group.
            if p + 1 < end, b[p + 1] == 0x3A {
                guard !compressed else { return nil }
                compressed = true
                k = p + 2
                if k < end, b[k] == 0x3A { return nil }
            } else {
                k = p + 1
                guard k < end else { return nil }
            }
        }
        let groups = headCount + tailCount
        if compressed {
            guard groups >= 1, groups <= 7 else { return nil }
            return build ? head + Array(repeating: 0, count: 8 - groups) + tail : []
        }
        guard groups == 8 else { return nil }
        return build ? head : []
    }

    // MARK: IPv4

    /// Dotted quads with every octet 0–255 (`1.2.3.4` is an address). Not when part of a longer
    /// dotted number (`1.2.3.4.5`, OIDs), after a letter (`v1.2.3.4`), or followed by a
    /// pre-release/build suffix (`1.2.3.4-beta`, `1.2.3.4+build`): those are versions.
    mutating func scanIPv4() {
        let b = self.b
        var resume = 0
        let table = PIIChar.table, marks = dots
        var m = 0
        while m < marks.count {
            let dot = marks[m]
            m += 1
            // The quad would start with the 1–3 digits just before this dot, not after a letter,
            // a digit or a dotted number (`v1.2.3.4`, `1.2.3.4.5`).
            var i = dot
            while i > resume, i > dot - 4, PIIChar.isDigit(b[i - 1]) { i -= 1 }
            guard i < dot, i >= resume else { continue }
            let p = Self.at(b, i - 1)
            guard table[Int(p)] & PIIChar.alnum == 0, p < 0x80, p != 0x2E || !PIIChar.isAlnum(Self.at(b, i - 2)),
                  p != 0x2F || !followsProductName(slash: i - 1) else {
                continue
            }
            if let end = ipv4End(from: i, separator: 0x2E), canEndIPv4(at: end) {
                claim(i..<end, .ip)
                resume = end
            }
        }
    }

    /// Whether the `/` at `slash` ends a product name that starts a word, as in the user agent
    /// `Chrome/120.0.0.0`: what follows is a version. (`/hosts/10.0.0.1` and
    /// `https://example.com/10.0.0.1` are paths, not products.)
    func followsProductName(slash: Int) -> Bool {
        var s = slash
        let table = PIIChar.table
        while s > 0, table[Int(b[s - 1])] & PIIChar.keyName != 0 { s -= 1 }
        guard s < slash, PIIChar.isAlpha(b[s]) else { return false }
        if s == 0 { return true }
        let before = b[s - 1]
        return table[Int(before)] & PIIChar.space != 0 || before == 0x28 || before == 0x2C || before == 0x3B  // ( , ;
            || before == 0x3D || before == 0x22 || before == 0x27  // = " '
    }

    func canEndIPv4(at e: Int) -> Bool {
        let c = self[e]
        if PIIChar.isWord(c) { return false }
        if c == 0x2E && PIIChar.isDigit(self[e + 1]) { return false }
        if c == 0x2D || c == 0x2B { return !PIIChar.isAlpha(self[e + 1]) }  // -beta +build
        return true
    }

    /// The end of four octets (each 1–3 digits, 0–255) joined by `separator`, starting at `i`.
    func ipv4End(from i: Int, separator: UInt8) -> Int? {
        let b = self.b, n = b.count
        var k = i
        for octet in 0..<4 {
            if octet > 0 {
                guard k < n, b[k] == separator else { return nil }
                k += 1
            }
            var value = 0, digits = 0
            while k < n, PIIChar.isDigit(b[k]) {
                value = value * 10 + Int(b[k] - 0x30)
                digits += 1
                k += 1
                guard digits <= 3 else { return nil }
            }
            guard digits > 0, value <= 255 else { return nil }
        }
        return k
    }

    static func parseIPv4(_ b: [UInt8], _ r: Range<Int>, separator: UInt8) -> (UInt8, UInt8, UInt8, UInt8)? {
        var octets: (Int, Int, Int) = (0, 0, 0)
        var index = 0, value = 0, digits = 0
        for i in r {
            let c = b[i]
            if c == separator {
                guard digits > 0, index < 3 else { return nil }
                if index == 0 { octets.0 = value } else if index == 1 { octets.1 = value } else { octets.2 = value }
                index += 1
                value = 0
                digits = 0
            } else if PIIChar.isDigit(c) {
                value = value * 10 + Int(c - 0x30)
                digits += 1
                guard digits <= 3, value <= 255 else { return nil }
            } else {
                return nil
            }
        }
        guard digits > 0, index == 3 else { return nil }
        return (UInt8(octets.0), UInt8(octets.1), UInt8(octets.2), UInt8(value))
    }

    /// Cloud host names that spell an address with dashes: `ip-10-0-1-23.ec2.internal` →
    /// `ip-[IP].ec2.internal`.
    mutating func scanDashedIPv4Hostnames() {
        let b = self.b
        for dash in dashes where dash >= 2 {
            let i = dash - 2
            guard b[i] | 0x20 == 0x69, b[i + 1] | 0x20 == 0x70, PIIChar.isDigit(Self.at(b, dash + 1)),  // ip-
                  !PIIChar.isAlnum(Self.at(b, i - 1)) else { continue }
            let start = dash + 1
            if let end = ipv4End(from: start, separator: 0x2D), !PIIChar.isAlnum(Self.at(b, end)),
               !(Self.at(b, end) == 0x2D && PIIChar.isDigit(Self.at(b, end + 1))) {
                claim(start..<end, .ip)
            }
        }
    }
}
