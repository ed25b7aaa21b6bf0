import Foundation

/// One reported security event (`POST …/security/events`), as received, before redaction.
public struct SecurityEvent: Sendable, Equatable {
    public var kind: SecurityEventKind
    /// The pattern or reason within the kind: `union`, `complexity`, … (`[a-z0-9_]`, 1-64).
    public var subKind: String?
    public var sourceIP: String?
    public var userAgent: String?
    public var endpoint: String?
    /// The account the event concerns: an opaque id is best (the redaction policy masks emails).
    public var userRef: String?
    public var correlationID: String?
    public var timestamp: Date
    public var details: [String: String]

    public init(kind: SecurityEventKind, subKind: String? = nil, sourceIP: String? = nil, userAgent: String? = nil,
                endpoint: String? = nil, userRef: String? = nil, correlationID: String? = nil, timestamp: Date,
                details: [String: String] = [:]) {
        self.kind = kind; self.subKind = subKind; self.sourceIP = sourceIP; self.userAgent = userAgent
        self.endpoint = endpoint; self.userRef = userRef; self.correlationID = correlationID
        self.timestamp = timestamp; self.details = details
    }
}

/// The bounds one event must keep. A batch is validated whole before anything is stored.
public enum SecurityEventRules {
    public static let maxEventsPerBatch = 1_000
    public static let subKindLength = 1...64
    public static let userAgentLength = 1...512
    public static let endpointLength = 1...512
    public static let userRefLength = 1...256
    public static let correlationIDLength = 1...128
    public static let maxDetails = 32
    public static let detailKeyLength = 1...64
    public static let detailValueLength = 0...1_024
    /// Events may arrive late (a buffering client) but not from before the partitions kept.
    public static let maxAge: TimeInterval = 7 * 86_400
    public static let maxFutureSkew: TimeInterval = 300

    public static func validate(_ event: SecurityEvent, now: Date) -> ValidationFailure? {
        if let sub = event.subKind, !isValidSubKind(sub) {
            return ValidationFailure(field: "sub_kind", message: "sub_kind must be 1-64 characters of a-z 0-9 _")
        }
        if let ip = event.sourceIP, SecurityAddress(ip).map({ !$0.isSingleAddress }) ?? true {
            return ValidationFailure(field: "source_ip", message: "source_ip must be one IPv4 or IPv6 address")
        }
        for (field, value, range) in [("user_agent", event.userAgent, userAgentLength), ("endpoint", event.endpoint, endpointLength),
                                      ("user_ref", event.userRef, userRefLength), ("correlation_id", event.correlationID, correlationIDLength)] {
            if let value, !range.contains(value.unicodeScalars.count) {
                return ValidationFailure(field: field, message: "\(field) must be \(range.lowerBound)-\(range.upperBound) characters")
            }
        }
        // PostgreSQL text and jsonb cannot hold U+0000.
        let texts = [event.subKind, event.userAgent, event.endpoint, event.userRef, event.correlationID].compactMap { $0 }
            + event.details.keys + event.details.values
        if texts.contains(where: { $0.unicodeScalars.contains("\u{0}") }) {
            return ValidationFailure(field: "event", message: "text fields must not contain U+0000")
        }
        if event.details.count > maxDetails {
            return ValidationFailure(field: "details", message: "at most \(maxDetails) details")
        }
        for key in event.details.keys.sorted() {
            if !detailKeyLength.contains(key.unicodeScalars.count) {
                return ValidationFailure(field: "details", message: "detail names must be 1-64 characters")
            }
            if !detailValueLength.contains(event.details[key]!.unicodeScalars.count) {
                return ValidationFailure(field: "details.\(key.prefix(64))", message: "a detail value is at most 1024 characters")
            }
        }
        if event.timestamp < now.addingTimeInterval(-maxAge) || event.timestamp > now.addingTimeInterval(maxFutureSkew) {
            return ValidationFailure(field: "timestamp", message: "timestamp must be within the last 7 days and at most 5 minutes ahead")
        }
        return nil
    }

    /// `[a-z0-9_]`, 1-64 characters.
    public static func isValidSubKind(_ text: String) -> Bool {
        subKindLength.contains(text.unicodeScalars.count) && text.utf8.allSatisfy(isSubKindByte)
    }

    private static func isSubKindByte(_ byte: UInt8) -> Bool {
        (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x30 && byte <= 0x39) || byte == 0x5F
    }
}
