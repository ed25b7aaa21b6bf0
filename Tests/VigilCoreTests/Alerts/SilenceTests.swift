import Foundation
import Testing
import VigilCore

struct SilenceTests {
    static let start = Date(timeIntervalSince1970: 1_735_689_600)
    static let end = start.addingTimeInterval(3600)

    static func silence(_ matchers: String, start: Date = start, end: Date = end,
                        by creator: String = "ana", comment: String = "maintenance") throws -> Silence {
        try Silence(matchers: LabelMatcher.parseList(matchers), startsAt: start, endsAt: end, createdBy: creator, comment: comment)
    }

    @Test(arguments: [(-1.0, Silence.Status.pending), (0, .active), (1800, .active), (3599.9, .active), (3600, .expired), (9999, .expired)])
    func statusOverTime(offset: TimeInterval, expected: Silence.Status) throws {
        let s = try Self.silence(#"env="prod""#)
        #expect(s.status(at: Self.start.addingTimeInterval(offset)) == expected)
        #expect(s.isActive(at: Self.start.addingTimeInterval(offset)) == (expected == .active))
    }

    @Test(arguments: [
        (#"{env="prod", severity=~"low|medium"}"#, ["env": "prod", "severity": "low"], true),
        (#"{env="prod", severity=~"low|medium"}"#, ["env": "prod", "severity": "high"], false),   // all must match
        (#"{env="prod", team=""}"#, ["env": "prod"], true),
        (#"{env="prod", team=""}"#, ["env": "prod", "team": "db"], false),
        (#"{service!=""}"#, ["service": "x"], true),
        (#"{service!=""}"#, [:], false),
    ])
    func mutesOnlyWhenEveryMatcherMatches(matchers: String, labels: [String: String], muted: Bool) throws {
        let s = try Self.silence(matchers)
        #expect(s.mutes(labels: labels, at: Self.start.addingTimeInterval(60)) == muted)
        #expect(!s.mutes(labels: labels, at: Self.end))            // never once expired
        #expect(!s.mutes(labels: labels, at: Self.start - 1))      // nor before it starts
    }

    /// Alertmanager refuses silences whose matchers all match the empty string.
    @Test(arguments: [#"a=~".*""#, #"a="""#, #"a!="x""#, #"{a=~".*", b!~"y"}"#, #"a=~"x|""#])
    func rejectsMatchAlmostEverything(matchers: String) {
        #expect(throws: ValidationFailure.self) { try Self.silence(matchers) }
    }

    @Test(arguments: [#"{a=~".*", b="x"}"#, #"a=~".+""#, #"a!="""#])
    func acceptsWhenOneMatcherNeedsAValue(matchers: String) throws {
        _ = try Self.silence(matchers)
    }

    @Test func otherValidation() throws {
        #expect(throws: ValidationFailure(field: "matchers", message: "a silence needs at least one matcher")) {
            try Silence(matchers: [], startsAt: Self.start, endsAt: Self.end, createdBy: "a", comment: "c")
        }
        #expect(throws: ValidationFailure(field: "ends_at", message: "ends_at must be after starts_at")) {
            try Self.silence(#"a="1""#, end: Self.start)
        }
        #expect(throws: ValidationFailure.self) { try Self.silence(#"a="1""#, by: " ") }
        #expect(throws: ValidationFailure.self) { try Self.silence(#"a="1""#, comment: "") }
    }

    @Test func expiring() throws {
        let s = try Self.silence(#"a="1""#)
        let mid = Self.start.addingTimeInterval(10)
        #expect(s.expired(at: mid).endsAt == mid)
        #expect(s.expired(at: mid).status(at: mid) == .expired)
        let early = Self.start.addingTimeInterval(-100)
        let pending = s.expired(at: early)
        #expect(pending.startsAt == early && pending.endsAt == early)
        #expect(pending.status(at: Self.start.addingTimeInterval(1)) == .expired)   // never becomes active
        #expect(s.expired(at: Self.end + 50) == s)
    }

    @Test func codableUsesSnakeCase() throws {
        let s = try Self.silence(#"a="1""#)
        let json = String(decoding: try JSONEncoder().encode(s), as: UTF8.self)
        #expect(json.contains("\"starts_at\"") && json.contains("\"created_by\""))
        #expect(try JSONDecoder().decode(Silence.self, from: Data(json.utf8)) == s)
    }
}
