import Foundation
import VigilCore
import VigilRepositories

/// The workspace's alerting configuration as an alert's notification decisions need it:
/// active silences, inhibit rules, routes and channels, read and decoded in their own short
/// read transaction *before* the alert's write transaction opens. The decisions then run in
/// memory, so the write transaction (which holds the alert's row and, for new alerts, the
/// storm counter) never waits on reading or matching the configuration. A silence or route
/// changed between the snapshot and the commit applies from the next change of the alert,
/// which is the same promise Alertmanager makes.
///
/// Corrupt documents are skipped (and logged by `StoredJSON`): one damaged row must not stop
/// every alert of the workspace from being raised.
struct AlertingSnapshot: Sendable {
    struct ActiveSilence: Sendable {
        var id: String
        var silence: Silence
    }

    var silences: [ActiveSilence]
    var inhibitRules: [InhibitRule]
    var routes: [NotificationRoute]
    var channels: [ChannelTarget]

    static func load(at now: Date, on connection: Transaction) async throws -> AlertingSnapshot {
        let silences = try await AlertingConfigRepository(.silences).activeSilences(at: now, on: connection).compactMap { document in
            StoredJSON.decodeOrSkip(Silence.self, document.specJSON, row: "silence \(document.id.lowercased)")
                .map { ActiveSilence(id: document.id.lowercased, silence: $0) }
        }
        let rules = try await AlertingConfigRepository(.inhibitRules).all(on: connection).compactMap {
            StoredJSON.decodeOrSkip(InhibitRule.self, $0.specJSON, row: "inhibit_rule \($0.id.lowercased)")
        }
        let routes = try await AlertingConfigRepository(.routes).all(on: connection).compactMap { document -> NotificationRoute? in
            guard var route = StoredJSON.decodeOrSkip(NotificationRoute.self, document.specJSON,
                                                      row: "notification_route \(document.id.lowercased)") else { return nil }
            route.id = document.id.lowercased
            return route
        }
        let channels = try await ChannelRepository().all(on: connection).compactMap { row -> ChannelTarget? in
            StoredJSON.decodeOrSkip(NotificationChannelSpec.self, row.specJSON, row: "notification_channels \(row.id.lowercased)")
                .map { ChannelTarget(id: row.id.lowercased, minSeverity: $0.minSeverity, enabled: $0.enabled) }
        }
        return AlertingSnapshot(silences: silences, inhibitRules: rules, routes: routes, channels: channels)
    }

    /// The id of an active silence whose matchers all match, if any.
    func activeSilence(for labels: [String: String], at now: Date) -> String? {
        silences.first { $0.silence.mutes(labels: labels, at: now) }?.id
    }

    /// Explicit channels (an escalation level), else the routes' choice, else every enabled channel.
    func targetChannels(for alert: AlertRecord, explicit: [String]?) -> [String] {
        NotificationRouting.channels(for: alert.labels, severity: alert.severity, routes: explicit == nil ? routes : [],
                                     channels: channels, fallbackChannelIDs: explicit ?? channels.map(\.id))
    }
}
