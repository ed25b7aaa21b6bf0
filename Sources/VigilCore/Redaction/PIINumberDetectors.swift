/// Payment cards, US social security numbers and phone numbers.
extension PIIScan {
    // MARK: Cards

    /// 13–19 digits, bare or in groups (`4111 1111 1111 1111`, `3782-822463-10005`), with a card
    /// network prefix and a valid Luhn check digit. 16-digit numbers failing Luhn stay.
    mutating func scanCards() {
        let runs = digitRuns, ends = digitRunEnds
        var resume = 0, r = 0
        while r < runs.count {
            let i = runs[r], length = ends[r] - i
            r += 1
            // A card starts with a group of 4 or is 13–19 digits in one.
            guard i >= resume, length == 4 || (length >= 13 && length <= 19) else { continue }
            let (cardEnd, chainEnd) = card(from: i)
            if let cardEnd {
                claim(i..<cardEnd, .card)
                resume = cardEnd
            } else {
                // No later group of the same chain can start a number (it follows a digit and a separator).
                resume = chainEnd
            }
        }
    }

    /// Walks the chain of digit groups starting at `i` (one separator, ` ` or `-`, used
    /// throughout) and returns the end of the longest prefix that is a card, and where the chain ends.
    func card(from i: Int) -> (card: Int?, chainEnd: Int) {
        let b = self.b
        let firstEnd = Self.runEnd(b, i, PIIChar.digit)
        let firstLength = firstEnd - i
        guard numberCanStart(at: i), firstLength == 4 || (firstLength >= 13 && firstLength <= 19) else {
            return (nil, firstEnd)
        }
        var best: Int?
        var total = firstLength, end = firstEnd
        if firstLength >= 13 {
            if numberCanEnd(at: end), isCardNumber(i..<end) { best = end }
            return (best, end)
        }
        var separator: UInt8 = 0
        var groups = 1
        while groups < 6 {
            let s = Self.at(b, end)
            guard s == 0x20 || s == 0x2D, separator == 0 || s == separator, PIIChar.isDigit(Self.at(b, end + 1)) else {
                break
            }
            let groupEnd = Self.runEnd(b, end + 1, PIIChar.digit)
            let length = groupEnd - (end + 1)
            guard length >= 3, length <= 6, total + length <= 19 else { break }
            separator = s
            total += length
            end = groupEnd
            groups += 1
            if total >= 13, numberCanEnd(at: end), isCardNumber(i..<end) { best = end }
        }
        return (best, max(end, firstEnd))
    }

    /// Issuer prefix and Luhn check over the digits of `r` (separators skipped; the first group
    /// always has at least four digits).
    func isCardNumber(_ r: Range<Int>) -> Bool {
        PIILuhn.hasCardPrefix(b, at: r.lowerBound) && PIILuhn.isValid(b, r)
    }

    // MARK: SSNs

    /// `123-45-6789` (or with spaces) with a valid area (not 000, 666, 900–999), group (not 00)
    /// and serial (not 0000). Nine bare digits are not taken for an SSN.
    mutating func scanSSNs() {
        let b = self.b, runs = digitRuns, ends = digitRunEnds, n = b.count
        var resume = 0, r = 0
        while r < runs.count {
            let i = runs[r], end = ends[r]
            r += 1
            guard i >= resume, end - i == 3, end < n, b[end] == 0x2D || b[end] == 0x20, isSSN(start: i) else { continue }
            claim(i..<(i + 11), .ssn)
            resume = i + 11
        }
    }

    func isSSN(start i: Int) -> Bool {
        let sep = self[i + 3]
        guard sep == 0x2D || sep == 0x20, numberCanStart(at: i), digitCount(at: i + 4) == 2, self[i + 6] == sep,
              digitCount(at: i + 7) == 4, numberCanEnd(at: i + 11) else { return false }
        let area = number(i..<(i + 3)), group = number((i + 4)..<(i + 6)), serial = number((i + 7)..<(i + 11))
        return area != 0 && area != 666 && area < 900 && group != 0 && serial != 0
    }

    func number(_ r: Range<Int>) -> Int {
        var value = 0
        for j in r { value = value * 10 + Int(b[j] - 0x30) }
        return value
    }

    // MARK: Phones

