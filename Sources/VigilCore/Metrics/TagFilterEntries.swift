/// The repeatable `tag=<name>=<value>` query parameter of stats and series queries, merged over
/// the older `tag.<name>=<value>` form. Entries split at the first `=` because tag names may
/// hold `:` but never `=`, so every entry has exactly one reading.
public enum TagFilterEntries {
    /// Merges `entries` over `legacy` (an entry wins over the older form for the same name; a
    /// repeated name keeps its last value). The names and values themselves are checked by
    /// `MetricSelectorRules` with the rest of the selector.
    public static func merge(_ entries: [String], over legacy: [String: String],
                             limits: IngestLimits = .default) throws(ValidationFailure) -> [String: String] {
        if entries.count > limits.maxTagsPerPoint {
            throw ValidationFailure(field: "tag", message: "at most \(limits.maxTagsPerPoint) tag filters")
        }
        var filters = legacy
        for entry in entries {
            guard let separator = entry.firstIndex(of: "="), separator != entry.startIndex else {
                throw ValidationFailure(field: "tag", message: "tag filters are name=value, e.g. tag=status%3D500 (got '\(entry.prefix(64))')")
            }
            filters[String(entry[..<separator])] = String(entry[entry.index(after: separator)...])
        }
        return filters
    }
}
