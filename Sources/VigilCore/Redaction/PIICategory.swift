/// A kind of personal or secret data the PII redactor recognises in metric tags.
public enum PIICategory: String, Sendable, Equatable, Hashable, CaseIterable, Codable {
    case email
    case ip
    case card
    case ssn
    case phone
    case secret
    /// A numeric, uuid or hex identifier in a URL path or query (`/users/[ID]/profile`).
    case id

    /// `EMAIL`, `IP`, … — the word inside placeholders and pseudonym tokens.
    public var label: String {
        switch self {
        case .email: "EMAIL"
        case .ip: "IP"
        case .card: "CARD"
        case .ssn: "SSN"
        case .phone: "PHONE"
        case .secret: "SECRET"
        case .id: "ID"
        }
    }

    /// The mask that replaces a match: `[EMAIL]`, `[IP]`, …
    public var placeholder: String { "[\(label)]" }

    /// Position in `allCases`, for tables indexed by category.
    var ordinal: Int {
        switch self {
        case .email: 0
        case .ip: 1
        case .card: 2
        case .ssn: 3
        case .phone: 4
        case .secret: 5
        case .id: 6
        }
    }

    /// Whether `pseudonymize` mode turns a match into a keyed token. Secrets are never tokenised
    /// (a stable token for a credential helps nobody and tells an attacker when it is reused),
    /// and path/query ids stay `[ID]` so routes keep grouping into one series.
    public var isPseudonymizable: Bool {
        switch self {
        case .email, .ip, .card, .ssn, .phone: true
        case .secret, .id: false
        }
    }
}
