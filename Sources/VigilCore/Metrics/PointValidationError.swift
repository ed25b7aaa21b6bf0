/// Why an ingest request was rejected: the first bad point (by index) and its first bad field.
/// The HTTP layer answers 400 `invalid_request` with `details.field` and `details.index`.
public struct PointValidationError: Error, Sendable, Equatable {
    /// What was wrong, for tests and metrics; `message` is the human sentence.
    public enum Reason: String, Sendable, Hashable, CaseIterable {
        case emptyBatch, tooManyPoints
        case invalidName, nameTooLong
        case unknownKind
        case nonFiniteValue, valueOutOfRange, negativeValue
        case invalidTimestamp, timestampInFuture, timestampTooOld
        case tooManyTags, invalidTagKey, tagKeyTooLong, tagValueTooLong, invalidTagValue
    }

    public var reason: Reason
    /// Index of the offending point in `points`; nil for whole-batch problems.
    public var index: Int?
    /// JSON-ish path of the offending field: `points`, `points[0].value`, `points[3].tags.user id`.
    public var field: String
    public var message: String

    public init(reason: Reason, index: Int?, field: String, message: String) {
        self.reason = reason
        self.index = index
        self.field = field
        self.message = message
    }

    /// The same failure as the core's shared `ValidationFailure` (field + message).
    public var validationFailure: ValidationFailure {
        ValidationFailure(field: field, message: message)
    }
}
