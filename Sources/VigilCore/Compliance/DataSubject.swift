import Foundation

/// The person a `subject_export` or `subject_erasure` report is about, as given in the request:
/// `{"user_id"?, "email"?, "ip"?, "custom"?: {"tag_key": "value"}}`.
///
/// Validation is deliberately strict: a vague subject (an empty or one-character email, a
/// malformed IP) would make an export leak other people's rows and an erasure destroy them.
public struct DataSubject: Sendable, Equatable, Codable {
    public var userID: String?
    public var email: String?
    public var ip: String?
    /// Tag key → exact value, matched as a pair (tags / labels containment), never as free text.
    public var custom: [String: String]

    public static let maxUserIDLength = 256
    /// RFC 5321's limits: 254 for the address, 64 for the local part.
    public static let maxEmailLength = 254
    public static let maxCustomPairs = 16
    public static let maxCustomValueLength = 1_000

    public init(userID: String? = nil, email: String? = nil, ip: String? = nil, custom: [String: String] = [:]) {
        self.userID = userID
        self.email = email
        self.ip = ip
        self.custom = custom
    }

    enum CodingKeys: String, CodingKey {
        case userID = "user_id"
        case email, ip, custom
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        userID = try container.decodeIfPresent(String.self, forKey: .userID)
        email = try container.decodeIfPresent(String.self, forKey: .email)
        ip = try container.decodeIfPresent(String.self, forKey: .ip)
        custom = try container.decodeIfPresent([String: String].self, forKey: .custom) ?? [:]
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeIfPresent(userID, forKey: .userID)
        try container.encodeIfPresent(email, forKey: .email)
        try container.encodeIfPresent(ip, forKey: .ip)
        if !custom.isEmpty { try container.encode(custom, forKey: .custom) }
    }

    /// Surrounding whitespace trimmed from every identifier; identifiers that were only whitespace
    /// become absent. Validate the result.
    public var trimmed: DataSubject {
        func clean(_ value: String?) -> String? {
            guard let value else { return nil }
            let trimmed = value.trimmingCharacters(in: .whitespacesAndNewlines)
            return trimmed.isEmpty ? nil : trimmed
        }
        return DataSubject(userID: clean(userID), email: clean(email), ip: clean(ip), custom: custom)
    }

    /// The first problem, or nil. Fields are named as in the request body (`subject.email`).
    public func validate() -> ValidationFailure? {
        if userID == nil && email == nil && ip == nil && custom.isEmpty {
            return ValidationFailure(field: "subject", message: "give at least one of user_id, email, ip or custom")
        }
        if let userID {
            if userID.isEmpty || userID.unicodeScalars.count > Self.maxUserIDLength || Self.hasControlCharacters(userID) {
                return ValidationFailure(field: "subject.user_id",
                                         message: "user_id must be 1-\(Self.maxUserIDLength) characters without control characters")
            }
        }
        if let email, !Self.isPlausibleEmail(email) {
            return ValidationFailure(field: "subject.email", message: "'\(email.prefix(64))' is not an email address")
        }
        if let ip, Self.canonicalIP(ip) == nil {
            return ValidationFailure(field: "subject.ip", message: "'\(ip.prefix(64))' is not an IPv4 or IPv6 address")
        }
        if custom.count > Self.maxCustomPairs {
            return ValidationFailure(field: "subject.custom", message: "at most \(Self.maxCustomPairs) custom tags")
        }
        for (key, value) in custom.sorted(by: { $0.key < $1.key }) {
            if !MetricSelectorRules.isValidName(key, limits: .default) {
                return ValidationFailure(field: "subject.custom", message: "'\(key.prefix(64))' is not a tag name (1-200 characters of A-Z a-z 0-9 _ . : -)")
            }
            if value.isEmpty || value.unicodeScalars.count > Self.maxCustomValueLength || Self.hasControlCharacters(value) {
                return ValidationFailure(field: "subject.custom.\(key)",
                                         message: "values are 1-\(Self.maxCustomValueLength) characters without control characters")
            }
        }
        return nil
    }

    // MARK: Canonical forms (shared with search terms and fingerprints)

    /// Lower-cased, as the PII redactor normalises emails before tokenising them.
    static func canonicalEmail(_ email: String) -> String {
        String(decoding: PIIPseudonym.normalize(Array(email.utf8), category: .email), as: UTF8.self)
    }

    /// Dotted-decimal IPv4 or RFC 5952 IPv6 (the redactor's normal form), nil if not an address.
    static func canonicalIP(_ ip: String) -> String? {
        let bytes = Array(ip.utf8)
        if PIIScan.parseIPv4(bytes, 0..<bytes.count, separator: UInt8(ascii: ".")) == nil,
           PIIScan.parseIPv6(bytes, 0..<bytes.count, build: false) == nil {
            return nil
        }
        return String(decoding: PIIPseudonym.normalize(bytes, category: .ip), as: UTF8.self)
    }

    /// `local@domain.tld` sanity only (not full RFC 5322): one `@`, a 1-64 byte local part, a
    /// domain of 2+ non-empty labels of letters, digits and `-`, no whitespace or control characters.
    static func isPlausibleEmail(_ email: String) -> Bool {
        guard email.utf8.count <= maxEmailLength, !hasControlCharacters(email),
              !email.contains(where: \.isWhitespace) else { return false }
        let parts = email.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, (1...64).contains(parts[0].utf8.count) else { return false }
        let labels = parts[1].split(separator: ".", omittingEmptySubsequences: false)
        guard labels.count >= 2 else { return false }
        for label in labels {
            guard (1...63).contains(label.utf8.count), label.first != "-", label.last != "-",
                  label.unicodeScalars.allSatisfy({ $0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "-" })
            else { return false }
        }
        return true
    }

    static func hasControlCharacters(_ value: String) -> Bool {
        value.unicodeScalars.contains { $0.properties.generalCategory == .control }
    }
}
