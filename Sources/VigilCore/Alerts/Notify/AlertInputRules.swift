/// Limits on an incoming alert (API or Alertmanager), checked before anything is stored.
///
/// Lengths count Unicode scalars (code points), as PostgreSQL's `char_length` does, so a
/// database `CHECK` can state the same limits. The label value cap also bounds what a
/// silence's regex runs over (Swift's regex engine backtracks; see NOTES.md).
public enum AlertInputRules {
    public static let titleLength = 1...500
    public static let maxMessageLength = 10_000
    public static let sourceLength = 1...200
    public static let maxLabels = 64
    public static let maxLabelNameLength = 100
    public static let maxLabelValueLength = 1024
    public static let maxAnnotations = 64
    public static let maxAnnotationValueLength = 10_000

    /// The first problem, in this order: title, message, source, labels, annotations (labels
    /// and annotations by name in byte order, so the answer is always the same). Fields are
    /// `title`, `message`, `source`, `labels`, `labels.<name>`, `annotations`,
    /// `annotations.<name>`.
    ///
    /// - title: 1…500 characters, not only whitespace;
    /// - message: at most 10 000;
    /// - source: 1…200, not only whitespace;
    /// - at most 64 labels; names match `[a-zA-Z_][a-zA-Z0-9_]*` (Prometheus label names) and
    ///   have at most 100 characters; values at most 1024 (may be empty);
    /// - at most 64 annotations; names follow the label name rule; values at most 10 000;
    /// - no NUL character anywhere (PostgreSQL text cannot hold one).
    public static func validate(title: String, message: String, source: String,
                                labels: [String: String], annotations: [String: String]) throws(ValidationFailure) {
        try text(title, field: "title", length: titleLength, allowBlank: false)
        try text(message, field: "message", length: 0...maxMessageLength, allowBlank: true)
        try text(source, field: "source", length: sourceLength, allowBlank: false)
        try pairs(labels, field: "labels", maxCount: maxLabels, maxValue: maxLabelValueLength)
        try pairs(annotations, field: "annotations", maxCount: maxAnnotations, maxValue: maxAnnotationValueLength)
    }

    /// `[a-zA-Z_][a-zA-Z0-9_]*`, 1…100 characters.
    public static func isValidLabelName(_ name: String) -> Bool {
        let bytes = name.utf8
        guard let first = bytes.first, bytes.count <= maxLabelNameLength, !isDigit(first) else { return false }
        return bytes.allSatisfy { isDigit($0) || $0 == UInt8(ascii: "_")
            || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains($0) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains($0) }
    }

    private static func isDigit(_ c: UInt8) -> Bool { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(c) }

    private static func text(_ value: String, field: String, length: ClosedRange<Int>, allowBlank: Bool) throws(ValidationFailure) {
        let count = value.unicodeScalars.count
        guard length.contains(count) else {
            throw ValidationFailure(field: field, message: length.lowerBound > 0
                ? "\(field) must be \(length.lowerBound)-\(length.upperBound) characters"
                : "\(field) must be at most \(length.upperBound) characters")
        }
        guard allowBlank || value.contains(where: { !$0.isWhitespace }) else {
            throw ValidationFailure(field: field, message: "\(field) must not be blank")
        }
        try noNUL(value, field: field)
    }

    private static func pairs(_ dictionary: [String: String], field: String, maxCount: Int, maxValue: Int) throws(ValidationFailure) {
        guard dictionary.count <= maxCount else {
            throw ValidationFailure(field: field, message: "at most \(maxCount) \(field)")
        }
        for name in dictionary.keys.sorted(by: utf8Precedes) {
            guard isValidLabelName(name) else {
                throw ValidationFailure(field: field,
                                        message: "'\(name.prefix(64))' is not a valid name "
                                            + "(1-\(maxLabelNameLength) characters of A-Z a-z 0-9 _, not starting with a digit)")
            }
            let value = dictionary[name]!
            guard value.unicodeScalars.count <= maxValue else {
                throw ValidationFailure(field: "\(field).\(name)", message: "value must be at most \(maxValue) characters")
            }
            try noNUL(value, field: "\(field).\(name)")
        }
    }

    private static func noNUL(_ value: String, field: String) throws(ValidationFailure) {
        guard !value.utf8.contains(0) else {
            throw ValidationFailure(field: field, message: "must not contain NUL characters")
        }
    }
}
