import Foundation

/// Names people give to workspaces and keys: trimmed, 1–200 characters.
public enum DisplayName {
    public static let maxLength = 200

    public static func validated(_ raw: String, field: String = "name") throws(ValidationFailure) -> String {
        let trimmed = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        // Lengths count code points, as the spec's maxLength does (JSON Schema).
        guard !trimmed.isEmpty, raw.unicodeScalars.count <= maxLength else {
            throw ValidationFailure(field: field, message: "\(field) must be 1 to \(maxLength) characters")
        }
        return trimmed
    }

    /// The name of a stored definition (SLO, alert rule, anomaly detector): exactly as given,
    /// 1–200 characters, no surrounding whitespace or control characters; nil when it is one.
    public static func problem(_ name: String, field: String = "name") -> ValidationFailure? {
        let trimmed = name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard trimmed.isEmpty || name.unicodeScalars.count > maxLength || trimmed != name || name.unicodeScalars.contains(where: KPIText.isControl) else { return nil }
        return ValidationFailure(field: field, message: "\(field) must be 1 to \(maxLength) characters, without surrounding whitespace or control characters")
    }
}
