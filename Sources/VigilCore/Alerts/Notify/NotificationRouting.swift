/// A workspace's rule for where alerts go: when every matcher matches the alert's labels and
/// the alert is at least `minSeverity`, notify `channelIDs`.
public struct NotificationRoute: Sendable, Equatable, Codable {
    public var id: String
    /// Routes are tried by ascending position (ties by id, in byte order).
    public var position: Int
    /// All must match; none matches every alert. A `severity` matcher sees the alert's
    /// canonical severity (see `NotificationRouting.channels`).
    public var matchers: [LabelMatcher]
    public var minSeverity: AlertSeverity?
    /// May be empty: a matching route with no channels drops the alert's notifications (like
    /// Alertmanager's null receiver) instead of falling back.
    public var channelIDs: [String]
    /// Alertmanager's `continue`: after this route matches, keep trying the following ones.
    public var continueMatching: Bool

    public init(id: String, position: Int, matchers: [LabelMatcher], minSeverity: AlertSeverity?,
                channelIDs: [String], continueMatching: Bool) {
        self.id = id
        self.position = position
        self.matchers = matchers
        self.minSeverity = minSeverity
        self.channelIDs = channelIDs
        self.continueMatching = continueMatching
    }

    /// The bounds openapi.yaml states for `RouteInput`.
    public static let positions = 0...100_000
    public static let maxChannels = 50

    /// The first problem of a route a caller wrote (the channels' existence is the service's).
    public func validate() -> ValidationFailure? {
        if !Self.positions.contains(position) {
            return ValidationFailure(field: "position", message: "position must be \(Self.positions.lowerBound) to \(Self.positions.upperBound)")
        }
        if matchers.count > Silence.maxMatchers {
            return ValidationFailure(field: "matchers", message: "at most \(Silence.maxMatchers) matchers")
        }
        if channelIDs.isEmpty || channelIDs.count > Self.maxChannels {
            return ValidationFailure(field: "channel_ids", message: "a route needs 1 to \(Self.maxChannels) channels")
        }
        return nil
    }

    /// Whether the route takes an alert with these labels (already including the `severity`
    /// pseudo-label) and severity.
    public func matches(labels: [String: String], severity: AlertSeverity) -> Bool {
        (minSeverity.map { severity >= $0 } ?? true) && matchers.allSatisfy { $0.matches(labels) }
    }

    enum CodingKeys: String, CodingKey {
        case id, position, matchers
        case minSeverity = "min_severity"
        case channelIDs = "channel_ids"
        case continueMatching = "continue_matching"
    }
}

/// A notification channel as routing sees it.
public struct ChannelTarget: Sendable, Equatable {
    public var id: String
    /// The channel ignores alerts below this.
    public var minSeverity: AlertSeverity
    public var enabled: Bool

    public init(id: String, minSeverity: AlertSeverity, enabled: Bool) {
        self.id = id
        self.minSeverity = minSeverity
        self.enabled = enabled
    }
}

public enum NotificationRouting {
    /// The channel ids to notify, in order, without duplicates.
    ///
    /// 1. Routes are tried by ascending `position` (ties by `id` in byte order, so the input
    ///    order never matters). A route matches when the alert is at least its `minSeverity`
    ///    and all its matchers match the labels plus a pseudo-label `severity` =
    ///    `severity.rawValue`. The pseudo-label replaces a real `severity` label, so
    ///    `severity=~"high|critical"` always means Vigil's severity (an Alertmanager alert
    ///    labelled `severity="warning"` is `medium` here).
    /// 2. The first matching route wins; one with `continueMatching` adds its channels and
    ///    lets the next routes be tried too (Alertmanager's `continue`).
    /// 3. When no route matched, `fallbackChannelIDs` are used (the caller passes all enabled
    ///    channels, or an escalation level's channels). A route that matched but whose
    ///    channels are all filtered out below does not fall back.
    /// 4. Unknown ids, disabled channels and channels whose `minSeverity` is above `severity`
    ///    are dropped; duplicates are dropped keeping the first. If `channels` lists an id
    ///    twice, the first entry counts.
    public static func channels(for labels: [String: String], severity: AlertSeverity, routes: [NotificationRoute],
                                channels: [ChannelTarget], fallbackChannelIDs: [String]) -> [String] {
        var routingLabels = labels
        routingLabels["severity"] = severity.rawValue
        let ordered = routes.sorted {
            $0.position != $1.position ? $0.position < $1.position : utf8Precedes($0.id, $1.id)
        }
        var selected: [String] = []
        var matched = false
        for route in ordered where route.matches(labels: routingLabels, severity: severity) {
            matched = true
            selected += route.channelIDs
            if !route.continueMatching { break }
        }
        if !matched { selected = fallbackChannelIDs }

        var byID: [String: ChannelTarget] = [:]
        for channel in channels where byID[channel.id] == nil { byID[channel.id] = channel }
        var seen: Set<String> = []
        return selected.filter { id in
            guard let channel = byID[id], channel.enabled, channel.minSeverity <= severity else { return false }
            return seen.insert(id).inserted
        }
    }
}
