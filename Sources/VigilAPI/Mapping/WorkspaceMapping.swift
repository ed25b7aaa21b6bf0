import Foundation
import VigilCore
import VigilServices

/// Workspace settings from request bodies (absent fields keep their values) and workspaces to
/// response bodies.

extension WorkspaceSettings {
    /// Settings from a request: absent fields keep their defaults.
    init(_ payload: Components.Schemas.WorkspaceSettings?) throws {
        self.init()
        if let payload { try apply(payload) }
    }

    /// Overwrites the fields the request gives; the others keep their values.
    mutating func apply(_ payload: Components.Schemas.WorkspaceSettings) throws {
        if let zone = payload.timeZone { timeZone = zone }
        if let policy = payload.redaction {
            if let enabled = policy.enabled { redaction.enabled = enabled }
            if let mode = policy.mode { redaction.mode = mode == .pseudonymize ? .pseudonymize : .mask }
            if let keys = policy.allowedTagKeys {
                // Counted as sent, before duplicates collapse into the set: the spec's maxItems.
                guard keys.count <= WorkspaceSettings.maxAllowedTagKeys else {
                    throw ServiceError.invalid(field: "settings.redaction.allowed_tag_keys",
                                               message: "at most \(WorkspaceSettings.maxAllowedTagKeys) allow-listed tag keys")
                }
                redaction.allowedTagKeys = Set(keys)
            }
        }
        if let alertingPayload = payload.alerting {
            if let keys = alertingPayload.groupBy { alerting.groupBy = keys }
            if let threshold = alertingPayload.stormThreshold { alerting.stormThreshold = threshold }
            if let window = alertingPayload.dedupWindowSeconds { alerting.dedupWindowSeconds = window }
        }
        if let performancePayload = payload.performance {
            if let threshold = performancePayload.regressionThresholdPercent { performance.regressionThresholdPercent = threshold }
            if let tag = performancePayload.groupTag { performance.groupTag = tag }
        }
        if let securityPayload = payload.security {
            if let threshold = securityPayload.blockThreshold { security.blockThreshold = threshold }
            if let halfLife = securityPayload.halfLifeMinutes { security.halfLifeMinutes = halfLife }
            if let minutes = securityPayload.blockMinutes { security.blockMinutes = minutes }
            if let w = securityPayload.weights {
                let sent: [(SecurityEventKind, Double?)] = [(.sqlInjection, w.sqlInjection), (.graphqlRejection, w.graphqlRejection),
                                                            (.csrfViolation, w.csrfViolation), (.originViolation, w.originViolation),
                                                            (.rateLimit, w.rateLimit), (.authFailure, w.authFailure),
                                                            (.websocketRejection, w.websocketRejection)]
                for (kind, weight) in sent { if let weight { security.weights[kind] = weight } }
            }
        }
        if let days = payload.retentionDays {
            if let v = days.metrics { retentionDays.metrics = v }
            if let v = days.alerts { retentionDays.alerts = v }
            if let v = days.securityEvents { retentionDays.securityEvents = v }
            if let v = days.notifications { retentionDays.notifications = v }
            if let v = days.auditLog { retentionDays.auditLog = v }
            if let v = days.kpis { retentionDays.kpis = v }
        }
    }
}

extension Components.Schemas.Workspace {
    init(_ w: Workspace) {
        let days = w.settings.retentionDays
        self.init(
            id: w.id.uuidString.lowercased(), slug: w.slug, name: w.name,
            settings: .init(alerting: .init(groupBy: w.settings.alerting.groupBy, stormThreshold: w.settings.alerting.stormThreshold,
                                            dedupWindowSeconds: w.settings.alerting.dedupWindowSeconds),
                            performance: .init(regressionThresholdPercent: w.settings.performance.regressionThresholdPercent,
                                               groupTag: w.settings.performance.groupTag),
                            security: .init(w.settings.security),
                            redaction: .init(enabled: w.settings.redaction.enabled,
                                             mode: w.settings.redaction.mode == .pseudonymize ? .pseudonymize : .mask,
                                             allowedTagKeys: w.settings.redaction.allowedTagKeys.sorted()),
                            retentionDays: .init(metrics: days.metrics, alerts: days.alerts, securityEvents: days.securityEvents,
                                                 notifications: days.notifications, auditLog: days.auditLog, kpis: days.kpis),
                            timeZone: w.settings.timeZone),
            createdAt: w.createdAt)
    }
}

extension Components.Schemas.SecuritySettingsInForce {
    init(_ s: SecuritySettings) {
        self.init(blockThreshold: s.blockThreshold, halfLifeMinutes: s.halfLifeMinutes, blockMinutes: s.blockMinutes,
                  weights: .init(sqlInjection: s.weight(of: .sqlInjection), graphqlRejection: s.weight(of: .graphqlRejection),
                                 csrfViolation: s.weight(of: .csrfViolation), originViolation: s.weight(of: .originViolation),
                                 rateLimit: s.weight(of: .rateLimit), authFailure: s.weight(of: .authFailure),
                                 websocketRejection: s.weight(of: .websocketRejection)))
    }
}
