import Foundation

/// The bookkeeping of a bounded cache of encoded answers, each tagged with the version of the
/// data it was computed from: an answer is served only while the caller's freshly read version
/// is still its tag, so a change makes every older answer unreachable at once, whatever
/// process made it. Pure state (no locks, no I/O); the API holds it behind a lock.
///
/// Bounded against a hostile tenant that varies its queries without end: at most
/// `maxEntriesPerWorkspace` answers per workspace (its least recently used go first), at most
/// `maxEntryBytes` per answer (larger ones are not kept), and at most `maxBytes` in all (the
/// least recently used answer of any workspace goes first). A tenant can only push answers
/// out, which costs their owners a read, never a wrong answer. `maxEntries` caps the count in
/// all, and callers count a key's own bytes (a long query string) in `bytes`. A deleted
/// workspace's answers are never forgotten on purpose: no key of it authenticates any more, so
/// they only age out.
public struct VersionedAnswerCache<Answer: Sendable>: Sendable {
    public struct Key: Hashable, Sendable {
        public let workspaceID: UUID
        /// What else selects the answer within the workspace, e.g. a request's path and query
        /// string (and, for metric reads, the minute their window ends with).
        public let selection: String

        public init(workspaceID: UUID, selection: String) {
            self.workspaceID = workspaceID
            self.selection = selection
        }
    }

    public struct Limits: Sendable, Equatable {
        public var maxBytes: Int
        public var maxEntryBytes: Int
        public var maxEntriesPerWorkspace: Int
        /// Bounds the entry count whatever the answers weigh (and so the eviction scan).
        public var maxEntries: Int

        public init(maxBytes: Int, maxEntryBytes: Int = 256 * 1024, maxEntriesPerWorkspace: Int = 32, maxEntries: Int = 4_096) {
            self.maxBytes = maxBytes
            self.maxEntryBytes = maxEntryBytes
            self.maxEntriesPerWorkspace = maxEntriesPerWorkspace
            self.maxEntries = maxEntries
        }
    }

    struct Entry: Sendable {
        var version: Int64
        var answer: Answer
        var bytes: Int
        var lastUse: UInt64
    }

    public let limits: Limits
    private var entries: [Key: Entry] = [:]
    private var keysByWorkspace: [UUID: Set<Key>] = [:]
    private var tick: UInt64 = 0
    public private(set) var totalBytes = 0

    public init(limits: Limits) {
        self.limits = limits
    }

    public var count: Int { entries.count }

    /// The answer stored under `key` if it was computed at `version`; an answer for another
    /// version is dropped (it can never be served again: versions only grow).
    public mutating func answer(for key: Key, at version: Int64) -> Answer? {
        guard var entry = entries[key] else { return nil }
        guard entry.version == version else {
            remove(key)
            return nil
        }
        tick += 1
        entry.lastUse = tick
        entries[key] = entry
        return entry.answer
    }

    /// Keeps `answer` (of `bytes` bytes, computed at `version`) under `key`, making room by
    /// the limits above. Returns false when the answer is too large to keep.
    @discardableResult
    public mutating func store(_ answer: Answer, bytes: Int, for key: Key, at version: Int64) -> Bool {
        remove(key)
        guard limits.maxBytes > 0, bytes <= limits.maxEntryBytes, bytes <= limits.maxBytes else { return false }
        while (keysByWorkspace[key.workspaceID]?.count ?? 0) >= limits.maxEntriesPerWorkspace,
              let oldest = leastRecentlyUsed(among: keysByWorkspace[key.workspaceID] ?? []) {
            remove(oldest)
        }
        while totalBytes + bytes > limits.maxBytes || entries.count >= limits.maxEntries,
              let oldest = leastRecentlyUsed(among: entries.keys) {
            remove(oldest)
        }
        tick += 1
        entries[key] = Entry(version: version, answer: answer, bytes: bytes, lastUse: tick)
        keysByWorkspace[key.workspaceID, default: []].insert(key)
        totalBytes += bytes
        return true
    }

    private mutating func remove(_ key: Key) {
        guard let entry = entries.removeValue(forKey: key) else { return }
        totalBytes -= entry.bytes
        keysByWorkspace[key.workspaceID]?.remove(key)
        if keysByWorkspace[key.workspaceID]?.isEmpty == true { keysByWorkspace[key.workspaceID] = nil }
    }

    /// A linear scan: it runs only when an answer is stored (a miss), over a bounded set.
    private func leastRecentlyUsed(among keys: some Sequence<Key>) -> Key? {
        keys.min { (entries[$0]?.lastUse ?? 0) < (entries[$1]?.lastUse ?? 0) }
    }
}
