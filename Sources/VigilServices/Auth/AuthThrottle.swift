import Foundation
import Synchronization
import VigilCore

/// The in-process guard in front of key checks: token buckets of failed attempts per source
/// address and per workspace, a negative cache of key hashes that just failed, and a cache of
/// key hashes that were just accepted. Everything here is memory only and bounded
/// (`AuthFailureLimits`), so neither a flood of distinct addresses nor of distinct keys can
/// exhaust memory; and nothing here touches the database, which is the point.
final class AuthThrottle: Sendable {
    /// What `admit` took, to be given back if the attempt succeeds.
    struct Ticket: Sendable {
        var ip: String?
        var workspace: String?
    }

    /// A key hash that failed: where its failure is recorded and why, so a repeat is answered
    /// and counted without a lookup.
    struct KnownBad: Sendable {
        var target: FailureTarget
        var reason: String
        var keyID: UUID?
    }

    private struct State {
        var ipBuckets: [String: FailureBucket] = [:]
        var workspaceBuckets: [String: FailureBucket] = [:]
        var knownBad: ExpiringCache<Data, KnownBad>
        var knownGood: ExpiringCache<Data, Bool>
    }

    let limits: AuthFailureLimits
    private let state: Mutex<State>
    /// Key lookups that reached the database, and failures answered from `knownBad` instead.
    let keyLookups = Atomic<Int>(0)
    let negativeCacheHits = Atomic<Int>(0)

    init(limits: AuthFailureLimits) {
        self.limits = limits
        self.state = Mutex(State(knownBad: ExpiringCache(capacity: limits.negativeCacheSize, ttl: limits.negativeCacheSeconds),
                                 knownGood: ExpiringCache(capacity: limits.knownGoodCacheSize, ttl: limits.knownGoodSeconds)))
    }

    /// Takes a token from the address's and the workspace's buckets before any database work,
    /// or refuses with 429. A key accepted recently skips the buckets: otherwise an attacker
    /// flooding a workspace (or sharing a NAT address) would lock its legitimate keys out.
    /// Tokens are taken up front so concurrent attempts cannot all pass before the first
    /// failure is counted; `succeeded` gives them back.
    func admit(ip: String?, workspace: String?, keyHash: Data?, now: Date) throws(ServiceError) -> Ticket {
        let limits = self.limits
        let refusal: Int? = state.withLock { state in
            if let keyHash, state.knownGood.value(for: keyHash, now: now) != nil { return nil }
            let ipKey = ip ?? ""
            var ipBucket = state.ipBuckets[ipKey] ?? FailureBucket(perMinute: limits.perIPPerMinute, now: now)
            if case .refused(let seconds) = ipBucket.take(now: now) { return seconds }
            if let workspace {
                var bucket = state.workspaceBuckets[workspace] ?? FailureBucket(perMinute: limits.perWorkspacePerMinute, now: now)
                if case .refused(let seconds) = bucket.take(now: now) { return seconds }
                Self.put(bucket, at: workspace, in: &state.workspaceBuckets, limit: limits.maxTrackedSources, now: now)
            }
            Self.put(ipBucket, at: ipKey, in: &state.ipBuckets, limit: limits.maxTrackedSources, now: now)
            return 0
        }
        if let refusal, refusal > 0 {
            throw ServiceError.rateLimited("too many failed authentication attempts; retry later", retryAfterSeconds: refusal)
        }
        return refusal == nil ? Ticket(ip: nil, workspace: nil) : Ticket(ip: ip ?? "", workspace: workspace)
    }

    /// The attempt authenticated: its tokens go back and the key is remembered as good.
    func succeeded(_ ticket: Ticket, keyHash: Data?, now: Date) {
        release(ticket, now: now)
        state.withLock { state in
            if let keyHash {
                state.knownGood.store(true, for: keyHash, now: now)
                state.knownBad.remove(keyHash)
            }
        }
    }

    /// Gives the attempt's tokens back: it succeeded, or could not be checked at all.
    func release(_ ticket: Ticket, now: Date) {
        state.withLock { state in
            if let ip = ticket.ip { state.ipBuckets[ip]?.giveBack(now: now) }
            if let workspace = ticket.workspace { state.workspaceBuckets[workspace]?.giveBack(now: now) }
        }
    }

    func knownBad(_ keyHash: Data, now: Date) -> KnownBad? {
        state.withLock { $0.knownBad.value(for: keyHash, now: now) }
    }

    func rememberBad(_ keyHash: Data, _ entry: KnownBad, now: Date) {
        state.withLock { state in
            state.knownBad.store(entry, for: keyHash, now: now)
            state.knownGood.remove(keyHash)
        }
    }

    /// Stores a bucket, first forgetting full (idle) buckets when the map is at its limit and,
    /// if all are busy, the least recently used half: memory stays bounded under a flood of
    /// distinct addresses, at the cost of such addresses getting a fresh allowance.
    private static func put(_ bucket: FailureBucket, at key: String, in buckets: inout [String: FailureBucket], limit: Int, now: Date) {
        if buckets[key] == nil, buckets.count >= limit {
            buckets = buckets.filter { !$0.value.isFull(now: now) }
            if buckets.count >= limit {
                let keep = buckets.sorted { $0.value.lastUpdate > $1.value.lastUpdate }.prefix(limit / 2)
                buckets = Dictionary(uniqueKeysWithValues: keep.map { ($0.key, $0.value) })
            }
        }
        buckets[key] = bucket
    }
}
