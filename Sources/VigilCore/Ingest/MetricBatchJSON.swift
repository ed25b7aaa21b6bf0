import Foundation

/// A strict, allocation-light parser for the metrics ingest body
/// `{"points":[{"name":…,"kind":…,"value":…,"timestamp":…?,"tags":{…}?}, …]}`.
///
/// Replaces the generated `Codable` decoding on the hot path. Decisions:
/// - Only shape is checked here (types, required fields, finite values, RFC 3339 timestamps);
///   `kind`, names, tag rules and point counts ≥ 1 are `PointValidator`'s job.
/// - Unknown keys (top level and per point) are skipped, whatever JSON value they hold.
/// - Duplicate keys: the last occurrence wins, but every occurrence must be valid.
/// - `null` for `timestamp` or `tags` means absent; `null` anywhere else required is a type error.
/// - A UTF-8 byte order mark at byte 0 is ignored (RFC 8259 §8.1 allows that, and the previous
///   Foundation decoder accepted it, so clients sending one keep working). UTF-16/32 is rejected.
/// - Syntax errors have field `body` and a 0-based byte offset; shape errors name the JSON path.
public enum MetricBatchJSON {
    public static func parse(_ body: [UInt8], maxPoints: Int) throws(ValidationFailure) -> [RawMetricPoint] {
        try body.withUnsafeBufferPointer { (buffer) throws(ValidationFailure) -> [RawMetricPoint] in
            var reader = JSONReader(buffer)
            return try parseBody(&reader, maxPoints: maxPoints)
        }
    }

    private static func parseBody(_ r: inout JSONReader, maxPoints: Int) throws(ValidationFailure) -> [RawMetricPoint] {
        if r.bytes.starts(with: [0xEF, 0xBB, 0xBF]) { r.pos = 3 }
        r.skipWhitespace()
        guard r.peek == UInt8(ascii: "{") else {
            if r.atValueStart { throw ValidationFailure(field: "body", message: "body must be a JSON object") }
            throw r.syntaxError("expected '{'")
        }
        r.pos += 1
        var points: [RawMetricPoint]?
        var first = true
        while let key = try r.nextMember(isFirst: &first) {
            if r.token(key, is: "points") {
                points = try parsePoints(&r, maxPoints: maxPoints)
            } else {
                try r.skipValue(depth: 1)
            }
        }
        r.skipWhitespace()
        guard r.isAtEnd else { throw r.syntaxError("unexpected data after the top-level object") }
        guard let points else { throw ValidationFailure(field: "points", message: "points is required") }
        return points
    }

    private static func parsePoints(_ r: inout JSONReader, maxPoints: Int) throws(ValidationFailure) -> [RawMetricPoint] {
        guard r.peek == UInt8(ascii: "[") else { throw typeError(r, "points", "an array") }
        r.pos += 1
        var points: [RawMetricPoint] = []
        // A point is at least ~40 bytes; reserving avoids regrowth without trusting the body.
        points.reserveCapacity(min(max(maxPoints, 0), r.bytes.count / 40))
        var first = true
        while try r.nextElement(isFirst: &first) {
            guard points.count < maxPoints else {
                // Stop at once: the rest of a too-large body is not worth parsing.
                throw ValidationFailure(field: "points", message: "at most \(maxPoints) points per request")
            }
            points.append(try parsePoint(&r, index: points.count))
        }
        return points
    }

    private static func parsePoint(_ r: inout JSONReader, index: Int) throws(ValidationFailure) -> RawMetricPoint {
        guard r.peek == UInt8(ascii: "{") else { throw typeError(r, "points[\(index)]", "an object") }
        r.pos += 1
        var name: String?, kind: String?, value: Double?, timestamp: Date?, tags: [String: String]?
        var first = true
        while let key = try r.nextMember(isFirst: &first) {
            if r.token(key, is: "name") {
                name = try readString(&r, index, "name")
            } else if r.token(key, is: "kind") {
                kind = try readString(&r, index, "kind")
            } else if r.token(key, is: "value") {
                value = try readNumber(&r, index, "value")
            } else if r.token(key, is: "timestamp") {
                timestamp = try readTimestamp(&r, index)
            } else if r.token(key, is: "tags") {
                tags = try readTags(&r, index)
            } else {
                try r.skipValue(depth: 3)
            }
        }
        guard let name else { throw missing(index, "name") }
        guard let kind else { throw missing(index, "kind") }
        guard let value else { throw missing(index, "value") }
        return RawMetricPoint(name: name, kind: kind, value: value, timestamp: timestamp, tags: tags)
    }
}
