/// `PIIRedactor.redactTags` for a batch of tag sets that repeat the same few names and values
/// (hosts, endpoints, status codes): each distinct name and (name, value) pair is redacted once
/// per memo instead of once per point. The result equals `redactTags` for every tag set.
public struct PIITagMemo {
    let redactor: PIIRedactor
    private var names: [String: String] = [:]
    private var values: [MetricTag: String] = [:]

    public init(redactor: PIIRedactor) {
        self.redactor = redactor
    }

    /// The redacted tags, sorted like `MetricTag.sorted`.
    public mutating func redact(_ tags: [MetricTag]) -> [MetricTag] {
        let policy = redactor.policy
        guard policy.enabled, !tags.isEmpty else { return tags }
        var out: [String: String] = [:]
        out.reserveCapacity(tags.count)
        for tag in tags where policy.allowedTagKeys.contains(tag.key) {
            out[tag.key] = tag.value
        }
        // Same order as `redactTags` (keys sorted as Strings), so name collisions resolve alike.
        for tag in tags.sorted(by: { $0.key < $1.key }) where !policy.allowedTagKeys.contains(tag.key) {
            let name = redactedName(tag.key)
            if out[name] == nil { out[name] = redactedValue(tag) }
        }
        return MetricTag.sorted(out)
    }

    private mutating func redactedName(_ name: String) -> String {
        if let known = names[name] { return known }
        let redacted = redactor.redactValue(name)
        names[name] = redacted
        return redacted
    }

    private mutating func redactedValue(_ tag: MetricTag) -> String {
        if let known = values[tag] { return known }
        let redacted = redactor.redactValue(tag.value, tagKey: tag.key)
        values[tag] = redacted
        return redacted
    }
}
