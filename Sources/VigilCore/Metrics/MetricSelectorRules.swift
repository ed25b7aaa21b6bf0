/// Checks a query's metric name, tag filters (`tag.<key>=<value>`) and group-by tag with the
/// same rules as ingest, so a query can never ask for something ingest could not have stored.
public enum MetricSelectorRules {
    public static func validate(name: String, filters: [String: String], groupBy: String?,
                                limits: IngestLimits = .default) -> ValidationFailure? {
        if !isValidName(name, limits: limits) {
            return ValidationFailure(field: "name", message: "metric names are 1-\(limits.maxNameLength) characters of A-Z a-z 0-9 _ . : -")
        }
        if filters.count > limits.maxTagsPerPoint {
            return ValidationFailure(field: "tag", message: "at most \(limits.maxTagsPerPoint) tag filters")
        }
        for (key, value) in filters.sorted(by: { $0.key < $1.key }) {
            if !isValidName(key, limits: limits) {
                return ValidationFailure(field: "tag.\(key.prefix(64))", message: "tag names are 1-\(limits.maxNameLength) characters of A-Z a-z 0-9 _ . : -")
            }
            if value.unicodeScalars.count > limits.maxTagValueLength || value.unicodeScalars.contains("\u{0}") {
                return ValidationFailure(field: "tag.\(key)", message: "tag values are at most \(limits.maxTagValueLength) characters, without NUL")
            }
        }
        if let groupBy, !isValidName(groupBy, limits: limits) {
            return ValidationFailure(field: "group_by", message: "group_by must be a tag name (1-\(limits.maxNameLength) characters of A-Z a-z 0-9 _ . : -)")
        }
        return nil
    }

    static func isValidName(_ name: String, limits: IngestLimits) -> Bool {
        MetricNameRule.check(name, maxLength: limits.maxNameLength, what: "name") == nil
    }
}
