import Foundation
import Testing
import VigilCore

struct PointValidatorTests {
    static let now = Date(timeIntervalSince1970: 1_795_000_000)

    static func point(_ name: String = "http.request.duration", kind: String = "timing", value: Double = 12.5,
                      timestamp: Date? = nil, tags: [String: String]? = ["endpoint": "/api/users"]) -> RawMetricPoint {
        RawMetricPoint(name: name, kind: kind, value: value, timestamp: timestamp, tags: tags)
    }

    static func validate(_ points: [RawMetricPoint], retentionDays: Int = 90,
                         limits: IngestLimits = .default) throws(PointValidationError) -> [MetricPoint] {
        try PointValidator.validate(points, now: now, retentionDays: retentionDays, limits: limits)
    }

    @Test func acceptsTheIssueExampleAndNormalizes() throws {
        let ts = Self.now.addingTimeInterval(-60)
        let points = try Self.validate([
            Self.point(timestamp: ts, tags: ["status": "200", "endpoint": "/api/users", "Zone": "eu"]),
            Self.point("jobs.done", kind: "counter", value: -0.0, tags: nil),
            Self.point("queue:depth", kind: "gauge", value: -3, tags: [:]),
        ])
        #expect(points.count == 3)
        #expect(points[0] == MetricPoint(name: "http.request.duration", kind: .timing, value: 12.5, timestamp: ts, tags: [
            MetricTag(key: "Zone", value: "eu"), MetricTag(key: "endpoint", value: "/api/users"),
            MetricTag(key: "status", value: "200"),
        ]))
        #expect(points[1].timestamp == Self.now && points[1].tags.isEmpty)
        #expect(points[1].value == 0 && points[1].value.sign == .plus)
        #expect(points[2].kind == .gauge && points[2].value == -3)
    }

    /// A labelled case; the label is what the test report shows (printing the points would
    /// call Date.description, which traps on the NaN date of one case).
    struct Case: Sendable, CustomTestStringConvertible {
        var label: String, points: [RawMetricPoint], reason: PointValidationError.Reason, index: Int?, field: String
        var testDescription: String { label }
        init(_ label: String, _ points: [RawMetricPoint], _ reason: PointValidationError.Reason, _ index: Int?, _ field: String) {
            (self.label, self.points, self.reason, self.index, self.field) = (label, points, reason, index, field)
        }
    }

    static let rejections: [Case] = {
        let ok = point()
        let tooManyTags = Dictionary(uniqueKeysWithValues: (0..<33).map { ("k\($0)", "v") })
        return [
            Case("empty batch", [], .emptyBatch, nil, "points"),
            Case("too many points", Array(repeating: ok, count: 10_001), .tooManyPoints, nil, "points"),
            Case("empty name", [point("")], .invalidName, 0, "points[0].name"),
            Case("space in name", [ok, point("http request")], .invalidName, 1, "points[1].name"),
            Case("non-ASCII name", [point("latência")], .invalidName, 0, "points[0].name"),
            Case("name too long", [point(String(repeating: "a", count: 201))], .nameTooLong, 0, "points[0].name"),
            Case("unknown kind", [point(kind: "histogram")], .unknownKind, 0, "points[0].kind"),
            Case("kind is case-sensitive", [point(kind: "Gauge")], .unknownKind, 0, "points[0].kind"),
            Case("NaN", [point(value: .nan)], .nonFiniteValue, 0, "points[0].value"),
            Case("+Infinity", [point(value: .infinity)], .nonFiniteValue, 0, "points[0].value"),
            Case("-Infinity gauge", [point(kind: "gauge", value: -.infinity)], .nonFiniteValue, 0, "points[0].value"),
            Case("huge value", [point(kind: "gauge", value: 1e101)], .valueOutOfRange, 0, "points[0].value"),
            Case("negative counter", [point(kind: "counter", value: -1)], .negativeValue, 0, "points[0].value"),
            Case("negative timing", [point(kind: "timing", value: -0.5)], .negativeValue, 0, "points[0].value"),
            Case("future", [ok, ok, point(timestamp: now.addingTimeInterval(3_601))], .timestampInFuture, 2, "points[2].timestamp"),
            Case("past retention", [point(timestamp: now.addingTimeInterval(-90 * 86_400 - 1))], .timestampTooOld, 0, "points[0].timestamp"),
            Case("NaN timestamp", [point(timestamp: Date(timeIntervalSince1970: .nan))], .invalidTimestamp, 0, "points[0].timestamp"),
            Case("too many tags", [point(tags: tooManyTags)], .tooManyTags, 0, "points[0].tags"),
            Case("space in tag key", [ok, ok, ok, point(tags: ["user id": "1", "a": "b"])], .invalidTagKey, 3, "points[3].tags.user id"),
            Case("empty tag key", [point(tags: ["": "x"])], .invalidTagKey, 0, "points[0].tags."),
            Case("tag key too long", [point(tags: [String(repeating: "k", count: 201): "x"])], .tagKeyTooLong, 0,
             "points[0].tags." + String(repeating: "k", count: 64) + "…"),
            Case("tag value too long", [point(tags: ["k": String(repeating: "é", count: 1_001)])], .tagValueTooLong, 0, "points[0].tags.k"),
            Case("NUL in tag value", [point(tags: ["k": "a\u{0}b"])], .invalidTagValue, 0, "points[0].tags.k"),
            Case("first bad tag in key order", [point(tags: ["z z": "1", "b": String(repeating: "x", count: 1_001)])],
             .tagValueTooLong, 0, "points[0].tags.b"),
            Case("first bad field in point", [point("bad name", kind: "nope", value: .nan)], .invalidName, 0, "points[0].name"),
        ]
    }()

    @Test(arguments: rejections)
    func rejectsNamingFirstBadPointAndField(_ c: Case) {
        do {
            _ = try Self.validate(c.points)
            Issue.record("\(c.label): accepted")
        } catch {
            #expect(error.reason == c.reason, "\(c.label)")
            #expect(error.index == c.index, "\(c.label)")
            #expect(error.field == c.field, "\(c.label)")
            #expect(!error.message.isEmpty)
            #expect(error.validationFailure == ValidationFailure(field: c.field, message: error.message))
        }
    }

    struct Boundary: Sendable, CustomTestStringConvertible {
        var label: String, point: RawMetricPoint
        var testDescription: String { label }
        init(_ label: String, _ point: RawMetricPoint) { (self.label, self.point) = (label, point) }
    }

    static let acceptedBoundaries: [Boundary] = [
        Boundary("name of 200", point(String(repeating: "a", count: 200))),
        Boundary("all allowed chars", point("AZaz09_.:-")),
        Boundary("32 tags", point(tags: Dictionary(uniqueKeysWithValues: (0..<32).map { ("k\($0)", "v") }))),
        Boundary("value of 1000 scalars", point(tags: ["k": String(repeating: "é", count: 1_000)])),
        Boundary("empty tag value", point(tags: ["k": ""])),
        Boundary("exactly 1 h ahead", point(timestamp: now.addingTimeInterval(3_600))),
        Boundary("exactly at retention", point(timestamp: now.addingTimeInterval(-90 * 86_400))),
        Boundary("zero counter", point(kind: "counter", value: 0)),
        Boundary("negative gauge", point(kind: "gauge", value: -1e100)),
        Boundary("tag value with quotes and newline", point(tags: ["q": "a\"b\nc\\"])),
    ]

    @Test(arguments: acceptedBoundaries)
    func acceptsBoundaries(_ c: Boundary) throws {
        #expect(try Self.validate([c.point]).count == 1, "\(c.label)")
    }

    @Test func tenThousandPointsAreAccepted() throws {
        #expect(try Self.validate(Array(repeating: Self.point(), count: 10_000)).count == 10_000)
    }

    @Test func limitsAndRetentionAreConfigurable() throws {
        var limits = IngestLimits()
        limits.maxPointsPerRequest = 2
        limits.maxFutureSkew = 10
        limits.maxTagsPerPoint = 1
        #expect(throws: PointValidationError.self) { try Self.validate(Array(repeating: Self.point(), count: 3), limits: limits) }
        #expect(throws: PointValidationError.self) {
            try Self.validate([Self.point(timestamp: Self.now.addingTimeInterval(11))], limits: limits)
        }
        let old = Self.point(timestamp: Self.now.addingTimeInterval(-10 * 86_400))
        #expect(throws: PointValidationError.self) { try Self.validate([old], retentionDays: 7) }
        #expect(try Self.validate([old], retentionDays: 30).count == 1)
        #expect(IngestLimits.default == IngestLimits(maxPointsPerRequest: 10_000, maxNameLength: 200, maxTagValueLength: 1_000,
                                                     maxTagsPerPoint: 32, maxFutureSkew: 3_600, maxAbsValue: 1e100))
    }

    @Test func kindsHaveStableRawValues() {
        #expect(MetricKind.allCases.map(\.rawValue) == ["counter", "gauge", "timing"])
    }
}
