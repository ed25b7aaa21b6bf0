/// A matcher's regex, compiled once and shared between tasks.
///
/// `Regex` is not `Sendable` in the standard library. This box is `@unchecked Sendable`
/// because it holds a `let` regex that is never mutated, and matching only reads it: the
/// library lowers a regex's program lazily, once, through an atomic, and `init` forces that
/// lowering before the box can be shared anyway.
///
/// Syntax is the part of Swift's that RE2 (Alertmanager's engine) shares. Matching uses Unicode
/// scalar semantics, like RE2's code points, not Swift's default grapheme clusters (where
/// `.` would swallow `e` + a combining accent). Backreferences and lookaround, which RE2
/// refuses, are refused here too: they are not portable and invite catastrophic backtracking.
final class LabelRegex: @unchecked Sendable {
    let regex: Regex<AnyRegexOutput>

    init(pattern: String, field: String) throws(ValidationFailure) {
        if let construct = Self.unsupportedConstruct(in: pattern) {
            throw ValidationFailure(field: field, message: "regex '\(pattern.prefix(64))' uses \(construct), which is not supported")
        }
        do {
            // Compiled alone first, so `a)|(b` cannot escape the anchoring group below.
            _ = try Regex(pattern)
            regex = try Regex("(?:" + pattern + ")").matchingSemantics(.unicodeScalar)
        } catch {
            throw ValidationFailure(field: field, message: "regex '\(pattern.prefix(64))' is invalid: \(error)")
        }
        _ = "".wholeMatch(of: regex)
    }

    /// `wholeMatch` is the anchoring: the match must span the whole value (`^(?:re)$`).
    func wholeMatches(_ value: String) -> Bool {
        value.wholeMatch(of: regex) != nil
    }

    /// RE2 syntax Swift would accept but should not run here: backreferences, lookaround, and a
    /// repeated group that itself repeats or alternates (`(a+)+`, `(a|aa)*`). Swift's engine
    /// backtracks, and those shapes take exponential time (`(a+)+b` needs over a second on 16
    /// `a`s), which a tenant's silence must not be able to do to the shared worker.
    static func unsupportedConstruct(in pattern: String) -> String? {
        let chars = Array(pattern.unicodeScalars)
        // One flag per open group: does it contain a quantifier or an alternation?
        var groups: [Bool] = [false]
        var i = 0
        func isRepeat(_ j: Int) -> Bool { j < chars.count && (chars[j] == "*" || chars[j] == "+" || chars[j] == "{") }
        while i < chars.count {
            switch chars[i] {
            case "\\":
                if i + 1 < chars.count, ("1"..."9").contains(chars[i + 1]) || chars[i + 1] == "k" || chars[i + 1] == "g" {
                    return "a backreference"
                }
                i += 2
                continue
            case "[":
                // Skip the class: `]` right after `[` or `[^` is a literal.
                i += 1
                if i < chars.count, chars[i] == "^" { i += 1 }
                if i < chars.count, chars[i] == "]" { i += 1 }
                while i < chars.count, chars[i] != "]" { i += chars[i] == "\\" ? 2 : 1 }
            case "(":
                if i + 2 < chars.count, chars[i + 1] == "?" {
                    let next = chars[i + 2], after = i + 3 < chars.count ? chars[i + 3] : " "
                    if next == "=" || next == "!" || (next == "<" && (after == "=" || after == "!")) { return "lookaround" }
                }
                groups.append(false)
            case ")":
                let inner = groups.count > 1 ? groups.removeLast() : false
                if inner && isRepeat(i + 1) { return "a repeated group that repeats or alternates inside (exponential time)" }
                groups[groups.count - 1] = groups[groups.count - 1] || inner || isRepeat(i + 1)
            case "*", "+", "{", "|":
                groups[groups.count - 1] = true
            default:
                break
            }
            i += 1
        }
        return nil
    }
}
