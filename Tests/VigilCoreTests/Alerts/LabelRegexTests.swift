import Testing
@testable import VigilCore

/// The RE2-backed regex of `=~` / `!~` matchers: Alertmanager's semantics, and linear time on
/// patterns a backtracking engine would take exponential (or high-polynomial) time on.
struct LabelRegexTests {
    struct Pathological: Sendable, CustomTestStringConvertible {
        let pattern: String
        /// Builds a value of about `size` bytes and says whether the pattern must match it.
        let value: @Sendable (Int) -> (String, Bool)
        var testDescription: String { pattern }
    }

    static func repeated(_ unit: String, _ size: Int, then tail: String = "") -> String {
        String(repeating: unit, count: (size - tail.utf8.count) / unit.utf8.count) + tail
    }

    static let pathological: [Pathological] = [
        // Nested quantifiers: exponential for a backtracking engine on a near miss.
        Pathological(pattern: "(a+)+b") { (repeated("a", $0), false) },
        Pathological(pattern: "(a+)+b") { (repeated("a", $0, then: "b"), true) },
        Pathological(pattern: "(a*)*b") { (repeated("a", $0), false) },
        Pathological(pattern: "(a|aa)*c") { (repeated("a", $0), false) },
        Pathological(pattern: "(.*)*x") { (repeated("y", $0), false) },
        Pathological(pattern: "(x+x+)+y") { (repeated("x", $0), false) },
        // Twenty chained unbounded wildcards: O(n^20) backtracking on a non-matching tail.
        Pathological(pattern: String(repeating: ".*", count: 20) + "x") { (repeated("a", $0, then: "y"), false) },
        Pathological(pattern: String(repeating: ".*", count: 20) + "x") { (repeated("a", $0, then: "x"), true) },
        Pathological(pattern: "(.*a){20}") { (repeated("a", $0), true) },
        Pathological(pattern: "(.*a){20}b") { (repeated("a", $0), false) },
        // Alternation blowups: overlapping branches under a repeat.
        Pathological(pattern: "(a|a|a|a|a|a|a|a)*b") { (repeated("a", $0), false) },
        Pathological(pattern: "(a|ab|abc|abcd)*z") { (repeated("abcd", $0), false) },
        Pathological(pattern: #"(\w|\d|[a-z0-9])+!"#) { (repeated("a1", $0), false) },
        Pathological(pattern: "(([a-z])+.)+[A-Z]([a-z])+") { (repeated("a", $0, then: "!"), false) },
        Pathological(pattern: "(?i)(a|A|aa)+(b|B)") { (repeated("aA", $0, then: "b"), true) },
    ]

    /// Not a performance goal: RE2 needs microseconds per match here, so 2 s for the whole
    /// loop is a bound over 100x above the expected time, which only an engine that is not
    /// linear (backtracking: `(a+)+b` alone would need longer than the age of the universe on
    /// 1 KiB) can exceed. "Never exponential" is the correctness property this test holds.
    @Test(arguments: pathological)
    func pathologicalPatternsRunInLinearTime(_ row: Pathological) throws {
        let regex = try LabelRegex(pattern: row.pattern, field: "matchers")
        for (size, runs) in [(1024, 1000), (64 * 1024, 100)] {
            let (value, expected) = row.value(size)
            #expect(value.utf8.count <= size && value.utf8.count > size - 8)
            var hits = 0
            let elapsed = ContinuousClock().measure {
                for _ in 0..<runs where regex.wholeMatches(value) { hits += 1 }
            }
            #expect(hits == (expected ? runs : 0), "\(row.pattern) on \(size) bytes")
            #expect(elapsed < .seconds(2), "\(runs) matches of \(row.pattern) on \(size) bytes took \(elapsed)")
        }
    }

    @Test func pathologicalPatternsAreAcceptedAsMatchers() throws {
        for row in Self.pathological {
            _ = try LabelMatcher(name: "x", op: .regexNoMatch, value: row.pattern)
        }
    }

    @Test(arguments: [
        ("high", "high", true),
        ("high", "very high", false),              // anchored at the start
        ("high", "highest", false),                // and at the end
        ("high|critical", "critical", true),       // the whole alternation is anchored
        ("high|critical", "highcritical", false),
        ("hi(gh)?", "hi", true),
        ("", "", true),
        ("", "x", false),
        (".*", "", true),
        ("a$", "a", true),                         // `$` is the end of text, not of a line
        ("a", "a\n", false),
    ])
    func anchoredWholeMatch(pattern: String, value: String, matches: Bool) throws {
        #expect(try LabelRegex(pattern: pattern, field: "f").wholeMatches(value) == matches)
    }

    /// Compiled alone first: the closing paren cannot break out of the anchoring `(?:…)`.
    @Test func unbalancedGroupCannotEscapeTheAnchoring() {
        for pattern in ["a)|(b", "a)|.*|(b", ")(", "x))|((y"] {
            #expect(throws: ValidationFailure.self) { try LabelRegex(pattern: pattern, field: "f") }
        }
    }

    /// Code points, as RE2: `.` is one Unicode scalar, never a grapheme cluster or a byte.
    @Test func dotMatchesOneCodePoint() throws {
        let one = try LabelRegex(pattern: ".", field: "f"), two = try LabelRegex(pattern: "..", field: "f")
        #expect(one.wholeMatches("\u{E9}"))                 // é precomposed: one code point
        #expect(!one.wholeMatches("e\u{301}"))              // e + combining acute: two
        #expect(two.wholeMatches("e\u{301}"))
        #expect(one.wholeMatches("\u{1F600}"))              // four UTF-8 bytes, one code point
        #expect(!two.wholeMatches("\u{1F600}"))
        #expect(try LabelRegex(pattern: #"\x{E9}"#, field: "f").wholeMatches("\u{E9}"))
        #expect(try LabelRegex(pattern: "(?i)\u{C9}T\u{C9}", field: "f").wholeMatches("\u{E9}t\u{E9}"))
        #expect(try LabelRegex(pattern: #"\p{Greek}+"#, field: "f").wholeMatches("\u{3B1}\u{3B2}\u{3B3}"))
    }

    /// Lengths, not C strings: a NUL is an ordinary character in both pattern and value.
    @Test func nulIsAnOrdinaryCharacter() throws {
        let regex = try LabelRegex(pattern: "a\u{0}b", field: "f")
        #expect(regex.wholeMatches("a\u{0}b"))
        #expect(!regex.wholeMatches("a"))
    }

    @Test func invalidPatternQuotesRE2sError() {
        do {
            _ = try LabelRegex(pattern: "(ab", field: "matchers[1]")
            Issue.record("expected a failure")
        } catch {
            #expect(error.field == "matchers[1]")
            #expect(error.message.hasPrefix("regex '(ab' is invalid: missing )"), "\(error.message)")
        }
    }

    @Test(arguments: [#"(a)\1"#, #"(?P<x>a)(?P=x)"#, #"\k<x>"#, "a(?=b)", "a(?!b)", "(?<=a)b", "(?<!a)b"])
    func backreferencesAndLookaroundAreRefused(pattern: String) {
        do {
            _ = try LabelRegex(pattern: pattern, field: "f")
            Issue.record("\(pattern) should be refused")
        } catch {
            #expect(error.message.hasPrefix("regex '\(pattern)' is invalid: "), "\(error.message)")
        }
    }

    @Test func patternLengthIsCapped() throws {
        _ = try LabelRegex(pattern: String(repeating: "a", count: LabelRegex.maxPatternBytes), field: "f")
        do {
            _ = try LabelRegex(pattern: String(repeating: "a", count: LabelRegex.maxPatternBytes + 1), field: "f")
            Issue.record("expected a failure")
        } catch {
            #expect(error.message == "regex '\(String(repeating: "a", count: 64))' is longer than 1024 bytes")
        }
        // Bytes, not characters: 513 two-byte code points are over the cap.
        #expect(throws: ValidationFailure.self) { try LabelRegex(pattern: String(repeating: "\u{E9}", count: 513), field: "f") }
        // The matcher's own value cap (the same 1,024 bytes) answers first.
        #expect(throws: ValidationFailure.self) {
            try LabelMatcher(name: "x", op: .regexMatch, value: String(repeating: "a", count: 1025))
        }
    }

    /// RE2's program is capped at 1 MiB: a short pattern that expands into a huge one is refused.
    @Test func hugeCompiledProgramIsRefused() {
        do {
            _ = try LabelRegex(pattern: #"\pL{1000}"#, field: "f")   // every letter, a thousand times
            Issue.record("expected a failure")
        } catch {
            #expect(error.message.hasSuffix("is invalid: pattern too large - compile failed"), "\(error.message)")
        }
    }

    @Test func matchesConcurrently() async throws {
        let regex = try LabelRegex(pattern: String(repeating: ".*", count: 20) + "[0-9]", field: "f")
        let hits = await withTaskGroup(of: Int.self) { group in
            for task in 0..<8 {
                group.addTask {
                    (0..<500).reduce(0) { n, i in n + (regex.wholeMatches("value-\(task)-\(i)") ? 1 : 0) }
                }
            }
            return await group.reduce(0, +)
        }
        #expect(hits == 8 * 500)
    }
}

/// Each distinct pattern is compiled once and shared, however often matchers are decoded.
struct LabelRegexCacheTests {
    @Test func aPatternIsCompiledOnceAndShared() throws {
        let pattern = "cache-test-\(UInt64.random(in: 0...UInt64.max))-(a|b)+"
        let first = try LabelRegexCache.regex(for: pattern, field: "matchers")
        let second = try LabelRegexCache.regex(for: pattern, field: "matchers")
        #expect(first === second)
        let matcher = try LabelMatcher(name: "x", op: .regexMatch, value: pattern)
        #expect(matcher.matches(["x": pattern.replacingOccurrences(of: "(a|b)+", with: "ab")]))
        #expect(LabelRegexCache.count <= LabelRegexCache.capacity)
    }

    @Test func invalidPatternsAreNotCached() {
        let pattern = "cache-invalid-\(UInt64.random(in: 0...UInt64.max))-(a"
        #expect(throws: ValidationFailure.self) { try LabelRegexCache.regex(for: pattern, field: "matchers") }
        #expect(throws: ValidationFailure.self) { try LabelRegexCache.regex(for: pattern, field: "matchers") }
    }
}
