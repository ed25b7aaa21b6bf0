import Foundation
import VigilCore
import VigilPrimitives
import VigilRepositories

/// Adds points to addresses inside the caller's workspace transaction: locks their states,
/// decides with `ThreatDecision`, writes scores back, blocks and logs what crossed the
/// threshold. Shared by ingest and the attack scan.
struct SecurityScoring: Sendable {
    let addresses: SecurityIPRepository
    let actor: String

    struct Points: Sendable {
        var network: String
        var sourceKey: String
        var points: Double
        var events: Int
        var lastEventAt: Date
    }

    /// Returns the new blocks, with the scores that caused them.
    func score(_ points: [Points], settings: SecuritySettings, now: Date,
               on connection: Transaction) async throws -> ([SecurityIPState], [SecurityIPState]) {
        guard !points.isEmpty else { return ([], []) }
        let states = try await addresses.lockForScoring(points.map { ($0.network, $0.sourceKey) }, at: now, on: connection)
        var byNetwork: [String: SecurityIPState] = [:]
        for state in states.values { byNetwork[SecurityAddress(state.network)?.description ?? state.network] = state }
        var updates: [SecurityIPRepository.ScoreUpdate] = []
        var blocked: [SecurityIPState] = []
        var all: [SecurityIPState] = []
        for entry in points {
            let current = byNetwork[entry.network]
            let decision = ThreatDecision.score(current: current?.score, block: current?.block, exemptUntil: current?.exemptUntil,
                                                points: entry.points, now: now, settings: settings)
            updates.append(.init(network: entry.network, sourceKey: entry.sourceKey, score: decision.score, addedEvents: entry.events,
                                 lastEventAt: entry.lastEventAt, newBlock: decision.newBlock))
            var state = current ?? SecurityIPState(network: entry.network, sourceKey: entry.sourceKey, score: decision.score, events: 0,
                                                   lastEventAt: nil, block: nil, blockedAt: nil, exemptUntil: nil, updatedAt: now)
            state.score = decision.score
            if let block = decision.newBlock {
                state.block = block
                state.blockedAt = now
                blocked.append(state)
                try await addresses.log(SecurityBlockLogEntry(id: UUID(), network: entry.network, action: .block, source: .automatic,
                                                              reason: block.reason, until: block.until, actor: actor, at: now), on: connection)
            }
            all.append(state)
        }
        try await addresses.applyScores(updates, at: now, on: connection)
        return (blocked, all)
    }
}

/// `IPThreatScoreHigh` alerts for automatic blocks (dedup key `security:ip:<address>`, so a
/// repeat while the alert is open is deduplicated).
struct SecurityAlerts: Sendable {
    let alerts: AlertService

    static let actor = "vigil:security"

    func raise(_ blocked: [SecurityIPState], in workspace: Workspace) async throws {
        for state in blocked {
            guard let block = state.block else { continue }
            let until = TimestampText.rfc3339(microsecondsSince1970: block.until.microsecondsSince1970)
            let submission = AlertSubmission(
                title: "Threat score of \(state.network) above \(ThreatDecision.plain(workspace.settings.security.blockThreshold))",
                message: "\(state.network) reached a threat score of \(Int(state.score.value.rounded(.down))) and is blocked until \(until).",
                severity: .critical, source: Self.actor,
                labels: ["alertname": "IPThreatScoreHigh", "address": state.network],
                annotations: ["blocked_until": until, "score": String(Int(state.score.value.rounded(.down)))],
                dedupKey: "security:ip:\(state.network)", origin: .internal)
            _ = try await alerts.submit(submission, in: workspace, actor: Self.actor)
        }
    }
}
