import Foundation

/// A metric name as stored: what `GET …/metrics` lists.
public struct StoredMetricName: Sendable, Equatable {
    public var name: String
    public var kind: MetricKind
    public var firstSeen: Date
    public var lastSeen: Date

    public init(name: String, kind: MetricKind, firstSeen: Date, lastSeen: Date) {
        self.name = name
        self.kind = kind
        self.firstSeen = firstSeen
        self.lastSeen = lastSeen
    }
}
