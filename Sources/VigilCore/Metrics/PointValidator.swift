import Foundation

/// Validates one ingest request. Pure: the caller passes `now` and the workspace's metrics
/// retention, so the same input always gives the same answer.
///
/// The request is accepted whole or rejected whole. Points are checked in order and each
/// point's fields in the order name, kind, value, timestamp, tags (tags in key order), so the
/// error always names the first bad point and its first bad field, deterministically.
///
/// Value rules: every value must be finite with |value| <= `limits.maxAbsValue`. A counter
/// point is an increment, so it must be >= 0 (a negative increment would make the exported
/// total go down, which Prometheus reads as a counter reset); a timing is a duration, so it
/// must be >= 0 too (a negative one is a client clock bug, better refused than averaged in).
/// Gauges may be negative. -0.0 is stored as 0.
public enum PointValidator {
    public static func validate(
        _ points: [RawMetricPoint], now: Date, retentionDays: Int, limits: IngestLimits = .default
    ) throws(PointValidationError) -> [MetricPoint] {
        if points.isEmpty {
            throw PointValidationError(reason: .emptyBatch, index: nil, field: "points",
                                       message: "points must contain at least one point")
        }
        if points.count > limits.maxPointsPerRequest {
            throw PointValidationError(
                reason: .tooManyPoints, index: nil, field: "points",
                message: "\(points.count) points in one request; at most \(limits.maxPointsPerRequest) are allowed")
        }
        // Retention is expected in WorkspaceSettings.retentionRange; below 1 day counts as 1.
        let oldest = now.addingTimeInterval(-Double(Swift.max(retentionDays, 1)) * 86_400)
        let newest = now.addingTimeInterval(limits.maxFutureSkew)
        var result: [MetricPoint] = []
        result.reserveCapacity(points.count)
        for (index, raw) in points.enumerated() {
            let point = try validatePoint(raw, index: index, now: now, oldest: oldest, newest: newest,
                                          retentionDays: retentionDays, limits: limits)
            result.append(point)
        }
        return result
    }

    static func validatePoint(
        _ raw: RawMetricPoint, index: Int, now: Date, oldest: Date, newest: Date,
        retentionDays: Int, limits: IngestLimits
    ) throws(PointValidationError) -> MetricPoint {
        let path = "points[\(index)]"
        func fail(_ reason: PointValidationError.Reason, _ field: String, _ message: String) -> PointValidationError {
            PointValidationError(reason: reason, index: index, field: "\(path).\(field)", message: message)
        }
        if let problem = MetricNameRule.check(raw.name, maxLength: limits.maxNameLength, what: "name") {
            throw fail(problem.tooLong ? .nameTooLong : .invalidName, "name", problem.message)
        }
        guard let kind = MetricKind(rawValue: raw.kind) else {
            throw fail(.unknownKind, "kind", "kind '\(MetricNameRule.excerpt(raw.kind))' is not one of counter, gauge, timing")
        }
        let value = raw.value == 0 ? 0 : raw.value
        if !value.isFinite {
            throw fail(.nonFiniteValue, "value", "value must be a finite number, not \(value)")
        }
        if Swift.abs(value) > limits.maxAbsValue {
            throw fail(.valueOutOfRange, "value", "|value| must be at most \(limits.maxAbsValue)")
        }
        if value < 0 && kind != .gauge {
            let why = kind == .counter ? "a counter point is an increment" : "a timing is a duration"
            throw fail(.negativeValue, "value", "\(why) and must be >= 0, not \(value)")
        }
        let timestamp = raw.timestamp ?? now
        if !timestamp.timeIntervalSince1970.isFinite {
            throw fail(.invalidTimestamp, "timestamp", "timestamp is not a valid time")
        }
        if timestamp > newest {
            throw fail(.timestampInFuture, "timestamp",
                       "timestamp is more than \(Int(limits.maxFutureSkew)) seconds in the future")
        }
        if timestamp < oldest {
            throw fail(.timestampTooOld, "timestamp",
                       "timestamp is older than the workspace's metrics retention of \(retentionDays) days")
        }
        let tags = try validateTags(raw.tags ?? [:], limits: limits, fail: fail)
        return MetricPoint(name: raw.name, kind: kind, value: value, timestamp: timestamp, tags: tags)
    }

    static func validateTags(
        _ raw: [String: String], limits: IngestLimits,
        fail: (PointValidationError.Reason, String, String) -> PointValidationError
    ) throws(PointValidationError) -> [MetricTag] {
        if raw.count > limits.maxTagsPerPoint {
            throw fail(.tooManyTags, "tags", "\(raw.count) tags; at most \(limits.maxTagsPerPoint) are allowed per point")
        }
        let tags = MetricTag.sorted(raw)
        for tag in tags {
            let field = "tags.\(MetricNameRule.excerpt(tag.key))"
            if let problem = MetricNameRule.check(tag.key, maxLength: limits.maxNameLength, what: "tag key") {
                throw fail(problem.tooLong ? .tagKeyTooLong : .invalidTagKey, field, problem.message)
            }
            // Fast path: UTF-8 length bounds the scalar count from above.
            if tag.value.utf8.count > limits.maxTagValueLength
                && tag.value.unicodeScalars.count > limits.maxTagValueLength {
                throw fail(.tagValueTooLong, field,
                           "tag value is longer than \(limits.maxTagValueLength) characters")
            }
            // PostgreSQL text cannot hold U+0000; refuse it here rather than fail at COPY time.
            if tag.value.utf8.contains(0) {
                throw fail(.invalidTagValue, field, "tag value must not contain the NUL character")
            }
        }
        return tags
    }
}
