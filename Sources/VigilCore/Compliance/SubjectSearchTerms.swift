import VigilPrimitives

/// The exact strings to look for when finding a data subject's rows: the raw identifiers, their
/// normal forms, and — because Vigil may have pseudonymised them at ingest — the subject's
/// pseudonym tokens, computed with the workspace key exactly as `PIIRedactor` computes them.
///
/// What the redactor stores for personal data, and so what can be found:
/// - redaction off, or an allow-listed tag key: the raw value → raw terms;
/// - `pseudonymize` mode: `[EMAIL:3f9a1c2b7d4e]`, a keyed token specific to the person → token
///   terms (computed here by running the real redactor, so they cannot drift from ingest);
/// - `mask` mode: `[EMAIL]`, `[IP]` — the same for everyone, so such values cannot be attributed
///   to anyone and are not searched (nor do they need erasing). A note says so in the manifest.
///
/// Tokens are computed whenever a key is given, whatever the current mode: the workspace may have
/// pseudonymised in the past, and searching for a token that does not occur costs nothing.
/// User ids are never tokenised by the redactor (ids in URLs become `[ID]`), but a user id that
/// is itself an email, phone or IP is — running the redactor over it finds those tokens too.
public struct SubjectSearchTerms: Sendable, Equatable {
    /// Decides how a term is matched (see `SubjectSearchTerms+Matching`).
    public enum Kind: String, Sendable, Codable, CaseIterable {
        case email, ip
        case userID = "user_id"
        case pseudonym
    }

    /// How the term was derived from the subject, for the manifest.
    public enum Origin: String, Sendable, Codable, CaseIterable {
        case raw
        case normalized
        case pseudonymToken = "pseudonym_token"
    }

    /// A string searched for in free text (tag keys and values, labels, annotations, messages,
    /// audit details).
    public struct Term: Sendable, Hashable {
        public var value: String
        public var kind: Kind
        /// The subject field it came from: `email`, `ip`, `user_id`, `custom.<key>`.
        public var field: String
        public var origin: Origin

        public init(value: String, kind: Kind, field: String, origin: Origin) {
            self.value = value
            self.kind = kind
            self.field = field
            self.origin = origin
        }
    }

    /// An exact tag / label pair (`tags @> '{"key":"value"}'`).
    public struct TagPair: Sendable, Hashable {
        public var key: String
        public var value: String
        public var origin: Origin

        public init(key: String, value: String, origin: Origin) {
            self.key = key
            self.value = value
            self.origin = origin
        }

        /// The jsonb containment document, `{"key":"value"}` (canonical JSON).
        public var containmentJSON: String { CanonicalJSON.object([key: .string(value)]).text }
    }

    /// Sorted by field, origin, value; one per distinct (value, kind).
    public private(set) var terms: [Term]
    /// Sorted by key, value, origin; one per distinct (key, value).
    public private(set) var tagPairs: [TagPair]
    /// Limits of the search worth telling the reader of the report (masked data, missing key).
    public private(set) var notes: [String]

    public init(terms: [Term], tagPairs: [TagPair], notes: [String] = []) {
        var seenTerms = Set<String>(), seenPairs = Set<[String]>()
        self.terms = terms
            .filter { seenTerms.insert($0.kind.rawValue + "\u{0}" + $0.value).inserted }
            .sorted { ($0.field, $0.origin.rawValue, $0.value) < ($1.field, $1.origin.rawValue, $1.value) }
        self.tagPairs = tagPairs
            .filter { seenPairs.insert([$0.key, $0.value]).inserted }
            .sorted { ($0.key, $0.value, $0.origin.rawValue) < ($1.key, $1.value, $1.origin.rawValue) }
        self.notes = notes
    }

    /// Distinct term values, sorted (e.g. for an SQL `ILIKE ANY` prefilter).
    public var values: [String] { Array(Set(terms.map(\.value))).sorted() }

    public var isEmpty: Bool { terms.isEmpty && tagPairs.isEmpty }

