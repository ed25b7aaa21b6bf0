import Crypto
import VigilPrimitives

/// A workspace's pseudonym key, with the HMAC state after absorbing the key computed once.
///
/// `@unchecked Sendable`: the only stored value is an HMAC that is never mutated after `init`.
/// Tokens are computed on copies of it, and swift-crypto's hash states are copy-on-write (a copy
/// that is updated first duplicates the shared digest context), so concurrent use only ever
/// reads the shared state. (`HMAC` and `SymmetricKey` are not marked `Sendable` in swift-crypto 3.)
final class PIIPseudonymKey: @unchecked Sendable {
    private let keyed: HMAC<SHA256>

    init(_ key: [UInt8]) {
        keyed = HMAC<SHA256>(key: SymmetricKey(data: key))
    }

    func mac(_ message: [UInt8]) -> HMAC<SHA256>.MAC {
        var hmac = keyed
        hmac.update(data: message)
        return hmac.finalize()
    }
}

/// Keyed pseudonym tokens: `[EMAIL:3f9a1c2b7d4e]` is the first 12 hex digits (48 bits) of
/// HMAC-SHA256(workspace key, label ‖ 0x00 ‖ normalized value). Normalising first means that
/// the forms one person's data comes in map to one token, and that a data-subject request can
/// compute the token from whatever form it was given.
enum PIIPseudonym {
    static func token<C: Collection<UInt8>>(for value: C, category: PIICategory, key: PIIPseudonymKey) -> String {
        var out: [UInt8] = []
        appendToken(for: value, category: category, key: key, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends `[LABEL:` + 12 hex digits + `]` to `out`.
    static func appendToken<C: Collection<UInt8>>(for value: C, category: PIICategory, key: PIIPseudonymKey,
                                                    to out: inout [UInt8]) {
        let label = Array(category.label.utf8)
        var message = label
        message.append(0)
        message.append(contentsOf: normalize(Array(value), category: category))
        let mac = key.mac(message)
        out.append(0x5B)  // [
        out.append(contentsOf: label)
        out.append(0x3A)  // :
        mac.withUnsafeBytes { Hex.append($0.prefix(6), to: &out) }
        out.append(0x5D)  // ]
    }

    /// - email: lower-cased (`Alice@Example.COM` → `alice@example.com`).
    /// - phone: digits only; ten digits without a leading `+` are taken as North American and
    ///   get the country code 1, so `(555) 123-4567`, `555.123.4567`, `1-555-123-4567` and
    ///   `+1 555 123 4567` are one number.
    /// - card, ssn: digits only.
    /// - ip: IPv4 as plain dotted decimal (also from `10-0-0-1`), IPv6 in RFC 5952 form
    ///   (lower case, zeros compressed), so `2001:DB8:0:0::1` and `2001:db8::1` agree.
    /// - secret, id: verbatim.
    /// Leading and trailing whitespace is ignored throughout.
    static func normalize(_ raw: [UInt8], category: PIICategory) -> [UInt8] {
        var start = 0, end = raw.count
        while start < end, isSpace(raw[start]) { start += 1 }
        while end > start, isSpace(raw[end - 1]) { end -= 1 }
        let value = Array(raw[start..<end])
        switch category {
        case .email:
            if value.allSatisfy({ $0 < 0x80 }) { return value.map(PIIChar.lower) }
            return Array(String(decoding: value, as: UTF8.self).lowercased().utf8)
        case .card, .ssn:
            return value.filter(PIIChar.isDigit)
        case .phone:
            let digits = value.filter(PIIChar.isDigit)
            if value.first != 0x2B, digits.count == 10 { return [0x31] + digits }  // +, "1"
            return digits
        case .ip:
            for separator: UInt8 in [0x2E, 0x2D] {  // . -
                if let o = PIIScan.parseIPv4(value, 0..<value.count, separator: separator) {
                    var out: [UInt8] = []
                    for (index, octet) in [o.0, o.1, o.2, o.3].enumerated() {
                        if index > 0 { out.append(0x2E) }
                        if octet >= 100 { out.append(0x30 + octet / 100) }
                        if octet >= 10 { out.append(0x30 + octet / 10 % 10) }
                        out.append(0x30 + octet % 10)
                    }
                    return out
                }
            }
            if let groups = PIIScan.parseIPv6(value, 0..<value.count, build: true) { return canonicalIPv6(groups) }
            return value.map(PIIChar.lower)
        case .secret, .id:
            return value
        }
    }

    private static func isSpace(_ c: UInt8) -> Bool {
        c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D
    }

    private static func appendHex(_ nibble: UInt8, to out: inout [UInt8]) {
        out.append(nibble < 10 ? 0x30 + nibble : 0x61 + nibble - 10)
    }

    /// RFC 5952: lower-case hex without leading zeros, the longest run (2+) of zero groups as `::`.
    static func canonicalIPv6(_ groups: [UInt16]) -> [UInt8] {
        var bestStart = -1, bestLength = 0, runStart = -1
        for index in 0..<groups.count {
            if groups[index] == 0 {
                if runStart < 0 { runStart = index }
                if index - runStart + 1 > bestLength {
                    bestStart = runStart
                    bestLength = index - runStart + 1
                }
            } else {
                runStart = -1
            }
        }
        if bestLength < 2 { bestStart = -1 }
        var out: [UInt8] = []
        var index = 0
        while index < groups.count {
            if index == bestStart {
                out.append(contentsOf: [0x3A, 0x3A])  // ::
                index += bestLength
                continue
            }
            let afterGap = bestStart >= 0 && index == bestStart + bestLength
            if index > 0 && !afterGap { out.append(0x3A) }
            let group = groups[index]
            var started = false
            for shift in stride(from: 12, through: 0, by: -4) {
                let nibble = UInt8(group >> UInt16(shift) & 0xF)
                if nibble != 0 || started || shift == 0 {
                    appendHex(nibble, to: &out)
                    started = true
                }
            }
            index += 1
        }
        return out
    }
}
