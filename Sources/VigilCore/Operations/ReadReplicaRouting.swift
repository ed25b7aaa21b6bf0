import Foundation

/// What one look at the read replica (`DATABASE_READ_URL`) found, as the replica itself
/// reports it (`ReplicaStatusRepository`).
public struct ReplicaObservation: Sendable, Equatable {
    /// `pg_is_in_recovery()`: false for a server that is not a standby (a primary, or a
    /// promoted replica), whose data is current by definition.
    public var inRecovery: Bool
    /// A WAL receiver is running (`pg_stat_wal_receiver` has a row): the standby is streaming
    /// from its primary.
    public var receiving: Bool
    /// `pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn()`: everything received is replayed.
    public var caughtUp: Bool
    /// `now() - pg_last_xact_replay_timestamp()` in seconds (nil: nothing replayed yet).
    public var replayAgeSeconds: Double?

    public init(inRecovery: Bool, receiving: Bool, caughtUp: Bool, replayAgeSeconds: Double?) {
        self.inRecovery = inRecovery
        self.receiving = receiving
        self.caughtUp = caughtUp
        self.replayAgeSeconds = replayAgeSeconds
    }

    /// How far behind the primary the replica's data may be, in seconds; nil when it cannot
    /// be told. A streaming standby that has replayed all it received is current (on an idle
    /// primary the last replayed commit may be hours old, and that is no lag). Otherwise —
    /// replay behind what arrived (paused, or slower than the primary), or no WAL receiver (the
    /// primary is unreachable from the standby, so what is "all it received" says nothing) —
    /// the data is as old as the last commit it replayed.
    public var lagSeconds: Double? {
        if !inRecovery { return 0 }
        if receiving && caughtUp { return 0 }
        return replayAgeSeconds.map { max(0, $0) }
    }
}

/// The replica's state as routing and `/readyz` see it.
public enum ReplicaState: Sendable, Equatable {
    /// Lag within the bound: heavy reads go to the replica.
    case ok(lagSeconds: Double)
    /// Lag above the bound, or unknown: heavy reads go to the primary.
    case lagging(lagSeconds: Double?)
    /// The replica could not be asked (connection refused, timeout, error).
    case unreachable

    /// `checks.read_replica` in `/readyz`.
    public var readinessWord: String {
        switch self {
        case .ok: "ok"
        case .lagging: "lagging"
        case .unreachable: "unreachable"
        }
    }

    public var lagSeconds: Double? {
        switch self {
        case .ok(let lag): lag
        case .lagging(let lag): lag
        case .unreachable: nil
        }
    }
}

/// Why a heavy read went to the primary although a replica is configured.
public enum ReadFallbackReason: String, Sendable, CaseIterable {
    /// The replica's lag was above `VIGIL_READ_MAX_LAG_SECONDS` (or could not be told).
    case lagging
    /// The replica could not be reached when last asked.
    case unreachable
    /// The read failed on the replica (connection lost, recovery conflict) and was repeated on
    /// the primary.
    case failed
    /// The replica's state is not known yet (its first check is still running).
    case unknown
}

/// Where one heavy read runs.
public enum ReadRoute: Sendable, Equatable {
    case replica
    case primary(ReadFallbackReason)
}

/// The last check of the replica and when it was made.
public struct ReplicaCheck: Sendable, Equatable {
    public var state: ReplicaState
    public var at: Date

    public init(state: ReplicaState, at: Date) {
        self.state = state
        self.at = at
    }
}

/// What to do before a heavy read: use the cached state's route, or check the replica first.
public enum ReadDecision: Sendable, Equatable {
    case route(ReadRoute)
    /// The cached check is missing or too old: check the replica, then `policy.route(…)`.
    case check
}

/// The routing rules for heavy reads when a read replica is configured: pure, table-tested;
/// `Database` does the I/O (the checks, the reads) around them.
public struct ReadReplicaPolicy: Sendable, Equatable {
    /// Reads go to the replica only while its lag is at most this (`VIGIL_READ_MAX_LAG_SECONDS`).
    public var maxLagSeconds: Double
    /// A usable or lagging replica is checked again after this long (per process).
    public var recheckSeconds: Double
    /// An unreachable replica is asked again only after this long, so a replica that is down
    /// costs one failed connection attempt per interval, not one per request.
    public var unreachableRecheckSeconds: Double

    public init(maxLagSeconds: Double = 30, recheckSeconds: Double = 1, unreachableRecheckSeconds: Double = 5) {
        self.maxLagSeconds = maxLagSeconds
        self.recheckSeconds = recheckSeconds
        self.unreachableRecheckSeconds = unreachableRecheckSeconds
    }

