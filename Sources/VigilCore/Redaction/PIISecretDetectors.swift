import Foundation

/// Credentials: URL userinfo, `Bearer`/`Basic` credentials, `password=…`-style pairs, JWTs,
/// API keys with a known prefix, and long high-entropy base62 strings. All become `[SECRET]`.
extension PIIScan {
    /// `https://user:pass@host/` → `https://[SECRET]@host/`.
    mutating func scanURLUserinfo() {
        let b = self.b, n = b.count
        var resume = 0
        for i in colons where i >= resume {
            guard i + 2 < n, b[i + 1] == 0x2F, b[i + 2] == 0x2F else { continue }  // "://"
            let start = i + 3
            var j = start
            var at = -1, colon = -1
            while j < n {
                let c = b[j]
                // The authority ends at / ? # whitespace quotes or angle brackets.
                if c == 0x2F || c == 0x3F || c == 0x23 || c == 0x22 || c == 0x27 || c == 0x3C || c == 0x3E || c == 0x60
                    || PIIChar.table[Int(c)] & PIIChar.space != 0 { break }
                if c == 0x40 { at = j }
                if c == 0x3A && at < 0 { colon = j }
                j += 1
            }
            if at > start, colon >= start, colon < at { claim(start..<at, .secret) }  // user:pass@ or :pass@
            resume = j
        }
    }

    /// `Bearer <credential>` and `Basic <base64 of user:password>` (any case); the scheme stays,
    /// the credential becomes `[SECRET]`.
    mutating func scanAuthorizationSchemes() {
        let b = self.b, n = b.count
        for scheme in authorizationSchemes {
            let bearer = scheme.count == 6
            var start = scheme.upperBound
            while start < n, b[start] == 0x20 || b[start] == 0x09 { start += 1 }
            var end = Self.runEnd(b, start, PIIChar.token68)
            while end < n, b[end] == 0x3D { end += 1 }  // = padding
            // `Bearer realm=api` is an auth-param, not a credential.
            if end < n, PIIChar.table[Int(b[end])] & PIIChar.token68 != 0 { continue }
            let credential = start..<end
            if bearer ? looksLikeBearerCredential(credential) : looksLikeBasicCredential(credential) {
                claim(credential, .secret)
            }
        }
    }

    /// Long enough, and not a plain word ("Bearer authentication failed" stays); `=` padding
    /// does not count.
    func looksLikeBearerCredential(_ r: Range<Int>) -> Bool {
        var end = r.upperBound
        while end > r.lowerBound, b[end - 1] == 0x3D { end -= 1 }
        guard end - r.lowerBound >= 8 else { return false }
        if end - r.lowerBound >= 20 { return true }
        for i in r.lowerBound..<end where !PIIChar.isAlpha(b[i]) { return true }
        return false
    }

    /// Basic credentials are base64 of `user:password`: decode and look for the colon, so
    /// "Basic authentication" is not taken for one.
    func looksLikeBasicCredential(_ r: Range<Int>) -> Bool {
        guard r.count >= 4, r.count <= 1024, r.count % 4 != 1 else { return false }
        var text = String(decoding: b[r], as: UTF8.self)
        while text.utf8.count % 4 != 0 { text += "=" }
        guard let decoded = Data(base64Encoded: text) else { return false }
        return decoded.contains(0x3A)
    }

    /// `password=hunter2`, `api_key: abc`, `"token":"abc"`, `X-Auth-Token=…` (see
    /// `PIISensitiveKeys`): the value up to the next delimiter (or closing quote) becomes `[SECRET]`.
    mutating func scanSensitiveAssignments() {
        let b = self.b, n = b.count, table = PIIChar.table
        var resume = 0
        for i in assignmentMarks where i >= resume && !taken[i] {
            let c = b[i]
            // `::`, `://`, `==` are not assignments.
            if Self.at(b, i + 1) == c || Self.at(b, i - 1) == c || (c == 0x3A && Self.at(b, i + 1) == 0x2F) { continue }
            var keyEnd = i
            while keyEnd > 0, b[keyEnd - 1] == 0x20, i - keyEnd < 2 { keyEnd -= 1 }
            if keyEnd > 0, b[keyEnd - 1] == 0x22 || b[keyEnd - 1] == 0x27 { keyEnd -= 1 }  // "key": 'key':
            var keyStart = keyEnd
            while keyStart > 0, table[Int(b[keyStart - 1])] & PIIChar.keyName != 0 { keyStart -= 1 }
            guard keyEnd - keyStart >= 3, PIIChar.isAlpha(b[keyEnd - 1]),
                  PIISensitiveKeys.isSensitive(b, keyStart..<keyEnd) else { continue }
            var start = i + 1
            while start < n, b[start] == 0x20 { start += 1 }
            let quote = Self.at(b, start)
            if quote == 0x22 || quote == 0x27 || quote == 0x60 {
                var end = start + 1
                while end < n, b[end] != quote { end += 1 }
                claim((start + 1)..<end, .secret)
                resume = end
                continue
            }
            var end = Self.runEnd(b, start, PIIChar.assignmentValue)
            // `Authorization: Bearer x`: keep the scheme, the credential is the next word.
            if Self.at(b, end) == 0x20, isAuthorizationScheme(start..<end) {
                start = end
                while start < n, b[start] == 0x20 { start += 1 }
                end = Self.runEnd(b, start, PIIChar.assignmentValue)
            }
            claim(start..<end, .secret)
            resume = end
        }
    }

