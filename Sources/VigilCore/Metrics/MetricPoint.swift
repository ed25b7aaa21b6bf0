import Foundation

/// One point as a client sent it, before validation (the HTTP layer maps its body to this).
public struct RawMetricPoint: Sendable, Equatable, Codable {
    public var name: String
    public var kind: String
    public var value: Double
    public var timestamp: Date?
    public var tags: [String: String]?

    public init(name: String, kind: String, value: Double, timestamp: Date? = nil, tags: [String: String]? = nil) {
        self.name = name
        self.kind = kind
        self.value = value
        self.timestamp = timestamp
        self.tags = tags
    }
}

/// One tag of a validated point.
public struct MetricTag: Sendable, Hashable, Codable {
    public var key: String
    public var value: String

    public init(key: String, value: String) {
        self.key = key
        self.value = value
    }

    /// Tags sorted by key in UTF-8 byte order: the same order as PostgreSQL's `COLLATE "C"`
    /// and independent of locale or Swift version, so every layer agrees on it.
    public static func sorted(_ tags: [String: String]) -> [MetricTag] {
        tags.map { MetricTag(key: $0.key, value: $0.value) }
            .sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
    }
}

/// A validated point: known kind, finite value within limits, a timestamp, tags in canonical order.
public struct MetricPoint: Sendable, Equatable {
    public var name: String
    public var kind: MetricKind
    public var value: Double
    public var timestamp: Date
    /// Sorted by key (UTF-8 byte order); keys are unique.
    public var tags: [MetricTag]

    public init(name: String, kind: MetricKind, value: Double, timestamp: Date, tags: [MetricTag]) {
        self.name = name
        self.kind = kind
        self.value = value
        self.timestamp = timestamp
        self.tags = tags
    }

    /// The series this point belongs to.
    public var seriesKey: SeriesKey { SeriesKey(name: name, sortedTags: tags) }
}
