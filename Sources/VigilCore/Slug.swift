/// Workspace slugs: lower-case ASCII letters, digits and dashes, 1–63 characters, starting
/// with a letter or digit (safe in URLs and DNS labels).
public enum Slug {
    public static let maxLength = 63

    public static func isValid(_ slug: String) -> Bool {
        guard let first = slug.unicodeScalars.first, slug.unicodeScalars.count <= maxLength else { return false }
        return isAlphanumeric(first) && slug.unicodeScalars.allSatisfy { isAlphanumeric($0) || $0 == "-" }
    }

    /// A slug derived from a display name: "Acme Production!" → "acme-production".
    /// Returns nil when nothing usable remains (e.g. a name of only emoji).
    public static func derive(from name: String) -> String? {
        var out = ""
        var pendingDash = false
        for scalar in name.lowercased().unicodeScalars {
            if isAlphanumeric(scalar) {
                if pendingDash && !out.isEmpty { out.append("-") }
                pendingDash = false
                out.unicodeScalars.append(scalar)
            } else {
                pendingDash = true
            }
            if out.count >= maxLength { break }
        }
        while out.hasSuffix("-") { out.removeLast() }
        return out.isEmpty ? nil : String(out.prefix(maxLength))
    }

    private static func isAlphanumeric(_ s: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(s) || ("0"..."9").contains(s)
    }
}
