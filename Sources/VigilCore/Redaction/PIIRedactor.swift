/// Removes personal data and secrets from metric tag names and values before they are stored.
///
/// Replaces emails (`[EMAIL]`), IPv4/IPv6 addresses (`[IP]`), Luhn-valid card numbers (`[CARD]`),
/// US SSNs (`[SSN]`), phone numbers (`[PHONE]`), credentials — bearer/basic credentials, JWTs,
/// prefixed API keys (`sk_live_`, `ghp_`, `AKIA…`, `xoxb-`, `vgl_`, …), long high-entropy strings,
/// values of `password=`-like pairs — (`[SECRET]`), and numeric/uuid/hex ids in URL paths and
/// queries (`/api/users/[ID]/profile`, `?id=[ID]`). In SQL-like values string literals become
/// `'[REDACTED]'` (or `'[EMAIL]'`, … when the literal is itself one PII match) and numbers `?`.
///
/// In `pseudonymize` mode emails, IPs, cards, SSNs and phones become keyed tokens
/// (`[EMAIL:3f9a1c2b7d4e]`, see `token(for:category:key:)`); secrets and ids are always masked.
/// Without a (non-empty) key, pseudonymize falls back to masking: nothing is ever let through.
///
/// Pure and linear in the length of the value: hand-written scanners, no regular expressions.
public struct PIIRedactor: Sendable {
    public let policy: RedactionPolicy
    private let key: PIIPseudonymKey?

    /// - Parameters:
    ///   - pseudonymKey: the workspace's secret for `pseudonymize` mode (32 random bytes
    ///     recommended); ignored in `mask` mode.
    public init(policy: RedactionPolicy = .default, pseudonymKey: [UInt8]? = nil) {
        self.policy = policy
        if let pseudonymKey, !pseudonymKey.isEmpty {
            key = PIIPseudonymKey(pseudonymKey)
        } else {
            key = nil
        }
    }

    /// What the redactor actually does: `pseudonymize` only when the policy asks for it and a key was given.
    public var effectiveMode: RedactionPolicy.Mode {
        policy.mode == .pseudonymize && key != nil ? .pseudonymize : .mask
    }

    /// Redacts one tag value. `tagKey`, when given, is checked against the allow-list (value kept
    /// verbatim) and against credential names (`password`, `api_key`, `X-Auth-Token`, …: the whole
    /// value becomes `[SECRET]`).
    public func redactValue(_ value: String, tagKey: String? = nil) -> String {
        guard policy.enabled, !value.isEmpty else { return value }
        if let tagKey {
            if policy.allowedTagKeys.contains(tagKey) { return value }
            if PIISensitiveKeys.isSensitive(tagKey) { return PIICategory.secret.placeholder }
        }
        return redact(value)
    }

    /// Redacts names and values. Allow-listed keys keep their name and value verbatim. Should two
    /// names redact to the same text (two email-named keys both become `[EMAIL]`), the value of
    /// the name that sorts first is kept, so the result does not depend on dictionary order.
    public func redactTags(_ tags: [String: String]) -> [String: String] {
        guard policy.enabled else { return tags }
        var out: [String: String] = [:]
        out.reserveCapacity(tags.count)
        for (key, value) in tags where policy.allowedTagKeys.contains(key) {
            out[key] = value
        }
        for key in tags.keys.sorted() where !policy.allowedTagKeys.contains(key) {
            let redactedKey = redact(key)
            if out[redactedKey] == nil {
                out[redactedKey] = redactValue(tags[key] ?? "", tagKey: key)
            }
        }
        return out
    }

    /// The pseudonym token of `value` (e.g. `[EMAIL:3f9a1c2b7d4e]`): the first 12 hex digits of
    /// HMAC-SHA256 under `key` over the category and the normalised value (emails lower-cased,
    /// phones/cards/SSNs as digits, IPs canonical). A data-subject request computes the token of
    /// the person's email, phone, … with the workspace key and searches for it.
    public static func token(for value: String, category: PIICategory, key: [UInt8]) -> String {
        PIIPseudonym.token(for: Array(value.utf8), category: category, key: PIIPseudonymKey(key))
    }

    // MARK: Internals

    private func redact(_ value: String) -> String {
        var scan = PIIScan(Array(value.utf8))
        scan.run()
        guard !scan.claims.isEmpty else { return value }
        let bytes = scan.b, n = bytes.count, claims = scan.claims
        let tokenKey = policy.mode == .pseudonymize ? key : nil
        let placeholders = Self.placeholders
        // Claims do not overlap; index them by start so the output is built in one walk.
        var claimAt = Array(repeating: -1, count: n)
        var c = 0
        while c < claims.count {
            claimAt[claims[c].range.lowerBound] = c
            c += 1
        }
        var out: [UInt8] = []
        out.reserveCapacity(n + claims.count * 8)
        var i = 0
        while i < n {
            let index = claimAt[i]
            if index < 0 {
                out.append(bytes[i])
                i += 1
                continue
            }
            let claim = claims[index]
            switch claim.replacement {
            case .verbatim:
                out.append(contentsOf: bytes[claim.range])
            case .sqlNumber:
                out.append(0x3F)  // ?
            case .sqlLiteral:
                out.append(contentsOf: Self.redactedLiteral)
            case .category(let category):
                if let tokenKey, category.isPseudonymizable {
                    PIIPseudonym.appendToken(for: bytes[claim.range], category: category, key: tokenKey, to: &out)
                } else {
                    out.append(contentsOf: placeholders[category.ordinal])
                }
            }
            i = claim.range.upperBound
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static let placeholders: [[UInt8]] = PIICategory.allCases.map { Array($0.placeholder.utf8) }
    private static let redactedLiteral = Array("[REDACTED]".utf8)
}

extension PIIRedactor: CustomStringConvertible, CustomReflectable {
    /// Never shows the pseudonym key.
    public var description: String {
        "PIIRedactor(enabled: \(policy.enabled), mode: \(effectiveMode.rawValue), "
            + "allowedTagKeys: \(policy.allowedTagKeys.sorted()))"
    }

    public var customMirror: Mirror {
        Mirror(self, children: ["policy": policy, "effectiveMode": effectiveMode], displayStyle: .struct)
    }
}
