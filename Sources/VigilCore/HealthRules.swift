/// How /health judges its components: pure thresholds, table-tested.
public enum HealthStatus: String, Sendable, Comparable {
    case healthy, degraded, unhealthy

    public static func < (a: Self, b: Self) -> Bool { a.rank < b.rank }
    private var rank: Int { self == .healthy ? 0 : self == .degraded ? 1 : 2 }
}

public enum HealthRules {
    /// No heartbeat ever: the worker was never started (degraded; the API still serves).
    /// A heartbeat older than `maxAge`: the worker died or hangs (unhealthy).
    public static func worker(heartbeatAgeSeconds age: Double?, maxAgeSeconds: Double) -> HealthStatus {
        guard let age else { return .degraded }
        return age <= maxAgeSeconds ? .healthy : .unhealthy
    }

    /// Under 2 % free is unhealthy (PostgreSQL and logs are about to fail), under 10 % degraded.
    public static func disk(freeFraction: Double?) -> HealthStatus {
        guard let fraction = freeFraction else { return .degraded }
        return fraction < 0.02 ? .unhealthy : fraction < 0.10 ? .degraded : .healthy
    }

    /// Requests waiting for a database connection mean the pool is too small for the load.
    public static func pool(waiting: Int) -> HealthStatus {
        waiting > 0 ? .degraded : .healthy
    }

    /// The overall status is the worst component's.
    public static func overall(_ components: some Sequence<HealthStatus>) -> HealthStatus {
        components.max() ?? .healthy
    }
}