    func isAuthorizationScheme(_ r: Range<Int>) -> Bool {
        matchesLowercased(r, "bearer") || matchesLowercased(r, "basic") || matchesLowercased(r, "token")
            || matchesLowercased(r, "digest") || matchesLowercased(r, "negotiate")
    }

    /// Runs of `[A-Za-z0-9_-]` of 10+ characters: JWTs (`eyJ….eyJ….sig`), API keys with a known
    /// prefix, and long high-entropy strings.
    mutating func scanTokens() {
        let b = self.b, n = b.count, table = PIIChar.table
        var resume = 0
        for run in tokenRuns where run.lowerBound >= resume {
            let i = run.lowerBound, j = run.upperBound
            if let end = jwtEnd(start: i, headerEnd: j) {
                claim(i..<end, .secret)
                resume = end
                continue
            }
            if hasKnownSecretPrefix(i..<j) || looksHighEntropy(i..<j) {
                var end = j
                while end < n, b[end] == 0x3D, end - j < 2 { end += 1 }  // base64 padding
                // `abc=def` is an assignment, not padding.
                if table[Int(Self.at(b, end))] & PIIChar.token != 0 { end = j }
                claim(i..<end, .secret)
            }
        }
    }

    /// A JWT: base64url header starting `eyJ` (`{"`), a payload and a (possibly empty) signature.
    func jwtEnd(start i: Int, headerEnd j: Int) -> Int? {
        guard b[i] == 0x65, b[i + 1] == 0x79, b[i + 2] == 0x4A, self[j] == 0x2E else { return nil }  // eyJ .
        let payloadEnd = runEnd(from: j + 1, PIIChar.token)
        guard payloadEnd - (j + 1) >= 4, self[payloadEnd] == 0x2E else { return nil }
        return runEnd(from: payloadEnd + 1, PIIChar.token)
    }

    /// Prefixes of well-known API keys and the least number of characters that must follow.
    static let secretPrefixes: [(prefix: [UInt8], minRest: Int)] = [
        ("sk_live_", 16), ("sk_test_", 16), ("rk_live_", 16), ("rk_test_", 16), ("pk_live_", 16), ("pk_test_", 16),
        ("whsec_", 16), ("sk-", 20), ("ghp_", 20), ("gho_", 20), ("ghu_", 20), ("ghs_", 20), ("ghr_", 20),
        ("github_pat_", 20), ("glpat-", 16), ("xoxb-", 10), ("xoxp-", 10), ("xoxa-", 10), ("xoxr-", 10),
        ("xoxs-", 10), ("xoxe-", 10), ("vgl_", 16), ("npm_", 30), ("hf_", 30), ("shpat_", 30), ("shpss_", 30),
        ("dop_v1_", 40), ("pypi-", 40), ("AIza", 30),
    ].map { (Array($0.0.utf8), $0.1) }

    /// A known prefix followed by enough characters, at least one a digit (so names like
    /// `sk-learn-…` or `hf_transformers_…` stay). AWS access key ids: `AKIA`/`ASIA` + 16 of `[A-Z0-9]`.
    func hasKnownSecretPrefix(_ r: Range<Int>) -> Bool {
        let length = r.count, s = r.lowerBound
        guard length >= 12 else { return false }
        // AKIA… / ASIA…
        if length == 20, b[s] == 0x41, b[s + 1] == 0x4B || b[s + 1] == 0x53, b[s + 2] == 0x49, b[s + 3] == 0x41 {
            for i in r where !(PIIChar.isUpper(b[i]) || PIIChar.isDigit(b[i])) { return false }
            return true
        }
        for (prefix, minRest) in Self.secretPrefixes where prefix[0] == b[s] && length >= prefix.count + minRest {
            var k = 1
            while k < prefix.count, b[s + k] == prefix[k] { k += 1 }
            guard k == prefix.count else { continue }
            var digits = 0, uppers = 0
            for i in (s + prefix.count)..<r.upperBound {
                if PIIChar.isDigit(b[i]) { digits += 1 } else if PIIChar.isUpper(b[i]) { uppers += 1 }
            }
            // OpenAI-style `sk-` keys are mixed case; `sk-` alone is too common a name prefix.
            return digits > 0 && (prefix.count != 3 || uppers > 0)
        }
        return false
    }

    /// At least 24 characters of mixed upper case, lower case and digits that switch between
    /// those classes often, as random base62 does (about 62% of neighbours differ) and identifiers
    /// do not (`GetUserProfileV2Handler2024Q3Report` switches 40% of the time and stays). Hex and
    /// single-case strings (trace ids, hashes, uuids, pod names) never match.
    func looksHighEntropy(_ r: Range<Int>) -> Bool {
        guard r.count >= 24, r.count <= 4096 else { return false }
        let table = PIIChar.table
        var upper = 0, lower = 0, digits = 0, alnums = 0, transitions = 0
        var previousClass: UInt16 = 0
        for i in r {
            let cls = table[Int(b[i])] & PIIChar.alnum
            if cls == 0 { continue }
            if cls == PIIChar.upper { upper += 1 } else if cls == PIIChar.lower { lower += 1 } else { digits += 1 }
            alnums += 1
            if previousClass != 0 && previousClass != cls { transitions += 1 }
            previousClass = cls
        }
        guard upper >= 2, lower >= 2, digits >= 2, alnums >= 20 else { return false }
        return transitions * 100 >= (alnums - 1) * 45
    }
}
