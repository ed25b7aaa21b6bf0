import Hummingbird

/// A query parameter the spec does not declare as a list appears at most once: the generated
/// server reads the first of `?limit=4&limit=x` and would silently ignore the rest, so a
/// client's mistake (or a proxy that appends parameters) would go unnoticed.
enum QueryParameterPolicy {
    /// The spec's array-typed query parameters (`style: form, explode: true`).
    static let repeatable: Set<String> = ["label", "tag"]

    static func check(_ parameters: Parameters) throws(APIError) {
        var seen = Set<Substring>()
        for (name, _) in parameters where !seen.insert(name).inserted {
            // `tag.<name>` is the older free-form filter, outside the spec: a repeat keeps its last value.
            guard !repeatable.contains(String(name)), !name.hasPrefix("tag.") else { continue }
            throw APIError(status: .badRequest, code: "invalid_request", message: "query parameter '\(name.prefix(64))' is given more than once",
                           details: ["field": String(name.prefix(64))])
        }
    }
}
