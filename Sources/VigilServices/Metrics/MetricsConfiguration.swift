import VigilCore

/// Operator settings of the metrics feature (README's configuration table).
public struct MetricsConfiguration: Sendable {
    public var limits = IngestLimits.default
    /// Points a workspace may ingest per minute, per API process (VIGIL_INGEST_POINTS_PER_MINUTE).
    public var pointsPerMinute = 12_000_000
    /// `enabled = false` (VIGIL_REDACTION=off) turns redaction off for every workspace;
    /// otherwise each workspace's own policy (settings.redaction) applies.
    public var redaction = RedactionPolicy.default

    public init() {}
}
