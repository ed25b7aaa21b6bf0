import Foundation
import Testing
import VigilCore

/// What one reported event may hold.
struct SecurityEventRulesTests {
    static let now = Date(timeIntervalSince1970: 1_800_000_000)

    static func event(_ change: (inout SecurityEvent) -> Void) -> SecurityEvent {
        var event = SecurityEvent(kind: .sqlInjection, subKind: "union", sourceIP: "203.0.113.9", timestamp: now)
        change(&event)
        return event
    }

    @Test func aPlainEventPasses() {
        #expect(SecurityEventRules.validate(Self.event { _ in }, now: Self.now) == nil)
        #expect(SecurityEventRules.validate(Self.event { $0.sourceIP = "2001:db8::7"; $0.subKind = nil }, now: Self.now) == nil)
    }

    @Test(arguments: [
        ("sub_kind", { @Sendable (e: inout SecurityEvent) in e.subKind = "Union Select" }),
        ("sub_kind", { @Sendable (e: inout SecurityEvent) in e.subKind = String(repeating: "a", count: 65) }),
        ("source_ip", { @Sendable (e: inout SecurityEvent) in e.sourceIP = "203.0.113.0/24" }),
        ("source_ip", { @Sendable (e: inout SecurityEvent) in e.sourceIP = "localhost" }),
        ("user_agent", { @Sendable (e: inout SecurityEvent) in e.userAgent = String(repeating: "é", count: 513) }),
        ("endpoint", { @Sendable (e: inout SecurityEvent) in e.endpoint = "" }),
        ("event", { @Sendable (e: inout SecurityEvent) in e.userRef = "bob\u{0}" }),
        ("details", { @Sendable (e: inout SecurityEvent) in e.details = Dictionary(uniqueKeysWithValues: (0..<33).map { ("k\($0)", "v") }) }),
        ("details.query", { @Sendable (e: inout SecurityEvent) in e.details = ["query": String(repeating: "x", count: 1_025)] }),
        ("timestamp", { @Sendable (e: inout SecurityEvent) in e.timestamp = now.addingTimeInterval(-8 * 86_400) }),
        ("timestamp", { @Sendable (e: inout SecurityEvent) in e.timestamp = now.addingTimeInterval(301) }),
    ] as [(String, @Sendable (inout SecurityEvent) -> Void)])
    func refusesWhatBreaksABound(_ field: String, _ change: @Sendable (inout SecurityEvent) -> Void) {
        #expect(SecurityEventRules.validate(Self.event(change), now: Self.now)?.field == field)
    }

    @Test func lengthsCountCodePoints() {
        // 512 two-byte characters are 1,024 bytes but within the 512-character bound.
        #expect(SecurityEventRules.validate(Self.event { $0.userAgent = String(repeating: "é", count: 512) }, now: Self.now) == nil)
    }
}
