/// Alertmanager's inhibition: while a source alert matching `sourceMatchers` is firing, target
/// alerts matching `targetMatchers` are not notified, provided the two agree on every label
/// named in `equal` (e.g. a `critical` "datacenter down" mutes `warning`s from the same
/// `datacenter`).
public struct InhibitRule: Sendable, Equatable, Codable {
    public var sourceMatchers: [LabelMatcher]
    public var targetMatchers: [LabelMatcher]
    public var equal: [String]

    /// An alert as inhibition sees it. The fingerprint tells an alert from itself.
    public struct Candidate: Sendable, Equatable {
        public var fingerprint: String
        public var labels: [String: String]

        public init(fingerprint: String, labels: [String: String]) {
            self.fingerprint = fingerprint
            self.labels = labels
        }
    }

    /// Both sides need a matcher: an empty side would match every alert, and one careless rule
    /// could mute a whole workspace.
    public static let maxEqualLabels = 20
    /// Alert label names are at most 100 characters, so longer names could never be equal.
    public static let maxEqualNameLength = 100

    public init(sourceMatchers: [LabelMatcher], targetMatchers: [LabelMatcher], equal: [String]) throws(ValidationFailure) {
        guard !sourceMatchers.isEmpty else {
            throw ValidationFailure(field: "source_matchers", message: "an inhibit rule needs at least one source matcher")
        }
        guard !targetMatchers.isEmpty else {
            throw ValidationFailure(field: "target_matchers", message: "an inhibit rule needs at least one target matcher")
        }
        for (field, matchers) in [("source_matchers", sourceMatchers), ("target_matchers", targetMatchers)] where matchers.count > Silence.maxMatchers {
            throw ValidationFailure(field: field, message: "at most \(Silence.maxMatchers) matchers")
        }
        guard equal.count <= Self.maxEqualLabels else {
            throw ValidationFailure(field: "equal", message: "at most \(Self.maxEqualLabels) labels in equal")
        }
        if let bad = equal.first(where: { !LabelMatcher.isValidName($0) || $0.count > Self.maxEqualNameLength }) {
            throw ValidationFailure(field: "equal", message: "'\(bad.prefix(64))' is not a label name")
        }
        self.sourceMatchers = sourceMatchers
        self.targetMatchers = targetMatchers
        self.equal = equal
    }

    /// Whether `target` is muted by any of `sources`. The caller passes the firing alerts of
    /// the workspace as sources (the issue says triggered ones; acknowledged are still
    /// firing and arguably belong too — the service decides). An alert never inhibits itself,
    /// even when it matches both sides (Alertmanager's rule), but an equal twin with another
    /// fingerprint does. For `equal`, a label missing on one side equals an empty value on
    /// the other, as in Alertmanager.
    public func inhibits(_ target: Candidate, sources: [Candidate]) -> Bool {
        guard targetMatchers.allSatisfy({ $0.matches(target.labels) }) else { return false }
        return sources.contains { source in
            source.fingerprint != target.fingerprint
                && sourceMatchers.allSatisfy { $0.matches(source.labels) }
                && equal.allSatisfy { (source.labels[$0] ?? "").utf8.elementsEqual((target.labels[$0] ?? "").utf8) }
        }
    }

    enum CodingKeys: String, CodingKey {
        case equal
        case sourceMatchers = "source_matchers"
        case targetMatchers = "target_matchers"
    }
}
