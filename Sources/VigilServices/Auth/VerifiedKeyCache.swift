import Foundation
import Synchronization
import VigilCore

/// Keys this API process has verified, by hash, so a request with a known key needs no
/// authentication transaction of its own: the key's workspace, id, role and expiry come from
/// memory, and the request's own transaction re-checks that the key was not revoked
/// (`Database.keyAssertion`, `vigil_enter_workspace`), which is how a revocation on any process
/// takes effect at once on every other.
///
/// The cached workspace record (name, settings) may lag a change made on *another* process by
/// up to `ttl`; changes made on this process evict it at once (`forgetWorkspace`).
public final class VerifiedKeyCache: Sendable {
    struct Entry: Sendable {
        var caller: WorkspaceCaller
        var expiresAt: Date?
        /// When `last_used_at` was last written for this key by this process.
        var touchedAt: Date
    }

    let ttl: TimeInterval
    private let entries: Mutex<ExpiringCache<Data, Entry>>

    public init(capacity: Int = 50_000, ttl: TimeInterval = 30) {
        self.ttl = ttl
        self.entries = Mutex(ExpiringCache(capacity: capacity, ttl: ttl))
    }

    func entry(for hash: Data, now: Date) -> Entry? {
        entries.withLock { $0.value(for: hash, now: now) }
    }

    func store(_ entry: Entry, for hash: Data, now: Date) {
        entries.withLock { $0.store(entry, for: hash, now: now) }
    }

    /// Records a `last_used_at` write, keeping the entry's own expiry.
    func markTouched(_ hash: Data, at now: Date) {
        entries.withLock { cache in
            guard var entry = cache.value(for: hash, now: now) else { return }
            entry.touchedAt = now
            cache.replace(entry, for: hash)
        }
    }

    func forget(keyID: UUID) {
        entries.withLock { $0.removeAll(where: { $0.caller.keyID == keyID }) }
    }

    func forgetWorkspace(_ workspaceID: UUID) {
        entries.withLock { $0.removeAll(where: { $0.caller.workspace.id == workspaceID }) }
    }
}
