import Foundation

/// Pseudonymises a data subject inside rows that must stay (alerts, timeline notes, ledger
/// errors): every occurrence the export's matcher finds is replaced, the rest of the text is
/// kept. The same replacement as `AuditRedaction`, so one subject reads the same everywhere.
public enum ErasureRewrite {
    /// The text with the subject replaced, or nil when it does not mention the subject.
    public static func text(_ value: String, terms: SubjectSearchTerms, salt: [UInt8]) -> String? {
        let occurrences = terms.occurrences(in: value)
        guard !occurrences.isEmpty else { return nil }
        var bytes = Array(value.utf8)
        for occurrence in occurrences.reversed() {
            let pseudonym = ErasurePseudonym.replace(value: occurrence.term.field + ":" + occurrence.term.value.lowercased(), salt: salt)
            bytes.replaceSubrange(occurrence.range, with: Array(pseudonym.utf8))
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Labels with the subject replaced: values mentioning it, and values of exact custom pairs
    /// (`{"customer_id": "c-42"}`) wholesale. nil when nothing changed.
    public static func labels(_ labels: [String: String], terms: SubjectSearchTerms, salt: [UInt8]) -> [String: String]? {
        var out = labels
        var changed = false
        for (key, value) in labels {
            if terms.tagPairs.contains(where: { $0.key == key && $0.value == value }) {
                out[key] = ErasurePseudonym.replace(value: key + ":" + value, salt: salt)
                changed = true
            } else if let rewritten = text(value, terms: terms, salt: salt) {
                out[key] = rewritten
                changed = true
            }
        }
        return changed ? out : nil
    }

    /// Whether labels still mention the subject (for "remaining" counts and confirmation).
    public static func mentions(_ labels: [String: String], terms: SubjectSearchTerms) -> Bool {
        terms.matches(tags: labels) || labels.values.contains { terms.matches(text: $0) }
    }
}
