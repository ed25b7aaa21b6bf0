/// KPI keys (the `{key}` in `/v1/workspaces/{workspace}/kpis/{key}`) and ratio stream names.
///
/// Slug rules (see `Slug`) plus `_`: business metrics are conventionally snake_case
/// (`user_registrations`, `conversion_rate`), and refusing the underscore would make every
/// team rename what it already tracks. 1–63 characters of `a-z 0-9 - _`, starting with a letter
/// or digit, so a key is safe in URLs, SQL data, logs and unique keys without escaping.
public enum KPIKey {
    public static let maxLength = 63

    public static func isValid(_ key: String) -> Bool {
        guard let first = key.unicodeScalars.first, key.unicodeScalars.count <= maxLength else { return false }
        return isAlphanumeric(first) && key.unicodeScalars.allSatisfy { isAlphanumeric($0) || $0 == "-" || $0 == "_" }
    }

    /// nil when valid, else a failure naming `field`.
    public static func validate(_ key: String, field: String = "key") -> ValidationFailure? {
        isValid(key) ? nil : ValidationFailure(
            field: field,
            message: "\(field) must be 1-\(maxLength) characters of a-z 0-9 - _, starting with a letter or digit")
    }

    private static func isAlphanumeric(_ s: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(s) || ("0"..."9").contains(s)
    }
}
