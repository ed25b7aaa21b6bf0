import Foundation
import VigilCore
import VigilServices

/// Security event bodies to core values, and security views to response bodies.
extension SecurityEvent {
    init(_ b: Components.Schemas.SecurityEventInput, now: Date) {
        self.init(kind: SecurityEventKind(rawValue: b.kind.rawValue) ?? .rateLimit, subKind: b.subKind, sourceIP: b.sourceIp,
                  userAgent: b.userAgent, endpoint: b.endpoint, userRef: b.userRef, correlationID: b.correlationId,
                  timestamp: b.timestamp ?? now, details: b.details?.additionalProperties ?? [:])
    }
}

extension Components.Schemas.SecurityEvent {
    init(_ s: StoredSecurityEvent) {
        let e = s.event
        self.init(id: s.id.uuidString.lowercased(), kind: .init(rawValue: e.kind.rawValue)!, subKind: e.subKind, sourceIp: e.sourceIP,
                  userAgent: e.userAgent, endpoint: e.endpoint, userRef: e.userRef, correlationId: e.correlationID,
                  timestamp: e.timestamp, receivedAt: s.receivedAt, details: .init(additionalProperties: e.details))
    }
}

extension Components.Schemas.BlocklistEntry {
    init(_ e: BlocklistEntry) {
        self.init(address: e.network, until: e.until, source: .init(rawValue: e.source.rawValue)!, reason: e.reason)
    }
}

extension Components.Schemas.SecurityAddressView {
    init(_ v: SecurityIPView) {
        self.init(address: v.address, score: Self.rounded(v.score.value), events: v.events, lastEventAt: v.lastEventAt, blocked: v.block != nil,
                  block: v.block.map { .init(until: $0.until, source: .init(rawValue: $0.source.rawValue)!, reason: $0.reason) },
                  exemptUntil: v.exemptUntil, coveringBlocks: v.coveringBlocks.map(Components.Schemas.BlocklistEntry.init),
                  recentEvents: v.recentEvents.map(Components.Schemas.SecurityEvent.init),
                  history: v.history.map { .init(action: .init(rawValue: $0.action.rawValue)!, source: .init(rawValue: $0.source.rawValue)!,
                                                 reason: $0.reason, until: $0.until, actor: $0.actor, at: $0.at) })
    }

    /// Scores to two decimals: decay makes the raw value change every millisecond.
    static func rounded(_ value: Double) -> Double { (value * 100).rounded() / 100 }
}

extension Components.Schemas.SecuritySource {
    init(_ s: SecuritySourceActivity) {
        self.init(source: s.source, events: s.events,
                  byKind: .init(additionalProperties: Dictionary(uniqueKeysWithValues: s.kinds.map { ($0.key.rawValue, $0.value) })))
    }
}

extension Components.Schemas.SecurityDetection {
    init(_ d: SecurityDetectionRecord) {
        self.init(id: d.id.uuidString.lowercased(), kind: .init(rawValue: d.finding.kind.rawValue)!, subject: d.finding.subject,
                  sources: d.finding.sources, evidence: .init(additionalProperties: d.finding.evidence), windowStart: d.windowStart,
                  detectedAt: d.detectedAt, alertId: d.alertID?.uuidString.lowercased())
    }
}

extension SecurityWindowCounts {
    var byKindPayload: [String: Int] { Dictionary(uniqueKeysWithValues: eventsByKind.map { ($0.key.rawValue, $0.value) }) }
}

extension Components.Schemas.SecurityDashboard {
    init(_ d: SecurityDashboard) {
        let c = d.counts
        self.init(
            timestamp: d.generatedAt, windowHours: d.windowHours, overallThreatScore: d.threatScore, threatLevel: .init(rawValue: d.level.rawValue)!,
            eventsByKind: .init(additionalProperties: c.byKindPayload),
            sqliSummary: .init(totalAttempts: c.events(.sqlInjection), uniqueIps: c.sourcesByKind[.sqlInjection] ?? 0,
                               mostCommonPattern: c.mostCommonSubKind(of: .sqlInjection),
                               byPattern: .init(additionalProperties: c.eventsBySubKind[.sqlInjection] ?? [:])),
            graphqlSummary: .init(blockedRequests: c.events(.graphqlRejection), uniqueIps: c.sourcesByKind[.graphqlRejection] ?? 0,
                                  byReason: .init(additionalProperties: c.eventsBySubKind[.graphqlRejection] ?? [:]),
                                  csrfViolations: c.events(.csrfViolation), originViolations: c.events(.originViolation),
                                  rateLimitViolations: c.events(.rateLimit)),
            topAttackingIps: d.topSources.map(Components.Schemas.SecuritySource.init),
            blockedIps: d.blocked.map(Components.Schemas.BlocklistEntry.init), blockedCount: c.blockedNow,
            recentDetections: d.recentDetections.map(Components.Schemas.SecurityDetection.init),
            recommendations: d.recommendations.map { .init(level: .init(rawValue: $0.level.rawValue)!, message: $0.message, action: $0.action) })
    }
}

extension Components.Schemas.SecurityKindView {
    init(_ v: SecurityKindView, main kind: SecurityEventKind) {
        let c = v.counts
        self.init(timestamp: v.generatedAt, windowHours: v.windowHours, total: c.events(kind), uniqueIps: c.sourcesByKind[kind] ?? 0,
                  mostCommonSubKind: c.mostCommonSubKind(of: kind), bySubKind: .init(additionalProperties: c.eventsBySubKind[kind] ?? [:]),
                  eventsByKind: .init(additionalProperties: c.byKindPayload), topIps: v.topSources.map(Components.Schemas.SecuritySource.init),
                  recentEvents: v.recentEvents.map(Components.Schemas.SecurityEvent.init))
    }
}

extension Components.Schemas.SecurityThreats {
    init(_ t: SecurityThreats) {
        self.init(timestamp: t.generatedAt, windowHours: t.windowHours, detections: t.detections.map(Components.Schemas.SecurityDetection.init),
                  highestScores: t.highestScores.map { s in
                      .init(address: s.network, score: Components.Schemas.SecurityAddressView.rounded(s.score.value), events: s.events,
                            lastEventAt: s.lastEventAt, blocked: s.block.map { $0.isActive(at: t.generatedAt) } ?? false)
                  },
                  blockedCount: t.blockedNow)
    }
}

extension Components.Schemas.Blocklist {
    init(_ b: Blocklist) {
        self.init(generatedAt: b.generatedAt, items: b.entries.map(Components.Schemas.BlocklistEntry.init))
    }
}
