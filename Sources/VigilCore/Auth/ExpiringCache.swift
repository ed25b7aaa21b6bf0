import Foundation

/// A bounded map whose entries expire `ttl` seconds after they were stored. Pure (time is
/// passed in); callers wrap it in a lock. When full, expired entries are swept first and, if
/// that is not enough, the entries closest to expiry are dropped: a flood of distinct keys can
/// never grow it past `capacity`, it only makes the cache forget sooner.
public struct ExpiringCache<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    public let capacity: Int
    public let ttl: TimeInterval
    private var entries: [Key: (value: Value, expires: Date)] = [:]

    public init(capacity: Int, ttl: TimeInterval) {
        self.capacity = max(1, capacity)
        self.ttl = ttl
    }

    public var count: Int { entries.count }

    public func value(for key: Key, now: Date) -> Value? {
        guard let entry = entries[key], entry.expires > now else { return nil }
        return entry.value
    }

    public mutating func store(_ value: Value, for key: Key, now: Date) {
        if entries[key] == nil, entries.count >= capacity { makeRoom(now: now) }
        entries[key] = (value, now.addingTimeInterval(ttl))
    }

    public mutating func remove(_ key: Key) {
        entries[key] = nil
    }

    /// Changes a live entry's value without extending its expiry.
    public mutating func replace(_ value: Value, for key: Key) {
        guard let entry = entries[key] else { return }
        entries[key] = (value, entry.expires)
    }

    /// Drops every entry whose value matches.
    public mutating func removeAll(where matches: (Value) -> Bool) {
        entries = entries.filter { !matches($0.value.value) }
    }

    private mutating func makeRoom(now: Date) {
        entries = entries.filter { $0.value.expires > now }
        guard entries.count >= capacity else { return }
        // Drop the older half at once, so a sustained flood pays for this sort rarely.
        let keep = entries.sorted { $0.value.expires > $1.value.expires }.prefix(capacity / 2)
        entries = Dictionary(uniqueKeysWithValues: keep.map { ($0.key, $0.value) })
    }
}
