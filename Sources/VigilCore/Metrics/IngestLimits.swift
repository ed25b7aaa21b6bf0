import Foundation

/// Limits on one metrics ingest request. Every limit is configurable; the defaults are the
/// documented ones of the ingest API (issue 7), chosen so that one request stays a bounded
/// amount of work and storage and every accepted value fits the database without error.
public struct IngestLimits: Sendable, Equatable {
    /// Points in one request (default 10,000): bounds one transaction's size and latency.
    public var maxPointsPerRequest: Int
    /// Longest metric name or tag key, in characters (default 200). Names and keys must match
    /// `[A-Za-z0-9_.:-]{1,maxNameLength}`: safe in URLs, SQL identifiers-as-data, and
    /// sanitizable for Prometheus.
    public var maxNameLength: Int
    /// Longest tag value in Unicode scalars, i.e. PostgreSQL characters (default 1,000).
    public var maxTagValueLength: Int
    /// Most tags on one point (default 32): bounds series identity size and cardinality.
    public var maxTagsPerPoint: Int
    /// How far past `now` a timestamp may be (default 3,600 s): tolerates client clock skew
    /// without letting points land in partitions that do not exist yet.
    public var maxFutureSkew: TimeInterval
    /// Largest accepted |value| (default 1e100). Far beyond any real measurement, it keeps
    /// sums of many points finite: PostgreSQL's float8 `sum` raises an error on overflow.
    public var maxAbsValue: Double

    public init(maxPointsPerRequest: Int = 10_000,
                maxNameLength: Int = 200,
                maxTagValueLength: Int = 1_000,
                maxTagsPerPoint: Int = 32,
                maxFutureSkew: TimeInterval = 3_600,
                maxAbsValue: Double = 1e100) {
        self.maxPointsPerRequest = maxPointsPerRequest
        self.maxNameLength = maxNameLength
        self.maxTagValueLength = maxTagValueLength
        self.maxTagsPerPoint = maxTagsPerPoint
        self.maxFutureSkew = maxFutureSkew
        self.maxAbsValue = maxAbsValue
    }

    /// The documented defaults.
    public static let `default` = IngestLimits()
}
