import VigilCore

/// Operator settings of the metrics feature (README's configuration table).
public struct MetricsConfiguration: Sendable {
    public var limits = IngestLimits.default
    /// `enabled = false` (VIGIL_REDACTION=off) turns redaction off for every workspace;
    /// otherwise each workspace's own policy (settings.redaction) applies.
    public var redaction = RedactionPolicy.default

    public init() {}
}
