import Foundation
import Testing
import VigilCore

struct NotificationRoutingTests {
    static func route(_ id: String, _ position: Int, _ matchers: String, min: AlertSeverity? = nil,
                      to channels: [String], continue: Bool = false) -> NotificationRoute {
        NotificationRoute(id: id, position: position, matchers: matchers.isEmpty ? [] : try! LabelMatcher.parseList(matchers),
                          minSeverity: min, channelIDs: channels, continueMatching: `continue`)
    }

    /// db → a (stops); high/critical → b and go on; prod → d (stops); critical → e.
    static let routes = [
        route("r1", 10, #"team="db""#, to: ["a"]),
        route("r2", 20, #"severity=~"high|critical""#, to: ["b"], continue: true),
        route("r3", 30, #"env="prod""#, to: ["d"]),
        route("r4", 40, "", min: .critical, to: ["e"]),
    ]
    static let channels = [
        ChannelTarget(id: "a", minSeverity: .info, enabled: true),
        ChannelTarget(id: "b", minSeverity: .high, enabled: true),
        ChannelTarget(id: "c", minSeverity: .info, enabled: false),
        ChannelTarget(id: "d", minSeverity: .info, enabled: true),
        ChannelTarget(id: "e", minSeverity: .info, enabled: true),
    ]
    static let fallback = ["a", "c", "d"]

    @Test(arguments: [
        (["team": "db"], AlertSeverity.low, ["a"]),                      // first match wins
        (["team": "db", "env": "prod"], .critical, ["a"]),               // r1 does not continue
        (["env": "prod"], .high, ["b", "d"]),                            // r2 continues into r3
        (["env": "prod"], .low, ["d"]),
        (["env": "dev"], .critical, ["b", "e"]),                         // r2, then r4 (min critical)
        (["env": "dev"], .high, ["b"]),                                  // r4 below its minimum
        (["env": "dev"], .low, ["a", "d"]),                              // fallback, c disabled
        ([:], .medium, ["a", "d"]),
        (["severity": "warning", "env": "dev"], .high, ["b"]),           // pseudo-label is the real severity
        (["severity": "critical", "env": "dev"], .low, ["a", "d"]),      // a label cannot fake it
    ])
    func routing(labels: [String: String], severity: AlertSeverity, expected: [String]) {
        #expect(NotificationRouting.channels(for: labels, severity: severity, routes: Self.routes, channels: Self.channels,
                                             fallbackChannelIDs: Self.fallback) == expected)
        // Input order of routes never matters.
        #expect(NotificationRouting.channels(for: labels, severity: severity, routes: Self.routes.reversed(), channels: Self.channels,
                                             fallbackChannelIDs: Self.fallback) == expected)
    }

    @Test(arguments: [
        // (routes, severity, expected)
        ([route("z", 1, "", to: ["a"]), route("y", 1, "", to: ["d"])], AlertSeverity.info, ["d"]),      // tie: id order
        ([route("x", 5, "", min: .high, to: ["a"])], .medium, ["a", "d"]),                              // min not met: fallback
        ([route("x", 5, "", min: .high, to: ["a"])], .high, ["a"]),
        ([route("x", 5, "", to: [])], .critical, []),                                                   // null route: no fallback
        ([route("x", 5, "", to: ["c"])], .critical, []),                                                // matched, all disabled
        ([route("x", 5, "", to: ["b"])], .medium, []),                                                  // below channel minimum
        ([route("x", 5, "", to: ["b"])], .high, ["b"]),
        ([route("x", 5, "", to: ["zz", "a", "zz"])], .info, ["a"]),                                     // unknown ids dropped
        ([route("x", 1, "", to: ["d", "a"], continue: true), route("y", 2, "", to: ["a", "e", "d"])], .info, ["d", "a", "e"]),
        ([route("x", -3, "", to: ["e"]), route("y", 2, "", to: ["a"])], .info, ["e"]),                 // negative positions sort first
        ([], .info, ["a", "d"]),
    ])
    func rules(routes: [NotificationRoute], severity: AlertSeverity, expected: [String]) {
        #expect(NotificationRouting.channels(for: [:], severity: severity, routes: routes, channels: Self.channels,
                                             fallbackChannelIDs: Self.fallback) == expected)
    }

    @Test(arguments: [
        (["d", "a", "d", "e", "a"], AlertSeverity.info, ["d", "a", "e"]),
        (["b", "c", "unknown"], .critical, ["b"]),
        (["b"], .medium, []),
        ([], .critical, []),
    ])
    func fallbackIsFiltered(fallback: [String], severity: AlertSeverity, expected: [String]) {
        #expect(NotificationRouting.channels(for: [:], severity: severity, routes: [], channels: Self.channels,
                                             fallbackChannelIDs: fallback) == expected)
    }

    @Test func duplicateChannelEntriesFirstCounts() {
        let channels = [ChannelTarget(id: "a", minSeverity: .info, enabled: false), ChannelTarget(id: "a", minSeverity: .info, enabled: true)]
        #expect(NotificationRouting.channels(for: [:], severity: .critical, routes: [], channels: channels, fallbackChannelIDs: ["a"]).isEmpty)
    }

    @Test func routeMatchesAndCodable() throws {
        let route = Self.route("r", 3, #"{env="prod", team!="web"}"#, min: .medium, to: ["a", "b"], continue: true)
        #expect(route.matches(labels: ["env": "prod"], severity: .medium))
        #expect(!route.matches(labels: ["env": "prod"], severity: .low))
        #expect(!route.matches(labels: ["env": "prod", "team": "web"], severity: .critical))
        let data = try JSONEncoder().encode(route)
        let object = try NotifyFixture.object(Array(data))
        #expect(Set(object.keys) == ["id", "position", "matchers", "min_severity", "channel_ids", "continue_matching"])
        #expect(try JSONDecoder().decode(NotificationRoute.self, from: data) == route)
    }
}
