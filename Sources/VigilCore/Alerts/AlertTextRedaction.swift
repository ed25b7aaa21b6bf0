/// The texts of an alert a client wrote (title, message, label and annotation values), as the
/// workspace's redaction policy lets them be stored.
///
/// Label and annotation names are kept: they are Prometheus label names (no personal data fits
/// `[a-zA-Z_][a-zA-Z0-9_]*` that the redactor would recognise), routes and silences match on
/// them, and a redacted name would no longer be a valid one. A credential-like name
/// (`password`, `api_key`, …) still turns its value into `[SECRET]`, and allow-listed names keep
/// their values verbatim, as for metric tags.
///
/// A placeholder or pseudonym token can be longer than what it replaces (`a@b.io` →
/// `[EMAIL:3f9a1c2b7d4e]`), so each text is cut back to the limit it was validated against:
/// what is stored always fits the columns the input rules describe.
public struct AlertTexts: Sendable, Equatable {
    public var title: String
    public var message: String
    public var labels: [String: String]
    public var annotations: [String: String]

    public init(title: String, message: String, labels: [String: String], annotations: [String: String]) {
        self.title = title
        self.message = message
        self.labels = labels
        self.annotations = annotations
    }

    public func redacted(by redactor: PIIRedactor) -> AlertTexts {
        guard redactor.policy.enabled else { return self }
        return AlertTexts(
            title: Self.fitted(redactor.redactValue(title), to: AlertInputRules.titleLength.upperBound),
            message: Self.fitted(redactor.redactValue(message), to: AlertInputRules.maxMessageLength),
            labels: Self.values(labels, by: redactor, limit: AlertInputRules.maxLabelValueLength),
            annotations: Self.values(annotations, by: redactor, limit: AlertInputRules.maxAnnotationValueLength))
    }

    private static func values(_ pairs: [String: String], by redactor: PIIRedactor, limit: Int) -> [String: String] {
        pairs.reduce(into: [:]) { out, pair in
            out[pair.key] = fitted(redactor.redactValue(pair.value, tagKey: pair.key), to: limit)
        }
    }

    /// At most `limit` Unicode scalars (what the input rules and PostgreSQL count as characters).
    static func fitted(_ text: String, to limit: Int) -> String {
        guard text.unicodeScalars.count > limit else { return text }
        var scalars = String.UnicodeScalarView()
        scalars.append(contentsOf: text.unicodeScalars.prefix(limit))
        return String(scalars)
    }
}
