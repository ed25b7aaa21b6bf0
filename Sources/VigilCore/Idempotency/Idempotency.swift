import Foundation
import VigilPrimitives

/// The creating operations that accept an `Idempotency-Key` header. A key is scoped to one
/// workspace and one of these operations: the same key on another operation (or in another
/// workspace) is a different key. The raw values are stored; never rename one.
public enum IdempotentOperation: String, Sendable, CaseIterable, Codable {
    case ingestMetrics = "ingest_metrics"
    case recordKPIEvents = "record_kpi_events"
    case createAlert = "create_alert"
    case createComplianceReport = "create_compliance_report"
}

/// A client's `Idempotency-Key`: 1–255 visible ASCII characters (0x21–0x7E: no spaces, no
/// control characters), what the spec's `IdempotencyKey` header parameter states
/// (`pattern: '^[!-~]+$'`, `minLength: 1`, `maxLength: 255`).
public struct IdempotencyKey: Sendable, Hashable {
    public static let maxLength = 255
    /// The header's name, as the error's `details.field`.
    public static let headerName = "Idempotency-Key"
    /// How long a key is remembered after the first request that used it.
    public static let lifetime: TimeInterval = 24 * 3600

    public let value: String

    /// The key from the header's value; nil when the header is absent. A present but invalid
    /// value is refused (it is never silently ignored, or a retry would apply twice).
    public static func parse(_ raw: String?) throws -> IdempotencyKey? {
        guard let raw else { return nil }
        if raw.isEmpty {
            throw ValidationFailure(field: headerName, message: "Idempotency-Key must not be empty")
        }
        if raw.utf8.count > maxLength {
            throw ValidationFailure(field: headerName, message: "Idempotency-Key must be at most \(maxLength) characters")
        }
        guard raw.utf8.allSatisfy({ (0x21...0x7E).contains($0) }) else {
            throw ValidationFailure(field: headerName,
                                    message: "Idempotency-Key must be visible ASCII characters (0x21-0x7E), without spaces")
        }
        return IdempotencyKey(value: raw)
    }

    /// When a key first used at `now` is forgotten.
    public static func expiry(from now: Date) -> Date {
        now.addingTimeInterval(lifetime)
    }
}

/// What identifies a request's content for an idempotency key: SHA-256 over the operation, the
/// target inside the workspace (a KPI's key; empty when the path names nothing more) and a
/// canonical encoding of the body. The same key with a different fingerprint is a client bug
/// (409), never a replay.
public struct RequestFingerprint: Sendable, Hashable, CustomStringConvertible {
    public let hex: String

    public init(hex: String) { self.hex = hex }

    public static func of(_ operation: IdempotentOperation, target: String = "", body: some DataProtocol) -> RequestFingerprint {
        var fields = LengthPrefixed(.uint32BigEndian, header: [1])  // version 1
        fields.append(operation.rawValue)
        fields.append(target)
        fields.appendUInt32(body.count)
        var bytes = fields.bytes
        bytes.append(contentsOf: body)
        return RequestFingerprint(hex: SHA256Hex.hex(of: bytes))
    }

    /// Of a decoded body, encoded with sorted keys: two bodies that decode to the same value
    /// (whitespace, key order, ignored unknown fields) have the same fingerprint.
    public static func of<Body: Encodable>(_ operation: IdempotentOperation, target: String = "", value: Body) throws -> RequestFingerprint {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .deferredToDate  // a Double: exact, whatever the time zone
        return of(operation, target: target, body: try encoder.encode(value))
    }

    public var description: String { hex }
}

/// The first answer to a keyed request: its status and body, returned again on a replay.
public struct IdempotentResponse: Sendable, Equatable {
    public var status: Int
    public var body: Data

    public init(status: Int, body: Data) {
        self.status = status
        self.body = body
    }
}

/// A remembered key as stored.
public struct IdempotencyRecord: Sendable, Equatable {
    public var fingerprint: RequestFingerprint
    public var response: IdempotentResponse
    public var createdAt: Date
    public var expiresAt: Date

    public init(fingerprint: RequestFingerprint, response: IdempotentResponse, createdAt: Date, expiresAt: Date) {
        self.fingerprint = fingerprint
        self.response = response
        self.createdAt = createdAt
        self.expiresAt = expiresAt
    }
}

/// What to do with a keyed request, given what is stored under its key.
public enum IdempotencyDecision: Sendable, Equatable {
    /// Nothing (live) is stored: apply the write and store its answer with it.
    case proceed
    /// The same request was answered: return that answer, apply nothing.
    case replay(IdempotentResponse)
    /// The key was used for a different request: 409 `idempotency_key_reused`, apply nothing.
    case keyReused

    public static func decide(stored: IdempotencyRecord?, fingerprint: RequestFingerprint, now: Date) -> IdempotencyDecision {
        guard let stored, stored.expiresAt > now else { return .proceed }
        return stored.fingerprint == fingerprint ? .replay(stored.response) : .keyReused
    }
}
