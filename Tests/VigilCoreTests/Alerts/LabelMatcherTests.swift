import Foundation
import Testing
import VigilCore

struct LabelMatcherTests {
    static let labels = ["severity": "high", "env": "prod", "service": "api-gateway", "empty": "", "note": "line1\nline2"]

    /// Alertmanager's semantics, row by row (labels above).
    @Test(arguments: [
        (#"severity="high""#, true),
        (#"severity="High""#, false),                 // case-sensitive
        (#"severity!="high""#, false),
        (#"severity!="low""#, true),
        (#"severity=~"high|critical""#, true),
        (#"severity=~"hi""#, false),                  // anchored: no partial match
        (#"severity=~"hi.*""#, true),
        (#"severity=~".*igh""#, true),
        (#"severity!~"high|critical""#, false),
        (#"service=~"api-.*""#, true),
        (#"service=~"api|api-gateway""#, true),       // alternation needs the whole group anchored
        (#"severity=~"(?i)HIGH""#, true),             // RE2 inline flag
        (#"missing="""#, true),                       // absent label is ""
        (#"missing!="""#, false),
        (#"env!="""#, true),
        (#"missing=~".*""#, true),
        (#"missing=~".+""#, false),
        (#"missing!~".+""#, true),
        (#"missing!="x""#, true),
        (#"empty="""#, true),                         // empty value equals missing
        (#"empty=~".+""#, false),
        (#"note=~"line1.line2""#, false),             // `.` does not match a newline (RE2)
        (#"note=~"(?s)line1.line2""#, true),
        (#"note="line1\nline2""#, true),              // quoted escape
    ])
    func semantics(matcher: String, matches: Bool) throws {
        #expect(try LabelMatcher.parse(matcher).matches(Self.labels) == matches)
    }

    @Test func dotMatchesOneScalarLikeRE2() throws {
        let dot = try LabelMatcher(name: "x", op: .regexMatch, value: "a.c")
        #expect(dot.matches(["x": "a\u{E9}c"]))            // precomposed é: one scalar
        #expect(!dot.matches(["x": "ae\u{301}c"]))         // e + combining accent: two
        let equal = try LabelMatcher(name: "x", op: .equal, value: "\u{E9}")
        #expect(!equal.matches(["x": "e\u{301}"]))         // bytes, not canonical equivalence
    }

    @Test(arguments: [
        (#"severity=~"high|critical""#, "severity", LabelMatcher.Operator.regexMatch, "high|critical"),
        ("env != prod", "env", .notEqual, "prod"),
        ("  env=prod  ", "env", .equal, "prod"),
        ("env=", "env", .equal, ""),
        (#"env="""#, "env", .equal, ""),
        (#"job !~ "node.*""#, "job", .regexNoMatch, "node.*"),
        (#"msg="say \"hi\", \\o/""#, "msg", .equal, #"say "hi", \o/"#),
        (#"k8s.io:app-name="x""#, "k8s.io:app-name", .equal, "x"),
        (#"a="=~""#, "a", .equal, "=~"),
    ])
    func parses(text: String, name: String, op: LabelMatcher.Operator, value: String) throws {
        let matcher = try LabelMatcher.parse(text)
        #expect(matcher.name == name && matcher.op == op && matcher.value == value)
        #expect(try LabelMatcher.parse(matcher.description) == matcher)   // description round-trips
    }

    @Test(arguments: [
        "", "severity", "=high", "severity high", #"severity="high"#, #"severity="hi"gh""#, #"severity=hi"gh"#,
        #"severity="a\qb""#, #"sev erity="x""#, #"sévérité="x""#, "severity=~\"(\"", "severity=~\"[z-a]\"",
        #"x=~"a)|(b""#, #"x=~"(a)\\1""#, #"x=~"a(?=b)""#, #"x=~"(?<!a)b""#, #"x<"a""#,
    ])
    func rejects(text: String) {
        #expect(throws: ValidationFailure.self) { try LabelMatcher.parse(text) }
    }

    /// RE2 runs every shape in linear time, so nested quantifiers a backtracking engine would
    /// choke on (`(a+)+b`) are accepted too (LabelRegexTests times them).
    @Test(arguments: [#"(foo|bar)-.*"#, #"(ab)+"#, #"(a+)?"#, #"[(+]*"#, #"[\]a]+"#, #"\(a+\)+"#, #"(?i)(prod|staging)"#,
                      #"api-[0-9]+\.example\.com"#, #"(a)(b)+"#,
                      #"(a+)+b"#, #"(a|aa)*"#, #"((ab)*c)+"#, #"(?:x*){2,}"#, #"(.*,)*"#])
    func acceptsSafeRegexes(pattern: String) throws {
        _ = try LabelMatcher(name: "x", op: .regexMatch, value: pattern)
    }

    @Test func invalidRegexFailsAtCreationWithTheField() {
        do {
            _ = try LabelMatcher(name: "x", op: .regexMatch, value: "(", field: "matchers[3]")
            Issue.record("expected a failure")
        } catch {
            #expect(error.field == "matchers[3]")
            #expect(error.message.hasPrefix("regex '(' is invalid"))
        }
    }

    @Test(arguments: [
        (#"{severity=~"high|critical", env="prod"}"#, 2),
        (#"severity="high""#, 1),
        (#"{a="1,2", b="}"}"#, 2),
        (#"{a="1",}"#, 1),
        (" a = 1 , b != 2 ", 2),
    ])
    func parsesLists(text: String, count: Int) throws {
        #expect(try LabelMatcher.parseList(text).count == count)
    }

    @Test(arguments: [#"{a="1""#, #"{a="1",,b="2"}"#, "{}", #"a="1", b"#])
    func rejectsBadLists(text: String) {
        #expect(throws: ValidationFailure.self) { try LabelMatcher.parseList(text) }
    }

    @Test func listFailuresNameTheIndex() {
        #expect(throws: ValidationFailure.self) { try LabelMatcher.parseList(#"a="1", b=~"(""#) }
        do { _ = try LabelMatcher.parseList(#"a="1", b=~"(""#) } catch { #expect(error.field == "matchers[1]") }
    }

    @Test func codableRoundTripAndValidatesOnDecode() throws {
        let matchers = try LabelMatcher.parseList(#"{a=~"x|y", b!="z"}"#)
        let data = try JSONEncoder().encode(matchers)
        #expect(try JSONDecoder().decode([LabelMatcher].self, from: data) == matchers)
        #expect(throws: (any Error).self) {
            try JSONDecoder().decode(LabelMatcher.self, from: Data(#"{"name":"a","op":"=~","value":"("}"#.utf8))
        }
    }

    @Test func isSendableAcrossTasks() async throws {
        let matcher = try LabelMatcher.parse(#"n=~"[0-9]+""#)
        let hits = await withTaskGroup(of: Bool.self) { group in
            for i in 0..<64 { group.addTask { matcher.matches(["n": String(i)]) } }
            return await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
        #expect(hits == 64)
    }
}
