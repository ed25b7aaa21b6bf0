/// Who chose an alert's identity. Client dedup keys and Vigil's own share the fingerprint
/// column (it is also PagerDuty's `dedup_key`), so they are kept apart by validation: a client
/// key may not take a form Vigil derives or reserves for itself.
public enum AlertOrigin: Sendable, Equatable {
    /// Submitted through the alerts API: its `dedup_key` is checked against the reserved forms.
    case client
    /// Raised by Vigil itself (SLO burn alerts, the Alertmanager intake, future detectors),
    /// with keys in a reserved namespace.
    case `internal`
}

extension AlertFingerprint {
    /// Prefixes of the keys Vigil itself uses (`slo:<id>:burn`, `alertmanager:<fingerprint>`)
    /// and those kept for detectors to come. A client key starting with one could swallow or
    /// close the alert Vigil raises under it.
    public static let reservedPrefixes = ["alertmanager:", "slo:", "rule:", "anomaly:", "security:", "vigil:"]

    /// A client-supplied `dedup_key`: fits PagerDuty's limit, starts with no reserved prefix
    /// (compared case-insensitively), and is not 64 lowercase hex digits, the form of a derived
    /// fingerprint — so a client cannot aim its key at an alert whose identity Vigil derived
    /// from source, title and labels.
    public static func validateClientDedupKey(_ key: String, field: String = "dedup_key") throws(ValidationFailure) {
        try validateDedupKey(key, field: field)
        let lowered = key.lowercased()
        if let prefix = reservedPrefixes.first(where: { lowered.hasPrefix($0) }) {
            throw ValidationFailure(field: field, message: "dedup_key may not start with '\(prefix)': that namespace is Vigil's own")
        }
        if isDerivedForm(key) {
            throw ValidationFailure(field: field, message: "dedup_key may not be 64 lowercase hex digits, the form of a derived fingerprint; prefix it")
        }
    }

    /// Whether `key` has the shape `derived(...)` produces.
    static func isDerivedForm(_ key: String) -> Bool {
        key.utf8.count == 64 && key.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
    }
}
