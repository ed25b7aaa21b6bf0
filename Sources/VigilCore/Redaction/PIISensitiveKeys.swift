/// Names of fields that hold credentials (`password`, `api_key`, `X-Auth-Token`, `accessToken`).
/// Used for tag keys (their whole value becomes `[SECRET]`) and for `name=value` / `name: value`
/// pairs inside values.
///
/// A name is compared in normalised form (`X-Auth-Token` → `x_auth_token`, `accessToken` →
/// `access_token`, `api.key` → `api_key`): it must be one of the words below, or end in `_word`
/// for the words that allow a prefix (`db_password`, `client_secret`, `x_amz_signature`,
/// `set_cookie`). Whole
/// words, not substrings, so `token_count`, `max_tokens`, `cache_key` and `partition_key` are
/// not sensitive.
enum PIISensitiveKeys {
    static let prefixable = [
        "password", "passwd", "pwd", "passphrase", "secret", "token", "apikey", "api_key", "access_key",
        "secret_key", "private_key", "signature", "credential", "credentials", "session_id", "authorization",
        "cookie",
    ]
    static let exactOnly = [
        "session", "sessionid", "jsessionid", "phpsessid", "otp",
    ]

    /// Words grouped by their last byte, so a name is compared with a handful of them at most.
    private static let byLastByte: [[(word: [UInt8], prefixable: Bool)]] = {
        var groups = Array(repeating: [(word: [UInt8], prefixable: Bool)](), count: 256)
        for word in prefixable { groups[Int(word.utf8.last!)].append((Array(word.utf8), true)) }
        for word in exactOnly { groups[Int(word.utf8.last!)].append((Array(word.utf8), false)) }
        return groups
    }()

    static func isSensitive(_ name: String) -> Bool {
        let bytes = Array(name.utf8)
        return isSensitive(bytes, 0..<bytes.count)
    }

    static func isSensitive(_ b: [UInt8], _ r: Range<Int>) -> Bool {
        guard r.count >= 3, r.count <= 64 else { return false }
        let candidates = byLastByte[Int(PIIChar.lower(b[r.upperBound - 1]))]
        for candidate in candidates where matches(b, r, candidate.word, prefixable: candidate.prefixable) {
            return true
        }
        return false
    }

    /// Compares the normalised name with `word` from the end, without building the normalised
    /// string: upper-case letters are lowered and get a `_` before them after a lower-case letter
    /// or digit; `-`, `.` and spaces become `_`.
    static func matches(_ b: [UInt8], _ r: Range<Int>, _ word: [UInt8], prefixable: Bool) -> Bool {
        let underscore: UInt8 = 0x5F
        var j = r.upperBound - 1
        var pending: UInt8 = 0
        var w = word.count - 1
        while w >= 0 {
            let c: UInt8
            if pending != 0 {
                c = pending
                pending = 0
            } else {
                guard j >= r.lowerBound else { return false }
                c = normalizedByte(b, j, lowerBound: r.lowerBound, pending: &pending)
                j -= 1
            }
            guard c == word[w] else { return false }
            w -= 1
        }
        if pending == 0 && j < r.lowerBound { return true }
        guard prefixable else { return false }
        if pending != 0 { return pending == underscore }
        var ignored: UInt8 = 0
        return normalizedByte(b, j, lowerBound: r.lowerBound, pending: &ignored) == underscore
    }

    private static func normalizedByte(_ b: [UInt8], _ j: Int, lowerBound: Int, pending: inout UInt8) -> UInt8 {
        let raw = b[j]
        if PIIChar.isUpper(raw) {
            if j > lowerBound, PIIChar.isLower(b[j - 1]) || PIIChar.isDigit(b[j - 1]) { pending = 0x5F }
            return raw | 0x20
        }
        if raw == 0x2D || raw == 0x2E || raw == 0x20 { return 0x5F }  // - . space
        return raw
    }
}
