/// Payment card number checks, over the UTF-8 digits of a value (separators skipped).
enum PIILuhn {
    /// The Luhn (mod 10) check over the digits in `b[r]`; other bytes (group separators) are skipped.
    static func isValid(_ b: [UInt8], _ r: Range<Int>) -> Bool {
        var sum = 0, digits = 0
        var double = false
        var j = r.upperBound - 1
        while j >= r.lowerBound {
            let c = b[j]
            j -= 1
            guard c &- 0x30 < 10 else { continue }
            var d = Int(c - 0x30)
            if double {
                d *= 2
                if d > 9 { d -= 9 }
            }
            sum += d
            digits += 1
            double.toggle()
        }
        return digits >= 2 && sum % 10 == 0
    }

    /// Issuer prefixes of the card networks (Visa 4, Mastercard 51–55 and 2221–2720, Amex 34/37,
    /// Diners/JCB 30/35/36/38/39, Discover/UnionPay/Maestro 6…), from the four digits at `start`.
    /// Numbers starting with 0, 1, 7, 8 or 9 — millisecond timestamps, snowflake ids — are never
    /// taken for cards.
    static func hasCardPrefix(_ b: [UInt8], at start: Int) -> Bool {
        guard start + 4 <= b.count else { return false }
        let first = b[start] &- 0x30, second = b[start + 1] &- 0x30
        switch first {
        case 3: return second == 0 || second >= 4  // 30, 34–39
        case 4, 5, 6: return true
        case 2:
            let prefix = Int(first) * 1000 + Int(second) * 100 + Int(b[start + 2] &- 0x30) * 10 + Int(b[start + 3] &- 0x30)
            return prefix >= 2200 && prefix <= 2720
        default: return false
        }
    }
}
