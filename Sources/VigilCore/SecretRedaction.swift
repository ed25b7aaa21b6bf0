/// Removes secrets from audit details and log metadata: any key whose name suggests a
/// credential has its value replaced, whatever the value looks like.
public enum SecretRedaction {
    public static let placeholder = "[redacted]"
    static let sensitiveFragments = ["key", "token", "secret", "password", "passwd", "authorization", "credential", "cookie", "signature"]

    public static func isSensitive(_ name: String) -> Bool {
        let lowered = name.lowercased()
        // "key_id", "api_key_id" and "prefix" identify a key without revealing it.
        if lowered.hasSuffix("_id") || lowered == "prefix" || lowered == "role" { return false }
        return sensitiveFragments.contains { lowered.contains($0) }
    }

    public static func redact(_ details: [String: String]) -> [String: String] {
        details.reduce(into: [:]) { out, pair in
            out[pair.key] = isSensitive(pair.key) ? placeholder : pair.value
        }
    }
}