    /// International numbers with a `+` and 8–15 digits (`+44 20 7946 0958`, `+1 (555) 123-4567`,
    /// `+4915123456789`), and North American numbers in the usual layouts (`(555) 123-4567`,
    /// `555-123-4567`, `555.123.4567`, `1-555-123-4567`). Bare digit runs (`5551234567`, unix
    /// times), dates and times stay.
    mutating func scanPhones() {
        let b = self.b, n = b.count
        var resume = 0
        for i in pluses where i >= resume {
            guard PIIChar.isDigit(Self.at(b, i + 1)), !PIIChar.isWord(Self.at(b, i - 1)) else { continue }
            if let end = internationalPhoneEnd(from: i) {
                claim(i..<end, .phone)
                resume = end
            }
        }
        // North American numbers start at an opening parenthesis, at a 3-digit area code or at
        // the country code 1 followed by a separator; candidates are taken in order.
        let runs = digitRuns, ends = digitRunEnds, parens = openParens
        resume = 0
        var p = 0, d = 0
        while p < parens.count || d < runs.count {
            let i: Int
            if d == runs.count || (p < parens.count && parens[p] < runs[d]) {
                i = parens[p]
                p += 1
                // (555) 123-4567 or (555)123-4567
                var k = i + 5
                if k < n, b[k] == 0x20 || b[k] == 0x2D { k += 1 }
                guard k + 7 < n, b[i + 4] == 0x29, PIIChar.isDigit(b[i + 1]), PIIChar.isDigit(b[k]),
                      Self.isNorthAmericanSeparator(b[k + 3]), PIIChar.isDigit(b[k + 4]) else { continue }
            } else {
                // Cheap shape check on the digit runs before the full one: 3 digits, then a run of
                // 3 one separator later, then 4 (after an optional country code 1 and separator).
                i = runs[d]
                var area = d
                d += 1
                let countryCode = ends[area] - i == 1 && b[i] == 0x31
                if !(countryCode && i + 2 < n && b[i + 2] == 0x28) {  // 1 (555) … is checked in full
                    if countryCode { area += 1 }
                    guard area + 2 < runs.count, runs[area] <= i + 2, ends[area] - runs[area] == 3,
                          runs[area + 1] == ends[area] + 1, ends[area + 1] - runs[area + 1] == 3,
                          runs[area + 2] == ends[area + 1] + 1, ends[area + 2] - runs[area + 2] == 4 else { continue }
                }
            }
            guard i >= resume, !taken[i], canStartNorthAmericanPhone(at: i),
                  let end = northAmericanPhoneEnd(from: i) else { continue }
            claim(i..<end, .phone)
            resume = end
        }
    }

    static func isPhoneSeparator(_ c: UInt8) -> Bool {
        c == 0x20 || c == 0x2D || c == 0x2E || c == 0x28 || c == 0x29  // space - . ( )
    }

    func internationalPhoneEnd(from i: Int) -> Int? {
        let b = self.b, n = b.count
        var k = i + 1
        var digits = 0, groups = 0
        var lengths = (0, 0, 0)
        var end = k
        while true {
            let e = Self.runEnd(b, k, PIIChar.digit)
            digits += e - k
            switch groups {
            case 0: lengths.0 = e - k
            case 1: lengths.1 = e - k
            case 2: lengths.2 = e - k
            default: break
            }
            groups += 1
            guard digits <= 15 else { return nil }
            end = e
            var s = e
            while s < n, Self.isPhoneSeparator(b[s]), s - e < 3 { s += 1 }
            guard s > e, s - e <= 2, PIIChar.isDigit(Self.at(b, s)) else { break }
            k = s
        }
        guard digits >= 8, !PIIChar.isWord(Self.at(b, end)) else { return nil }
        if groups == 3 && lengths == (4, 2, 2) { return nil }  // +2026-11-30 is a date
        return end
    }

    func canStartNorthAmericanPhone(at i: Int) -> Bool {
        let p = self[i - 1]
        return !PIIChar.isWord(p) && p != 0x2B && p != 0x2D && p != 0x2E  // + - .
    }

    static func isNorthAmericanSeparator(_ c: UInt8) -> Bool {
        c == 0x2D || c == 0x2E || c == 0x20  // - . space
    }

    func northAmericanPhoneEnd(from i: Int) -> Int? {
        var k = i
        // Country code 1.
        if self[k] == 0x31, Self.isNorthAmericanSeparator(self[k + 1]), PIIChar.isDigit(self[k + 2]) || self[k + 2] == 0x28 {
            k += 2
        }
        let firstSeparator: UInt8
        let parenthesized = self[k] == 0x28
        if parenthesized {
            // (555) 123-4567, (555)123-4567
            guard digitCount(at: k + 1) == 3, self[k + 4] == 0x29, self[k + 1] >= 0x32 else { return nil }
            k += 5
            if self[k] == 0x20 || self[k] == 0x2D { k += 1 }
            firstSeparator = 0x20
        } else {
            // Area codes start with 2–9.
            guard digitCount(at: k) == 3, self[k] >= 0x32, Self.isNorthAmericanSeparator(self[k + 3]) else { return nil }
            firstSeparator = self[k + 3]
            k += 4
        }
        let secondSeparator = self[k + 3]
        guard digitCount(at: k) == 3, Self.isNorthAmericanSeparator(secondSeparator),
              parenthesized || (firstSeparator == 0x2E) == (secondSeparator == 0x2E),
              digitCount(at: k + 4) == 4 else { return nil }
        let end = k + 8
        return numberCanEnd(at: end) ? end : nil
    }
}
