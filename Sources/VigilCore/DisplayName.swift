import Foundation

/// Names people give to workspaces and keys: trimmed, 1–200 characters.
public enum DisplayName {
    public static let maxLength = 200

    public static func validated(_ raw: String, field: String = "name") throws(ValidationFailure) -> String {
        let trimmed = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty, trimmed.count <= maxLength else {
            throw ValidationFailure(field: field, message: "\(field) must be 1 to \(maxLength) characters")
        }
        return trimmed
    }
}
