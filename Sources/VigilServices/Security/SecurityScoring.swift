import Foundation
import VigilCore
import VigilPrimitives
import VigilRepositories

/// Adds points to addresses inside the caller's workspace transaction (in the database, in one
/// statement), asks `ThreatDecision` which new scores call for a block, and blocks and logs
/// those. Shared by ingest and the attack scan.
struct SecurityScoring: Sendable {
    let addresses: SecurityIPRepository
    let actor: String

    typealias Points = SecurityIPRepository.Points

    /// Returns the new blocks, with the scores that caused them.
    func score(_ points: [Points], settings: SecuritySettings, now: Date, on connection: Transaction) async throws -> [SecurityIPState] {
        guard !points.isEmpty else { return [] }
        let states = try await addresses.addPoints(points, halfLifeMinutes: settings.halfLifeMinutes, at: now, on: connection)
        var blocked: [SecurityIPState] = []
        for var state in states {
            guard let block = ThreatDecision.newBlock(score: state.score, block: state.block, exemptUntil: state.exemptUntil,
                                                      now: now, settings: settings) else { continue }
            state.block = block
            state.blockedAt = now
            blocked.append(state)
        }
        guard !blocked.isEmpty else { return [] }
        try await addresses.setAutomaticBlocks(blocked.compactMap { s in s.block.map { (s.network, $0) } }, at: now, on: connection)
        for state in blocked {
            try await addresses.log(SecurityBlockLogEntry(id: UUID(), network: state.network, action: .block, source: .automatic,
                                                          reason: state.block?.reason ?? "", until: state.block?.until, actor: actor, at: now),
                                    on: connection)
        }
        return blocked
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
