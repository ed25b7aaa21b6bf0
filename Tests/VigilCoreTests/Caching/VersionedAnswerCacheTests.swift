import Foundation
import Testing
import VigilCore

@Suite struct VersionedAnswerCacheTests {
    typealias Cache = VersionedAnswerCache<String>
    static let a = UUID()
    static let b = UUID()

    static func key(_ workspace: UUID, _ query: String) -> Cache.Key { .init(workspaceID: workspace, selection: query) }

    /// One step of a scenario: store an answer, or look one up and expect what comes back.
    enum Step {
        case store(UUID, String, version: Int64, bytes: Int, kept: Bool = true)
        case lookup(UUID, String, version: Int64, expect: String?)
    }

    static let scenarios: [(name: String, limits: Cache.Limits, steps: [Step])] = [
        ("an answer is served at its own version only", .init(maxBytes: 1_000), [
            .store(a, "limit=20", version: 3, bytes: 10),
            .lookup(a, "limit=20", version: 3, expect: "a limit=20 v3"),
            .lookup(a, "limit=20", version: 4, expect: nil),
            // An older answer is dropped once a newer version is seen: it never comes back.
            .lookup(a, "limit=20", version: 3, expect: nil),
        ]),
        ("workspaces and queries never share answers", .init(maxBytes: 1_000), [
            .store(a, "limit=20", version: 1, bytes: 10),
            .lookup(b, "limit=20", version: 1, expect: nil),
            .lookup(a, "limit=5", version: 1, expect: nil),
            .lookup(a, "limit=20", version: 1, expect: "a limit=20 v1"),
        ]),
        ("an answer over the entry limit is not kept", .init(maxBytes: 1_000, maxEntryBytes: 100), [
            .store(a, "big", version: 1, bytes: 101, kept: false),
            .lookup(a, "big", version: 1, expect: nil),
            .store(a, "fits", version: 1, bytes: 100),
            .lookup(a, "fits", version: 1, expect: "a fits v1"),
        ]),
        ("a workspace over its entry count loses its least recently used answer", .init(maxBytes: 1_000, maxEntriesPerWorkspace: 2), [
            .store(a, "q1", version: 1, bytes: 10),
            .store(a, "q2", version: 1, bytes: 10),
            .lookup(a, "q1", version: 1, expect: "a q1 v1"),  // q2 is now the least recently used
            .store(b, "q1", version: 1, bytes: 10),           // another workspace's count is its own
            .store(a, "q3", version: 1, bytes: 10),
            .lookup(a, "q2", version: 1, expect: nil),
            .lookup(a, "q1", version: 1, expect: "a q1 v1"),
            .lookup(a, "q3", version: 1, expect: "a q3 v1"),
            .lookup(b, "q1", version: 1, expect: "b q1 v1"),
        ]),
        ("over the byte budget the least recently used answer of any workspace goes", .init(maxBytes: 30), [
            .store(a, "q1", version: 1, bytes: 10),
            .store(b, "q1", version: 1, bytes: 10),
            .store(a, "q2", version: 1, bytes: 10),
            .lookup(a, "q1", version: 1, expect: "a q1 v1"),  // b's q1 is now the oldest
            .store(a, "q3", version: 1, bytes: 10),
            .lookup(b, "q1", version: 1, expect: nil),
            .lookup(a, "q1", version: 1, expect: "a q1 v1"),
            .lookup(a, "q2", version: 1, expect: "a q2 v1"),
            .lookup(a, "q3", version: 1, expect: "a q3 v1"),
        ]),
        ("past the entry count in all, the least recently used answer of any workspace goes", .init(maxBytes: 1_000, maxEntries: 2), [
            .store(a, "q1", version: 1, bytes: 1),
            .store(b, "q1", version: 1, bytes: 1),
            .store(a, "q2", version: 1, bytes: 1),
            .lookup(a, "q1", version: 1, expect: nil),
            .lookup(b, "q1", version: 1, expect: "b q1 v1"),
            .lookup(a, "q2", version: 1, expect: "a q2 v1"),
        ]),
        ("a zero budget keeps nothing", .init(maxBytes: 0), [
            .store(a, "q", version: 1, bytes: 1, kept: false),
            .lookup(a, "q", version: 1, expect: nil),
        ]),
        ("storing again replaces the answer and its version", .init(maxBytes: 1_000), [
            .store(a, "q", version: 1, bytes: 10),
            .store(a, "q", version: 2, bytes: 10),
            .lookup(a, "q", version: 1, expect: nil),
            .store(a, "q", version: 2, bytes: 10),
            .lookup(a, "q", version: 2, expect: "a q v2"),
        ]),
    ]

    @Test(arguments: scenarios.indices)
    func scenario(_ index: Int) {
        let (name, limits, steps) = Self.scenarios[index]
        var cache = Cache(limits: limits)
        for (position, step) in steps.enumerated() {
            switch step {
            case .store(let workspace, let query, let version, let bytes, let kept):
                let label = "\(workspace == Self.a ? "a" : "b") \(query) v\(version)"
                #expect(cache.store(label, bytes: bytes, for: Self.key(workspace, query), at: version) == kept, "\(name), step \(position)")
            case .lookup(let workspace, let query, let version, let expect):
                #expect(cache.answer(for: Self.key(workspace, query), at: version) == expect, "\(name), step \(position)")
            }
            #expect(cache.totalBytes <= max(limits.maxBytes, 0), "\(name), step \(position)")
        }
    }

    @Test func aTenantVaryingItsQueriesStaysWithinEveryBound() {
        var cache = Cache(limits: .init(maxBytes: 64 * 1024, maxEntryBytes: 4 * 1024, maxEntriesPerWorkspace: 32))
        cache.store("victim", bytes: 1_000, for: Self.key(Self.b, "limit=20"), at: 1)
        for n in 0..<10_000 {
            cache.store("hostile \(n)", bytes: 1_000, for: Self.key(Self.a, "cursor=\(n)"), at: 1)
        }
        #expect(cache.count <= 33)
        #expect(cache.totalBytes <= 64 * 1024)
        // The hostile workspace's churn stays within its own 32 entries: the victim's answer survives.
        #expect(cache.answer(for: Self.key(Self.b, "limit=20"), at: 1) == "victim")
    }
}
