import Foundation
import Testing
import VigilCore

struct ReadReplicaRoutingTests {
    static func observed(recovery: Bool = true, receiving: Bool = true, caughtUp: Bool = true, age: Double? = 2) -> ReplicaObservation {
        ReplicaObservation(inRecovery: recovery, receiving: receiving, caughtUp: caughtUp, replayAgeSeconds: age)
    }

    // (case, observation, lag)
    static let lags: [(String, ReplicaObservation, Double?)] = [
        ("not a standby (a primary, a promoted replica): current", observed(recovery: false, receiving: false, caughtUp: false, age: nil), 0),
        ("streaming and caught up on an idle primary: current, however old the last commit", observed(age: 7200), 0),
        ("streaming, replay behind what arrived (paused or slow): the last replayed commit's age", observed(caughtUp: false, age: 12.5), 12.5),
        ("no WAL receiver (primary unreachable from the standby): the last commit's age", observed(receiving: false, age: 40), 40),
        ("replay behind and nothing replayed yet: unknown", observed(caughtUp: false, age: nil), nil),
        ("clock skew making the age negative: no lag, not negative", observed(caughtUp: false, age: -3), 0),
    ]

    @Test(arguments: lags.indices)
    func lag(index: Int) {
        let (name, observation, lag) = Self.lags[index]
        #expect(observation.lagSeconds == lag, "\(name)")
    }

    // (case, observation (nil: the check failed), state, route, readiness word)
    static let states: [(String, ReplicaObservation?, ReplicaState, ReadRoute, String)] = [
        ("within the bound", observed(caughtUp: false, age: 10), .ok(lagSeconds: 10), .replica, "ok"),
        ("exactly the bound", observed(caughtUp: false, age: 30), .ok(lagSeconds: 30), .replica, "ok"),
        ("over the bound", observed(caughtUp: false, age: 30.5), .lagging(lagSeconds: 30.5), .primary(.lagging), "lagging"),
        ("lag unknown", observed(caughtUp: false, age: nil), .lagging(lagSeconds: nil), .primary(.lagging), "lagging"),
        ("caught up", observed(age: 500), .ok(lagSeconds: 0), .replica, "ok"),
        ("could not be asked", nil, .unreachable, .primary(.unreachable), "unreachable"),
    ]

    @Test(arguments: states.indices)
    func state(index: Int) {
        let (name, observation, state, route, word) = Self.states[index]
        let policy = ReadReplicaPolicy(maxLagSeconds: 30)
        #expect(policy.state(of: observation) == state, "\(name)")
        #expect(policy.route(state) == route, "\(name)")
        #expect(state.readinessWord == word, "\(name)")
    }

    static let t0 = Date(timeIntervalSince1970: 1_800_000_000)

    // (case, last check, seconds after it, another read is checking, decision)
    static let decisions: [(String, ReplicaCheck?, Double, Bool, ReadDecision)] = [
        ("never checked: check", nil, 0, false, .check),
        ("never checked, first check running: primary meanwhile", nil, 0, true, .route(.primary(.unknown))),
        ("ok and fresh: replica", ReplicaCheck(state: .ok(lagSeconds: 1), at: t0), 0.5, false, .route(.replica)),
        ("ok but a second old: check again", ReplicaCheck(state: .ok(lagSeconds: 1), at: t0), 1, false, .check),
        ("ok, stale, another read checking: the old answer", ReplicaCheck(state: .ok(lagSeconds: 1), at: t0), 3, true, .route(.replica)),
        ("lagging and fresh: primary", ReplicaCheck(state: .lagging(lagSeconds: 50), at: t0), 0.2, false, .route(.primary(.lagging))),
        ("lagging, stale: check again (it may have caught up)", ReplicaCheck(state: .lagging(lagSeconds: 50), at: t0), 1.5, false, .check),
        ("unreachable 3 s ago: primary, not asked again yet", ReplicaCheck(state: .unreachable, at: t0), 3, false, .route(.primary(.unreachable))),
        ("unreachable 5 s ago: ask again", ReplicaCheck(state: .unreachable, at: t0), 5, false, .check),
        ("a check from the future (clock stepped back): check", ReplicaCheck(state: .ok(lagSeconds: 0), at: t0), -10, false, .check),
    ]

    @Test(arguments: decisions.indices)
    func decide(index: Int) {
        let (name, last, after, checking, decision) = Self.decisions[index]
        let policy = ReadReplicaPolicy(maxLagSeconds: 30, recheckSeconds: 1, unreachableRecheckSeconds: 5)
        #expect(policy.decide(last: last, now: Self.t0.addingTimeInterval(after), checking: checking) == decision, "\(name)")
    }

    // (case, error, repeated on the primary, means the replica is down)
    static let failures: [(String, StorageError, Bool, Bool)] = [
        ("connection refused / broken", StorageError(kind: .unavailable, message: "x"), true, true),
        ("recovery conflict", StorageError(kind: .busy, sqlState: "40001", message: "conflict with recovery"), true, false),
        ("buffer-pin deadlock on the standby", StorageError(kind: .busy, sqlState: "40P01", message: "x"), true, false),
        ("standby shutting down", StorageError(kind: .failure, sqlState: "57P01", message: "x"), true, true),
        ("standby starting up", StorageError(kind: .failure, sqlState: "57P03", message: "x"), true, true),
        ("statement timeout: as slow on the primary", StorageError(kind: .busy, sqlState: "57014", message: "x"), false, false),
        ("a write in the read-only transaction is a bug", StorageError(kind: .failure, sqlState: "25006", message: "x"), false, false),
        ("a bad value", StorageError(kind: .rejectedValue, sqlState: "22P02", message: "x"), false, false),
        ("a revoked key is never retried elsewhere", StorageError(kind: .credentialRevoked, sqlState: "VG401", message: "x"), false, false),
    ]

    @Test(arguments: failures.indices)
    func failure(index: Int) {
        let (name, error, repeats, down) = Self.failures[index]
        #expect(ReadReplicaPolicy.repeatsOnPrimary(error) == repeats, "\(name)")
        #expect(ReadReplicaPolicy.meansUnreachable(error) == down, "\(name)")
    }

    @Test func exposesThePrometheusFamilies() {
        let stats = ReadRoutingStatistics(replicaReads: 12, fallbacks: [.lagging: 3, .failed: 1], state: .lagging(lagSeconds: 41.5))
        let text = stats.exposition
        #expect(text.contains("# TYPE vigil_db_replica_reads_total counter\nvigil_db_replica_reads_total 12\n"))
        #expect(text.contains("vigil_db_replica_fallbacks_total{reason=\"lagging\"} 3\n"))
        #expect(text.contains("vigil_db_replica_fallbacks_total{reason=\"failed\"} 1\n"))
        #expect(text.contains("vigil_db_replica_fallbacks_total{reason=\"unreachable\"} 0\n"))
        #expect(text.contains("vigil_db_replica_lag_seconds 41.5\n"))
        #expect(text.contains("vigil_db_replica_up 1\n"))
        let down = ReadRoutingStatistics(state: .unreachable).exposition
        #expect(down.contains("vigil_db_replica_up 0\n") && !down.contains("vigil_db_replica_lag_seconds"))
        #expect(ReadRoutingStatistics().exposition.contains("vigil_db_replica_up 0\n"))  // never checked yet
        #expect(stats.appended(to: "a 1") == "a 1\n" + text && stats.appended(to: "a 1\n") == "a 1\n" + text)
    }
}
