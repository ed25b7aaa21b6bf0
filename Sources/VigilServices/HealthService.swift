import Foundation
import VigilCore
import VigilPrimitives
import VigilRepositories

public struct ComponentHealth: Sendable, Equatable {
    public var status: HealthStatus
    public var latencyMs: Double?
    public var detail: String?
}

public struct HealthReport: Sendable, Equatable {
    public var status: HealthStatus
    public var components: [String: ComponentHealth]
}

public struct Readiness: Sendable, Equatable {
    public var ready: Bool
    public var checks: [String: String]
}

/// Readiness and component health. Details name states and numbers only, never
/// connection strings or other secrets.
public struct HealthService: Sendable {
    let database: Database
    let migrations: [MigrationFile]
    let heartbeatMaxAge: Double
    let diskPath: String
    let operations = OperationsRepository()

    public init(database: Database, migrations: [MigrationFile], heartbeatMaxAgeSeconds: Double = 60, diskPath: String = ".") {
        self.database = database
        self.migrations = migrations
        self.heartbeatMaxAge = heartbeatMaxAgeSeconds
        self.diskPath = diskPath
    }

    /// `checks.read_replica` is informational (`ok`, `lagging`, `unreachable`, `not_configured`):
    /// heavy reads fall back to the primary while the replica is unusable, so a replica that is
    /// down or behind never makes the API unready (taking every API process out of the load
    /// balancer because of the replica would turn a slower read path into an outage).
    public func readiness() async -> Readiness {
        let replica = await readReplicaWord()
        do {
            let (applied, login) = try await database.platform { connection in
                (try await operations.appliedMigrations(on: connection), try await operations.loginPrivileges(on: connection))
            }
            let verdict = SchemaVerdict.of(known: migrations.map(\.known), applied: applied)
            // A login that could read across tenants on its own is not ready, however well every
            // transaction drops to the app role: isolation must not rest on that alone.
            return Readiness(ready: verdict.mayRun && login.problems.isEmpty,
                             checks: ["database": "ok", "migrations": Self.describe(verdict), "login": login.readinessWord,
                                      "read_replica": replica])
        } catch {
            return Readiness(ready: false, checks: ["database": "unreachable", "migrations": "unknown", "login": "unknown",
                                                    "read_replica": replica])
        }
    }

    /// The read replica's state, checked now: `not_configured` without DATABASE_READ_URL.
    func readReplicaWord() async -> String {
        guard let replica = database.readReplica else { return "not_configured" }
        return await replica.reportedState().readinessWord
    }

    /// Heavy reads served by the replica and sent to the primary instead, for `/metrics`
    /// (nil without a replica).
    public var readRouting: ReadRoutingStatistics? { database.readReplica?.statistics }

    /// The readiness check's word for the schema: `ok`, `pending`, `modified`, `ahead` (newer
    /// but backward-compatible: this older binary runs) or `ahead_incompatible`.
    static func describe(_ verdict: SchemaVerdict) -> String {
        switch verdict {
        case .current: "ok"
        case .pending: "pending"
        case .modified: "modified"
        case .aheadCompatible: "ahead"
        case .aheadIncompatible: "ahead_incompatible"
        }
    }

    /// Seconds since the youngest worker heartbeat, for `/metrics`; nil when no worker has
    /// beaten yet or the database cannot be asked (the scrape still answers).
    public func workerHeartbeatAge() async -> Double? {
        try? await database.platform { try await operations.youngestHeartbeatAge(on: $0) }
    }

    /// The connection pool's current use, sampled for `/metrics`.
    public var poolUsage: PoolUsage { database.poolUsage }

    public func report() async -> HealthReport {
        var components: [String: ComponentHealth] = [:]
        let started = ContinuousClock.now
        do {
            let (applied, heartbeatAge) = try await database.platform { connection in
                (try await operations.appliedMigrations(on: connection), try await operations.youngestHeartbeatAge(on: connection))
            }
            let latency = Self.milliseconds(since: started)
            components["database"] = ComponentHealth(status: .healthy, latencyMs: latency, detail: nil)
            let verdict = SchemaVerdict.of(known: migrations.map(\.known), applied: applied)
            components["migrations"] = ComponentHealth(status: verdict.mayRun ? .healthy : .unhealthy, latencyMs: nil,
                                                       detail: verdict == .current ? "\(migrations.count) applied" : Self.describe(verdict))
            components["worker"] = Self.workerHealth(heartbeatAge: heartbeatAge, maxAge: heartbeatMaxAge)
        } catch {
            components["database"] = ComponentHealth(status: .unhealthy, latencyMs: Self.milliseconds(since: started), detail: "unreachable")
            components["migrations"] = ComponentHealth(status: .unhealthy, latencyMs: nil, detail: "unknown")
            components["worker"] = ComponentHealth(status: .unhealthy, latencyMs: nil, detail: "unknown")
        }
        let stats = database.poolUsage
        components["pool"] = ComponentHealth(status: HealthRules.pool(waiting: stats.waiting), latencyMs: nil,
                                             detail: "in_use=\(stats.inUse) idle=\(stats.idle) waiting=\(stats.waiting)")
        components["disk"] = Self.diskHealth(path: diskPath)
        if let replica = database.readReplica {
            // Degraded, never unhealthy: the primary serves the heavy reads meanwhile.
            let state = await replica.reportedState()
            let lag = state.lagSeconds.map { "lag \(($0 * 10).rounded() / 10)s" } ?? "lag unknown"
            components["read_replica"] = ComponentHealth(status: state.readinessWord == "ok" ? .healthy : .degraded, latencyMs: nil,
                                                         detail: "\(state.readinessWord), \(lag) (limit \(Int(replica.policy.maxLagSeconds))s)")
        }
        let overall = HealthRules.overall(components.values.map(\.status))
        return HealthReport(status: overall, components: components)
    }

    static func workerHealth(heartbeatAge: Double?, maxAge: Double) -> ComponentHealth {
        let status = HealthRules.worker(heartbeatAgeSeconds: heartbeatAge, maxAgeSeconds: maxAge)
        guard let age = heartbeatAge else { return ComponentHealth(status: status, latencyMs: nil, detail: "no worker heartbeat yet") }
        return ComponentHealth(status: status, latencyMs: nil,
                               detail: "youngest heartbeat \((age * 10).rounded() / 10)s ago (limit \(Int(maxAge))s)")
    }

    static func diskHealth(path: String) -> ComponentHealth {
        var fraction: Double?
        // try? is right: an unreadable path is reported below as unknown free space, not an error.
        if let attributes = try? FileManager.default.attributesOfFileSystem(forPath: path),
           let free = (attributes[.systemFreeSize] as? NSNumber)?.doubleValue,
           let size = (attributes[.systemSize] as? NSNumber)?.doubleValue, size > 0 {
            fraction = free / size
        }
        return ComponentHealth(status: HealthRules.disk(freeFraction: fraction), latencyMs: nil,
                               detail: fraction.map { "\(Int($0 * 100))% free" } ?? "free space unknown")
    }

    static func milliseconds(since start: ContinuousClock.Instant) -> Double {
        let d = ContinuousClock.now - start
        let ms = Double(d.components.seconds) * 1000 + Double(d.components.attoseconds) / 1e15
        return (ms * 100).rounded() / 100
    }
}
