import Foundation

/// A workspace's alerting knobs: how notifications are grouped, when the storm guard starts
/// summarising, and how long a resolved alert can still be reopened by its fingerprint.
public struct AlertingSettings: Sendable, Equatable, Codable {
    /// Label keys whose values form a notification group (storm summaries list the top groups).
    public var groupBy: [String] = ["alertname"]
    /// New alerts per minute past which individual notifications stop (StormGuard).
    public var stormThreshold: Int = StormGuard.defaultThreshold
    public var dedupWindowSeconds: Int = Int(DedupDecision.defaultWindow)

    public init() {}

    enum CodingKeys: String, CodingKey {
        case groupBy = "group_by", stormThreshold = "storm_threshold", dedupWindowSeconds = "dedup_window_seconds"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        groupBy = try c.decodeIfPresent([String].self, forKey: .groupBy) ?? ["alertname"]
        stormThreshold = try c.decodeIfPresent(Int.self, forKey: .stormThreshold) ?? StormGuard.defaultThreshold
        dedupWindowSeconds = try c.decodeIfPresent(Int.self, forKey: .dedupWindowSeconds) ?? Int(DedupDecision.defaultWindow)
    }

    public func validate() -> ValidationFailure? {
        if groupBy.count > 10 || groupBy.contains(where: { $0.isEmpty || $0.unicodeScalars.count > 100 }) {
            return ValidationFailure(field: "settings.alerting.group_by", message: "at most 10 label names of 1-100 characters")
        }
        if !(1...10_000).contains(stormThreshold) {
            return ValidationFailure(field: "settings.alerting.storm_threshold", message: "storm_threshold must be 1-10000 alerts per minute")
        }
        if !(0...86_400).contains(dedupWindowSeconds) {
            return ValidationFailure(field: "settings.alerting.dedup_window_seconds", message: "dedup_window_seconds must be 0-86400")
        }
        return nil
    }
}
