import Foundation

/// How many failed authentications are tolerated before requests are refused with 429, and how
/// much the in-process guard remembers. Defaults are documented in the README (configuration)
/// and set from `VIGIL_AUTH_FAILURES_PER_IP_PER_MINUTE` / `..._PER_WORKSPACE_PER_MINUTE`.
public struct AuthFailureLimits: Sendable, Equatable {
    /// Failed attempts per source IP per minute (burst = this many).
    public var perIPPerMinute: Int = 60
    /// Failed attempts per workspace per minute, from all sources together.
    public var perWorkspacePerMinute: Int = 600
    /// Buckets kept per dimension; full (idle) buckets are forgotten first.
    public var maxTrackedSources: Int = 10_000
    /// Recently failed key hashes answered 401 without the database, and for how long.
    public var negativeCacheSize: Int = 10_000
    public var negativeCacheSeconds: TimeInterval = 60
    /// Recently accepted key hashes skip the buckets: a flood against a workspace or from a
    /// shared address must not lock out keys that are known to be good.
    public var knownGoodCacheSize: Int = 10_000
    public var knownGoodSeconds: TimeInterval = 600
    /// How often the aggregated failure counts are written to `auth_failures`.
    public var flushIntervalSeconds: TimeInterval = 1

    public init(perIPPerMinute: Int = 60, perWorkspacePerMinute: Int = 600) {
        self.perIPPerMinute = perIPPerMinute
        self.perWorkspacePerMinute = perWorkspacePerMinute
    }
}