    /// - Parameters:
    ///   - subject: the request's subject (trimmed here; validate it first).
    ///   - pseudonymKey: the workspace's pseudonym key, nil or empty when it has none.
    ///   - redactionPolicy: the workspace's policy (its allow-list decides how custom pairs were stored).
    public static func make(subject: DataSubject, pseudonymKey: [UInt8]?, redactionPolicy: RedactionPolicy) -> SubjectSearchTerms {
        let subject = subject.trimmed
        let key = pseudonymKey.flatMap { $0.isEmpty ? nil : $0 }
        // The real redactor, forced into pseudonymize mode with the workspace key: what ingest
        // stores for these values whenever the workspace pseudonymises (or did).
        let tokenizer = key.map {
            PIIRedactor(policy: RedactionPolicy(enabled: true, mode: .pseudonymize, allowedTagKeys: redactionPolicy.allowedTagKeys),
                        pseudonymKey: $0)
        }
        var terms: [Term] = []
        var pairs: [TagPair] = []

        func addTokens(in value: String, field: String) {
            guard let tokenizer else { return }
            for token in PseudonymTokens.find(in: tokenizer.redactValue(value)) {
                terms.append(Term(value: token, kind: .pseudonym, field: field, origin: .pseudonymToken))
            }
        }

        if let email = subject.email {
            terms.append(Term(value: email, kind: .email, field: "email", origin: .raw))
            terms.append(Term(value: DataSubject.canonicalEmail(email), kind: .email, field: "email", origin: .normalized))
            if let key {
                terms.append(Term(value: PIIRedactor.token(for: email, category: .email, key: key), kind: .pseudonym,
                                  field: "email", origin: .pseudonymToken))
            }
            addTokens(in: email, field: "email")
        }
        if let ip = subject.ip {
            terms.append(Term(value: ip, kind: .ip, field: "ip", origin: .raw))
            if let canonical = DataSubject.canonicalIP(ip) {
                terms.append(Term(value: canonical, kind: .ip, field: "ip", origin: .normalized))
            }
            if let key {
                terms.append(Term(value: PIIRedactor.token(for: ip, category: .ip, key: key), kind: .pseudonym,
                                  field: "ip", origin: .pseudonymToken))
            }
            addTokens(in: ip, field: "ip")
        }
        if let userID = subject.userID {
            terms.append(Term(value: userID, kind: .userID, field: "user_id", origin: .raw))
            addTokens(in: userID, field: "user_id")
        }
        for (tagKey, value) in subject.custom {
            pairs.append(TagPair(key: tagKey, value: value, origin: .raw))
            guard let tokenizer else { continue }
            // The pair as ingest would have stored it; kept only when it still names the person.
            for (storedKey, storedValue) in tokenizer.redactTags([tagKey: value])
            where !PseudonymTokens.find(in: storedKey + storedValue).isEmpty {
                pairs.append(TagPair(key: storedKey, value: storedValue, origin: .pseudonymToken))
            }
            addTokens(in: value, field: "custom." + tagKey)
        }

        var notes: [String] = []
        if redactionPolicy.enabled && redactionPolicy.mode == .mask {
            notes.append("Values masked at ingest ([EMAIL], [IP], ...) are the same for everyone and cannot be attributed to the subject; they were not searched.")
        }
        if key == nil && redactionPolicy.mode == .pseudonymize {
            notes.append("The workspace pseudonymises personal data but no pseudonym key was available: pseudonym tokens were not searched.")
        }
        return SubjectSearchTerms(terms: terms, tagPairs: pairs, notes: notes)
    }

    /// `value` as a PostgreSQL `LIKE`/`ILIKE` pattern matching it anywhere (`%`, `_` and `\`
    /// escaped with the default escape character `\`). A coarse prefilter: confirm candidates
    /// with `matches(text:)`, which applies word boundaries.
    public static func likePattern(_ value: String) -> String {
        var out = "%"
        for character in value {
            if character == "%" || character == "_" || character == "\\" { out.append("\\") }
            out.append(character)
        }
        return out + "%"
    }
}

/// Finds pseudonym tokens (`[EMAIL:3f9a1c2b7d4e]`, the format of `PIIPseudonym`) in redacted text.
enum PseudonymTokens {
    static let labels = Set(PIICategory.allCases.filter(\.isPseudonymizable).map(\.label))

    static func find(in text: String) -> [String] {
        let b = Array(text.utf8)
        var found: [String] = []
        var i = 0
        while i < b.count {
            guard b[i] == UInt8(ascii: "[") else { i += 1; continue }
            var colon = i + 1
            while colon < b.count, colon - i <= 6, b[colon] >= UInt8(ascii: "A"), b[colon] <= UInt8(ascii: "Z") { colon += 1 }
            let close = colon + 13
            if colon < b.count, b[colon] == UInt8(ascii: ":"), close < b.count, b[close] == UInt8(ascii: "]"),
               labels.contains(String(decoding: b[(i + 1)..<colon], as: UTF8.self)),
               b[(colon + 1)..<close].allSatisfy({ PIIChar.isDigit($0) || ($0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "f")) }) {
                found.append(String(decoding: b[i...close], as: UTF8.self))
                i = close + 1
            } else {
                i += 1
            }
        }
        return found
    }
}
