/// How a table was searched for the subject, as stated in the manifest so a reader (or an
/// auditor) knows what "not found" means.
public enum SearchMethod: String, Sendable, Codable, CaseIterable {
    /// `tags @> '{"key":"value"}'` for each custom pair (and its pseudonymised form).
    case tagsContainment = "tags_jsonb_containment"
    /// Word-bounded search for the raw identifiers in tag keys/values, labels, annotations,
    /// messages and audit details.
    case textSearch = "text_search"
    /// Search for the subject's pseudonym tokens (`[EMAIL:…]`) computed with the workspace key.
    case pseudonymToken = "pseudonym_token"
    /// Equality on a dedicated column (audit `actor_id`, `source_ip`, `resource_id`).
    case columnEquality = "column_equality"

    public var summary: String {
        switch self {
        case .tagsContainment: "tags jsonb containment"
        case .textSearch: "text search in tags, labels, annotations and messages"
        case .pseudonymToken: "pseudonym token"
        case .columnEquality: "column equality"
        }
    }
}