    /// The state a check's outcome means (nil observation: the replica could not be asked).
    public func state(of observation: ReplicaObservation?) -> ReplicaState {
        guard let observation else { return .unreachable }
        guard let lag = observation.lagSeconds, lag <= maxLagSeconds else { return .lagging(lagSeconds: observation.lagSeconds) }
        return .ok(lagSeconds: lag)
    }

    /// Where reads go in `state`.
    public func route(_ state: ReplicaState) -> ReadRoute {
        switch state {
        case .ok: .replica
        case .lagging: .primary(.lagging)
        case .unreachable: .primary(.unreachable)
        }
    }

    /// How long a check of `state` stays good.
    public func validity(of state: ReplicaState) -> Double {
        state == .unreachable ? unreachableRecheckSeconds : recheckSeconds
    }

    /// Before a read at `now`: the cached check's route while it is fresh; otherwise a new
    /// check, unless another read is already making one (`checking`), in which case the old
    /// answer stands (or, with none yet, the primary).
    public func decide(last: ReplicaCheck?, now: Date, checking: Bool) -> ReadDecision {
        guard let last else { return checking ? .route(.primary(.unknown)) : .check }
        let age = now.timeIntervalSince(last.at)
        if (age >= validity(of: last.state) || age < 0) && !checking { return .check }
        return .route(route(last.state))
    }
}

extension ReadReplicaPolicy {
    /// Whether a heavy read that failed on the replica with `error` is repeated on the primary:
    /// the replica is down or the connection broke (`unavailable`), the standby cancelled the
    /// query for a recovery conflict (40001, 40P01) or is shutting down or starting up (57P01-03).
    /// Not for anything the request itself got wrong, nor statement timeouts (57014: the read
    /// would be as slow on the primary), nor a write in the read-only transaction (25006: a bug).
    public static func repeatsOnPrimary(_ error: StorageError) -> Bool {
        if error.kind == .unavailable { return true }
        return ["40001", "40P01", "57P01", "57P02", "57P03"].contains(error.sqlState ?? "")
    }

    /// Whether that failure also means the replica is down (not only this read unlucky): it is
    /// then not asked again for `unreachableRecheckSeconds`.
    public static func meansUnreachable(_ error: StorageError) -> Bool {
        error.kind == .unavailable || ["57P01", "57P02", "57P03"].contains(error.sqlState ?? "")
    }
}

/// The read replica's figures for `/metrics`: heavy reads served by it, those sent to the
/// primary instead (by reason), and its last known state.
public struct ReadRoutingStatistics: Sendable, Equatable {
    public var replicaReads: Int
    public var fallbacks: [ReadFallbackReason: Int]
    /// The last check's state (nil: not checked yet).
    public var state: ReplicaState?

    public init(replicaReads: Int = 0, fallbacks: [ReadFallbackReason: Int] = [:], state: ReplicaState? = nil) {
        self.replicaReads = replicaReads
        self.fallbacks = fallbacks
        self.state = state
    }
}

extension ReadRoutingStatistics {
    /// The replica's families in Prometheus text exposition (HELP and TYPE), ending in a
    /// newline; appended to the API's and the worker's `/metrics` when a replica is configured.
    public var exposition: String {
        var text = """
            # HELP vigil_db_replica_reads_total Heavy reads served by the read replica.
            # TYPE vigil_db_replica_reads_total counter
            vigil_db_replica_reads_total \(replicaReads)
            # HELP vigil_db_replica_fallbacks_total Heavy reads sent to the primary although a read replica is configured, by reason.
            # TYPE vigil_db_replica_fallbacks_total counter

            """
        for reason in ReadFallbackReason.allCases {
            text += "vigil_db_replica_fallbacks_total{reason=\"\(reason.rawValue)\"} \(fallbacks[reason] ?? 0)\n"
        }
        if let lag = state?.lagSeconds {
            text += "# HELP vigil_db_replica_lag_seconds The read replica's replay lag at its last check.\n"
            text += "# TYPE vigil_db_replica_lag_seconds gauge\nvigil_db_replica_lag_seconds \(lag)\n"
        }
        let up = state.map { $0 != .unreachable } ?? false
        text += "# HELP vigil_db_replica_up 1 when the read replica answered its last check, else 0.\n"
        text += "# TYPE vigil_db_replica_up gauge\nvigil_db_replica_up \(up ? 1 : 0)\n"
        return text
    }

    /// `exposition` after `text`, on lines of its own.
    public func appended(to text: String) -> String {
        text.isEmpty || text.hasSuffix("\n") ? text + exposition : text + "\n" + exposition
    }
}
