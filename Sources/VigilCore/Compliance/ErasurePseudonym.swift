/// The value that replaces erased personal data in rows that must stay (audit details, shared
/// alert rows): `erased:sha256:<12 hex>` = the first 48 bits of HMAC-SHA256(salt, value).
///
/// Salt choice (the caller's): a random salt per erasure run, discarded afterwards, makes the
/// replacement anonymous — the rows still group together (same value, same pseudonym within the
/// run) but nobody can link them back to the person, not even Vigil. A long-lived salt would
/// make it a pseudonym (still personal data under GDPR). The salt is a parameter so this stays pure.
///
/// The replacement never matches any search term (no `@`, no dotted quad, word-bounded hex), so
/// a second erasure run finds nothing: erasure is idempotent.
public enum ErasurePseudonym {
    public static let prefix = "erased:sha256:"
    static let hexLength = 12

    public static func replace(value: String, salt: [UInt8]) -> String {
        prefix + String(SHA256Hex.hmac(key: salt, message: Array(value.utf8)).prefix(hexLength))
    }

    /// Whether `value` is already an erasure pseudonym.
    public static func isPseudonym(_ value: String) -> Bool {
        guard value.hasPrefix(prefix) else { return false }
        let hex = value.dropFirst(prefix.count)
        return hex.count == hexLength && hex.utf8.allSatisfy { PIIChar.isDigit($0) || ($0 >= 0x61 && $0 <= 0x66) }
    }
}
