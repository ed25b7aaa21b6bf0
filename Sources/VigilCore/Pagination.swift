import Foundation

/// List paging shared by every collection: `limit` (default 50, max 500) and an opaque cursor.
/// `PageRequest` (Paging.swift) combines the two; the cursor formats below are on the wire and
/// must stay readable for cursors clients already hold.
public enum Pagination {
    public static let defaultLimit = 50
    public static let maxLimit = 500

    public static func limit(_ requested: Int?) throws(ValidationFailure) -> Int {
        guard let requested else { return defaultLimit }
        guard (1...maxLimit).contains(requested) else {
            throw ValidationFailure(field: "limit", message: "limit must be between 1 and \(maxLimit)")
        }
        return requested
    }
}

/// Position after the last item of a page ordered newest first by (created_at, id).
/// Encoded as base64url so clients treat it as opaque.
public struct TimeCursor: PageCursor, Equatable {
    public var createdAtMicros: Int64
    public var id: UUID

    public init(createdAtMicros: Int64, id: UUID) {
        self.createdAtMicros = createdAtMicros
        self.id = id
    }

    /// The position just after a row created at `createdAt` with this id.
    public init(createdAt: Date, id: UUID) {
        self.init(createdAtMicros: createdAt.microsecondsSince1970, id: id)
    }

    public var encoded: String { Base64URL.encode(Data("t1|\(createdAtMicros)|\(id.uuidString.lowercased())".utf8)) }

    public static func decode(_ raw: String?) throws(ValidationFailure) -> TimeCursor? {
        guard let raw else { return nil }
        guard let data = Base64URL.decode(raw), let text = String(data: data, encoding: .utf8) else { throw invalid }
        let parts = text.split(separator: "|")
        guard parts.count == 3, parts[0] == "t1", let micros = Int64(parts[1]), let id = UUID(uuidString: String(parts[2]))
        else { throw invalid }
        return TimeCursor(createdAtMicros: micros, id: id)
    }

    private static var invalid: ValidationFailure { ValidationFailure(field: "cursor", message: "cursor is not valid") }
}

/// Position in a sequence ordered by a descending integer (the audit log's seq).
public struct SequenceCursor: PageCursor, Equatable {
    public var before: Int64

    public init(before: Int64) { self.before = before }

    public var encoded: String { Base64URL.encode(Data("s1|\(before)".utf8)) }

    public static func decode(_ raw: String?) throws(ValidationFailure) -> SequenceCursor? {
        guard let raw else { return nil }
        guard let data = Base64URL.decode(raw), let text = String(data: data, encoding: .utf8) else { throw invalid }
        let parts = text.split(separator: "|")
        guard parts.count == 2, parts[0] == "s1", let seq = Int64(parts[1]), seq > 0 else { throw invalid }
        return SequenceCursor(before: seq)
    }

    private static var invalid: ValidationFailure { ValidationFailure(field: "cursor", message: "cursor is not valid") }
}

/// Continues a list ordered by name: the last name of the previous page.
public struct NameCursor: PageCursor, Equatable {
    public var after: String

    public init(after: String) { self.after = after }

    public var encoded: String { Base64URL.encode(Data("n1|\(after)".utf8)) }

    public static func decode(_ raw: String?) throws(ValidationFailure) -> NameCursor? {
        guard let raw else { return nil }
        guard let data = Base64URL.decode(raw), let text = String(data: data, encoding: .utf8), text.hasPrefix("n1|"),
              text.count > 3, text.count <= 300 else {
            throw ValidationFailure(field: "cursor", message: "cursor is not valid")
        }
        return NameCursor(after: String(text.dropFirst(3)))
    }
}
