import VigilPrimitives

/// Identifies "the same problem" across events, for deduplication and as PagerDuty's
/// `dedup_key`. It is stored with every alert, so the derivation must never change: a new
/// release computing a different value would open duplicates of every open alert.
public enum AlertFingerprint {
    /// PagerDuty's own limit on `dedup_key`, which this value is forwarded as.
    public static let maxDedupKeyBytes = 255

    /// The client's `dedup_key` when it gave a non-empty one, else `derived(...)`.
    public static func of(dedupKey: String?, source: String, title: String, labels: [String: String]) -> String {
        if let dedupKey, !dedupKey.isEmpty { return dedupKey }
        return derived(source: source, title: title, labels: labels)
    }

    /// Lowercase hex SHA-256 of `canonicalEncoding`.
    public static func derived(source: String, title: String, labels: [String: String]) -> String {
        SHA256Hex.hex(of: canonicalEncoding(source: source, title: title, labels: labels))
    }

    /// The hashed bytes: netstrings (`<UTF-8 byte count in decimal>:<bytes>,`) of `v1`, the
    /// source, the title, then each label key and value, keys sorted by their UTF-8 bytes.
    ///
    /// Length prefixes make it unambiguous whatever the strings contain (no separator can be
    /// forged: `a`/`b,c` and `a,b`/`c` differ); byte order, unlike `String`'s `<`, does not
    /// depend on Unicode tables that may change between Swift releases; no normalization is
    /// applied, so the bytes the client sent are the bytes hashed. `v1` names the scheme so a
    /// future one can coexist. Check by hand with
    /// `printf '2:v1,3:api,8:High CPU,3:env,4:prod,' | sha256sum`.
    public static func canonicalEncoding(source: String, title: String, labels: [String: String]) -> [UInt8] {
        var fields = LengthPrefixed(.netstring)
        fields.append("v1")
        fields.append(source)
        fields.append(title)
        for key in labels.keys.sorted(by: utf8Precedes) {
            fields.append(key)
            fields.append(labels[key] ?? "")
        }
        return fields.bytes
    }

    /// A client-supplied `dedup_key` must fit where it is forwarded.
    public static func validateDedupKey(_ key: String, field: String = "dedup_key") throws(ValidationFailure) {
        guard !key.isEmpty, key.utf8.count <= maxDedupKeyBytes else {
            throw ValidationFailure(field: field, message: "dedup_key must be 1-\(maxDedupKeyBytes) bytes")
        }
    }
}

/// Orders strings by their UTF-8 bytes: stable across releases and identical to Go's and
/// PostgreSQL's `COLLATE "C"` order, which other parts of the system may have to match.
@inline(__always)
func utf8Precedes(_ a: String, _ b: String) -> Bool {
    a.utf8.lexicographicallyPrecedes(b.utf8)
}
