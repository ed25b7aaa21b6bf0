/// Reading matchers as people write them in Alertmanager, amtool and PromQL:
/// `severity=~"high|critical"`, `env != prod`, `{team="db", env="prod"}`.
extension LabelMatcher {
    /// One matcher: a label name, an operator, and a value that is either double-quoted (with
    /// `\\`, `\"`, `\n` and `\t` escapes) or bare (the rest of the text, trimmed; no quotes).
    /// Spaces around the operator are allowed.
    public static func parse(_ text: String, field: String = "matchers") throws(ValidationFailure) -> LabelMatcher {
        var scanner = Substring(text.trimmingWhitespace())
        let name = String(scanner.prefix(while: { $0.isASCII && isNameByte($0.asciiValue!) }))
        scanner = scanner.dropFirst(name.count).trimmingLeadingWhitespace()
        let op: Operator
        if let two = Operator(rawValue: String(scanner.prefix(2))), two != .equal {
            op = two
        } else if scanner.first == "=" {
            op = .equal
        } else {
            throw ValidationFailure(field: field,
                                    message: "'\(text.prefix(64))' is not a matcher (name, one of = != =~ !~, value)")
        }
        scanner = scanner.dropFirst(op.rawValue.count).trimmingLeadingWhitespace()
        let value = try parseValue(scanner, whole: text, field: field)
        return try LabelMatcher(name: name, op: op, value: value, field: field)
    }

    /// A comma-separated list, optionally in braces: `{a="1", b=~"x|y"}`. Commas inside
    /// quoted values do not split.
    public static func parseList(_ text: String, field: String = "matchers") throws(ValidationFailure) -> [LabelMatcher] {
        var body = Substring(text.trimmingWhitespace())
        if body.first == "{" {
            guard body.last == "}" else { throw ValidationFailure(field: field, message: "unbalanced '{' in matchers") }
            body = body.dropFirst().dropLast()
        }
        var parts: [Substring] = []
        var start = body.startIndex, inQuotes = false, escaped = false
        for i in body.indices {
            let c = body[i]
            if escaped { escaped = false; continue }
            if c == "\\" && inQuotes { escaped = true } else if c == "\"" { inQuotes.toggle() } else if c == "," && !inQuotes {
                parts.append(body[start..<i])
                start = body.index(after: i)
            }
        }
        parts.append(body[start...])
        var matchers: [LabelMatcher] = []
        for (index, part) in parts.enumerated() {
            // A trailing comma (`{a="1",}`) is allowed, as in PromQL.
            if index == parts.count - 1, index > 0, part.allSatisfy(\.isWhitespace) { break }
            matchers.append(try parse(String(part), field: "\(field)[\(index)]"))
        }
        return matchers
    }

    private static func parseValue(_ text: Substring, whole: String, field: String) throws(ValidationFailure) -> String {
        guard text.first == "\"" else {
            guard !text.contains("\"") else {
                throw ValidationFailure(field: field, message: "unbalanced quote in '\(whole.prefix(64))'")
            }
            return String(text)
        }
        var value = ""
        var i = text.index(after: text.startIndex)
        while i < text.endIndex {
            let c = text[i]
            if c == "\"" {
                guard text[text.index(after: i)...].allSatisfy(\.isWhitespace) else { break }
                return value
            }
            if c == "\\" {
                i = text.index(after: i)
                guard i < text.endIndex else { break }
                switch text[i] {
                case "\\": value.append("\\")
                case "\"": value.append("\"")
                case "n": value.append("\n")
                case "t": value.append("\t")
                default:
                    throw ValidationFailure(field: field, message: "unknown escape '\\\(text[i])' in '\(whole.prefix(64))'")
                }
            } else {
                value.append(c)
            }
            i = text.index(after: i)
        }
        throw ValidationFailure(field: field, message: "unbalanced quote in '\(whole.prefix(64))'")
    }
}

extension StringProtocol {
    func trimmingLeadingWhitespace() -> SubSequence { drop(while: \.isWhitespace) }

    func trimmingWhitespace() -> String {
        String(drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
    }
}
