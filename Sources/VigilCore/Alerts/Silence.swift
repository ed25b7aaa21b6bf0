import Foundation

/// Mutes notifications (never storage) of alerts whose labels match every matcher, between
/// `startsAt` (inclusive) and `endsAt` (exclusive), as Alertmanager does.
public struct Silence: Sendable, Equatable, Codable {
    public enum Status: String, Sendable, Codable, Hashable {
        case pending, active, expired
    }

    public var matchers: [LabelMatcher]
    public var startsAt: Date
    public var endsAt: Date
    public var createdBy: String
    public var comment: String

    public static let maxMatchers = 64
    public static let maxCommentLength = 2000
    public static let maxCreatorLength = 200

    /// Validates like Alertmanager's silence API: at least one matcher, not all of which match
    /// the empty string (`=~".*"`, `foo=""`, `foo!="x"` alone would silence nearly everything
    /// by accident), an end after the start, a creator and a comment.
    public init(matchers: [LabelMatcher], startsAt: Date, endsAt: Date,
                createdBy: String, comment: String) throws(ValidationFailure) {
        guard !matchers.isEmpty else {
            throw ValidationFailure(field: "matchers", message: "a silence needs at least one matcher")
        }
        guard matchers.count <= Self.maxMatchers else {
            throw ValidationFailure(field: "matchers", message: "at most \(Self.maxMatchers) matchers")
        }
        guard matchers.contains(where: { !$0.matches(value: "") }) else {
            throw ValidationFailure(field: "matchers",
                                    message: "at least one matcher must not match the empty string, or the silence would mute almost every alert")
        }
        guard endsAt > startsAt else {
            throw ValidationFailure(field: "ends_at", message: "ends_at must be after starts_at")
        }
        guard !createdBy.trimmingWhitespace().isEmpty else {
            throw ValidationFailure(field: "created_by", message: "a silence needs a creator")
        }
        guard createdBy.unicodeScalars.count <= Self.maxCreatorLength else {  // JSON Schema counts code points
            throw ValidationFailure(field: "created_by", message: "created_by must be at most \(Self.maxCreatorLength) characters")
        }
        guard !comment.trimmingWhitespace().isEmpty else {
            throw ValidationFailure(field: "comment", message: "a silence needs a comment saying why")
        }
        guard comment.unicodeScalars.count <= Self.maxCommentLength else {  // JSON Schema counts code points
            throw ValidationFailure(field: "comment", message: "comment must be at most \(Self.maxCommentLength) characters")
        }
        self.matchers = matchers
        self.startsAt = startsAt
        self.endsAt = endsAt
        self.createdBy = createdBy
        self.comment = comment
    }

    public func status(at now: Date) -> Status {
        if now < startsAt { return .pending }
        return now < endsAt ? .active : .expired
    }

    public func isActive(at now: Date) -> Bool { status(at: now) == .active }

    /// Active, and every matcher matches.
    public func mutes(labels: [String: String], at now: Date) -> Bool {
        isActive(at: now) && matchers.allSatisfy { $0.matches(labels) }
    }

    /// Expiring through the API ends it now. A pending silence also gets `startsAt = now`, as
    /// in Alertmanager, so it never becomes active; an expired one is returned unchanged.
    public func expired(at now: Date) -> Silence {
        var copy = self
        switch status(at: now) {
        case .expired: break
        case .active: copy.endsAt = now
        case .pending: copy.startsAt = now; copy.endsAt = now
        }
        return copy
    }

    /// Decoding does not re-validate: an expired pending silence has `startsAt == endsAt`.
    enum CodingKeys: String, CodingKey {
        case matchers, comment
        case startsAt = "starts_at"
        case endsAt = "ends_at"
        case createdBy = "created_by"
    }
}
