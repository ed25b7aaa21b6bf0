/// A workspace's PII redaction settings for metric tags. Redaction is on by default.
///
/// JSON form (missing fields take their defaults, so older settings documents decode):
/// `{"enabled": true, "mode": "mask", "allowed_tag_keys": ["host", "region"]}`.
public struct RedactionPolicy: Sendable, Equatable, Codable {
    public enum Mode: String, Sendable, Equatable, Hashable, CaseIterable, Codable {
        /// Matches become placeholders: `[EMAIL]`, `[IP]`, …
        case mask
        /// Personal data becomes a keyed hash token (`[EMAIL:3f9a1c2b7d4e]`), so one person's
        /// points still group together and a data-subject request can find them.
        case pseudonymize
    }

    public var enabled: Bool
    public var mode: Mode
    /// Tag keys (exact, case-sensitive) whose key and value are kept verbatim.
    public var allowedTagKeys: Set<String>

    public init(enabled: Bool = true, mode: Mode = .mask, allowedTagKeys: Set<String> = []) {
        self.enabled = enabled
        self.mode = mode
        self.allowedTagKeys = allowedTagKeys
    }

    /// On, masking, nothing allow-listed.
    public static let `default` = RedactionPolicy()

    enum CodingKeys: String, CodingKey {
        case enabled, mode
        case allowedTagKeys = "allowed_tag_keys"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        enabled = try container.decodeIfPresent(Bool.self, forKey: .enabled) ?? true
        mode = try container.decodeIfPresent(Mode.self, forKey: .mode) ?? .mask
        // Counted as sent, before duplicates collapse: the spec's maxItems is about the request.
        let keys = try container.decodeIfPresent([String].self, forKey: .allowedTagKeys) ?? []
        guard keys.count <= WorkspaceSettings.maxAllowedTagKeys else {
            throw DecodingError.dataCorruptedError(forKey: .allowedTagKeys, in: container,
                                                   debugDescription: "at most \(WorkspaceSettings.maxAllowedTagKeys) allow-listed tag keys")
        }
        allowedTagKeys = Set(keys)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(enabled, forKey: .enabled)
        try container.encode(mode, forKey: .mode)
        // Sorted, so the same policy always serialises to the same bytes.
        try container.encode(allowedTagKeys.sorted(), forKey: .allowedTagKeys)
    }
}
