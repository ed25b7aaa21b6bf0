import Synchronization

/// Compiled regexes by pattern, shared by every matcher in the process. Silences, routes and
/// inhibition rules are decoded again for every alert they are checked against; with the cache
/// each distinct pattern is compiled once (per process, until evicted), not once per alert.
/// Bounded, so a tenant writing many distinct patterns cannot grow it without limit: when full
/// it starts over, which costs only recompilation.
enum LabelRegexCache {
    static let capacity = 4_096
    private static let entries = Mutex<[String: LabelRegex]>([:])

    static func regex(for pattern: String, field: String) throws(ValidationFailure) -> LabelRegex {
        if let cached = entries.withLock({ $0[pattern] }) { return cached }
        let compiled = try LabelRegex(pattern: pattern, field: field)
        entries.withLock { entries in
            if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
            entries[pattern] = compiled
        }
        return compiled
    }

    /// How many patterns are held now (for tests).
    static var count: Int { entries.withLock { $0.count } }
}
